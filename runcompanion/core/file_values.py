"""Small checks shared by the readers of session, program and cue files, so each file kind judges a number
or a duration the same way."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final, TypeGuard

# Minutes may run past 59 in "m:ss" ("90:00" is an hour and a half); in "h:mm:ss" they may not.
_MSS_RE: Final = re.compile(r"^(\d{1,4}):([0-5]\d)$")
_MAX_EXACT_INT: Final = 2**53
_HMMSS_RE: Final = re.compile(r"^(\d{1,2}):([0-5]\d):([0-5]\d)$")


def parse_clock_text(text: str) -> int | None:
    """Seconds in ``"m:ss"`` or ``"h:mm:ss"``; None when the text is neither."""
    text = text.strip()
    if m := _MSS_RE.fullmatch(text):
        return int(m[1]) * 60 + int(m[2])
    if m := _HMMSS_RE.fullmatch(text):
        return int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])
    return None


def is_number(value: object) -> TypeGuard[int | float]:
    """An int or a finite float; bool is an int to Python but ``effort = true`` is a mistake, not a 1."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        # TOML allows any whole number; one beyond a float's exact range (2**53) is no duration, speed or weight
        # a file means, and float() of a 400-digit one raises OverflowError instead of answering.
        return -_MAX_EXACT_INT <= value <= _MAX_EXACT_INT
    return isinstance(value, float) and math.isfinite(value)


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def is_list(value: object) -> TypeGuard[Sequence[object]]:
    # A str is a Sequence too, and "segments = 'abc'" must not be read as three segments.
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)

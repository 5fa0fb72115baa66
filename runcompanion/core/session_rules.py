"""The rules one session field must keep, shared by the file readers and the session editor.

Each ``check_*`` returns the normalised value or raises ``FieldProblem`` whose message starts with the field's
name ("effort must be a whole number from 0 to 10 ..."). The readers add the file and the segment in front; the
editor shows the message next to the field as the runner types, so both speak with one voice.

Pure functions; any thread.
"""

from __future__ import annotations

import re
import unicodedata

from runcompanion.core.file_values import is_int, is_number, parse_clock_text
from runcompanion.core.session_plan import SegmentKind
from runcompanion.core.toml_text import show

MAX_FILE_BYTES = 256 * 1024
MAX_SEGMENTS = 200
MAX_TAGS = 20
MIN_SEGMENT_S = 1.0
MAX_SEGMENT_S = 4 * 3600.0
MAX_SESSION_S = 6 * 3600.0
MAX_NAME_CHARS = 80
MAX_DESCRIPTION_CHARS = 2000
MAX_LABEL_CHARS = 60
MAX_SLUG_CHARS = 48
MAX_NOTE_CHARS = 200
MAX_NOTES_PER_SEGMENT = 20
MAX_REPEAT = 50
MAX_BLOCK_SEGMENTS = 20
EFFORT_RANGE = (0, 10)
SPEED_RANGE_KMH = (0.5, 30.0)
INCLINE_RANGE_PCT = (-5.0, 25.0)

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
KIND_VALUES = frozenset(k.value for k in SegmentKind)


class FieldProblem(Exception):
    """One thing wrong with one field; ``str()`` is the message, starting with the field's name."""


def check_kind(value: object) -> SegmentKind:
    if not isinstance(value, str) or value not in KIND_VALUES:
        kinds = ", ".join(k.value for k in SegmentKind)
        raise FieldProblem(f"kind must be one of {kinds}; got {show(value)}")
    return SegmentKind(value)


def check_duration(value: object, key: str = "duration", *, text_allowed: bool = True) -> float:
    """Seconds from 1 to 4 hours; ``"m:ss"`` and ``"h:mm:ss"`` texts where ``text_allowed``."""
    seconds: float | int
    expected = '"m:ss", "h:mm:ss" or a number of seconds' if text_allowed else "a number"
    if isinstance(value, str) and text_allowed:
        parsed = parse_clock_text(value)
        if parsed is None:
            raise FieldProblem(f"{key} must be {expected}, got {show(value)}")
        seconds = parsed
    elif is_number(value):
        seconds = value
    else:
        raise FieldProblem(f"{key} must be {expected}, got {show(value)}")
    # NaN fails both comparisons, so it is refused here as well; big ints compare exactly without overflow.
    if not MIN_SEGMENT_S <= seconds <= MAX_SEGMENT_S:
        raise FieldProblem(f"{key} must be between 1 second and 4 hours, got {show(value)}")
    return float(seconds)


def check_effort(value: object) -> int:
    lo, hi = EFFORT_RANGE
    if not is_int(value) or not lo <= value <= hi:
        raise FieldProblem(f"effort must be a whole number from {lo} to {hi} (Borg CR10), got {show(value)}")
    return value


def check_speed(value: object, key: str = "speed_kmh") -> float:
    return _number(value, key, SPEED_RANGE_KMH, "km/h")


def check_incline(value: object, key: str = "incline_pct") -> float:
    return _number(value, key, INCLINE_RANGE_PCT, "%")


def check_text(value: object, key: str, max_chars: int, *, single_line: bool) -> str:
    if not isinstance(value, str):
        raise FieldProblem(f"{key} must be text, got {show(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FieldProblem(f"{key} contains characters that are not valid text") from None
    text = value.strip()
    if len(text) > max_chars:
        raise FieldProblem(f"{key} must be at most {max_chars} characters, got {len(text)}")
    # Names and labels are shown on one line in big type and spoken; a control character would garble both.
    if single_line and any(unicodedata.category(ch) == "Cc" for ch in text):
        raise FieldProblem(f"{key} must be one line without control characters")
    return text


def check_slug(value: object, key: str) -> str:
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        raise FieldProblem(
            f"{key} must be lower-case letters, digits and hyphens (at most {MAX_SLUG_CHARS}, "
            f"starting with a letter or digit), got {show(value)}"
        )
    return value


def check_repeat(value: object) -> int:
    if not is_int(value) or not 1 <= value <= MAX_REPEAT:
        raise FieldProblem(f"repeat must be a whole number from 1 to {MAX_REPEAT}, got {show(value)}")
    return value


def check_note_offset(value: object, segment_s: float, key: str = "at", *, text_allowed: bool = True) -> float:
    """A note's offset from its segment's start: from 0 to before the segment ends."""
    seconds: float | int
    if isinstance(value, str) and text_allowed:
        parsed = parse_clock_text(value)
        if parsed is None:
            raise FieldProblem(f'{key} must be "m:ss" or a number of seconds, got {show(value)}')
        seconds = parsed
    elif is_number(value):
        seconds = value
    else:
        raise FieldProblem(f'{key} must be "m:ss" or a number of seconds, got {show(value)}')
    if not 0 <= seconds < segment_s:
        raise FieldProblem(f"{key} must be within the segment (0 to under {segment_s:g} seconds), got {show(value)}")
    return float(seconds)


def check_note_text(value: object) -> str:
    text = check_text(value, "text", MAX_NOTE_CHARS, single_line=True)
    if not text:
        raise FieldProblem("text must not be empty: say what the coach should speak")
    return text


def _number(value: object, key: str, bounds: tuple[float, float], unit: str) -> float:
    lo, hi = bounds
    if not is_number(value) or not lo <= value <= hi:
        raise FieldProblem(f"{key} must be a number from {lo:g} to {hi:g} {unit}, got {show(value)}")
    return float(value)

"""What the runner types into a reflection, checked before anything is written: scale points, the text's and
the prompt's length, tags (normalised: trimmed, lower case, no repeats), and a distance that makes sense."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

from runcompanion.core.errors import UserError
from runcompanion.core.mood import AROUSAL, EFFORT, FEELING
from runcompanion.storage.records import (
    MAX_DISTANCE_KM,
    MAX_PROMPT_CHARS,
    MAX_REFLECTION_CHARS,
    MAX_TAG_CHARS,
    MAX_TAGS,
    CheckIn,
    ReflectionInput,
)

# The run repository's own row conversion, so a run written here reads back exactly as one written there.

_TAG_SEPARATOR = ","
"""Exports join tags with it, so a tag may not contain it."""


class InvalidReflectionError(UserError, ValueError):
    """Something the runner typed cannot be saved as it is (too long, an absurd distance). Nothing was written.

    A ``ValueError`` as well, so code that checks its arguments catches it like any other bad value.
    """


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """The runner's tags as stored: spaces trimmed and collapsed, lower case, no repeats, sorted.

    Empty tags are dropped; a tag longer than ``MAX_TAG_CHARS``, one with a comma, or more than ``MAX_TAGS``
    tags raise ``InvalidReflectionError``.
    """
    if isinstance(tags, str):
        raise TypeError("tags must be a sequence of tags, not a string")
    result: set[str] = set()
    for raw in tags:
        tag = " ".join(raw.split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_CHARS:
            raise InvalidReflectionError(f'The tag "{tag[:MAX_TAG_CHARS]}…" is too long: keep a tag under 40 letters.')
        if _TAG_SEPARATOR in tag:
            raise InvalidReflectionError(f'The tag "{tag}" contains a comma; a comma separates tags, so split it.')
        result.add(tag)
    if len(result) > MAX_TAGS:
        raise InvalidReflectionError(f"A reflection can have at most {MAX_TAGS} tags; this one has {len(result)}.")
    return tuple(sorted(result))


def check_check_in(check_in: CheckIn) -> CheckIn:
    """``check_in`` if both answers are points of their scales; ``OutOfScaleError`` otherwise."""
    FEELING.check_optional(check_in.feeling, "feeling before")
    AROUSAL.check_optional(check_in.arousal, "arousal before")
    return check_in


def check_reflection(reflection: ReflectionInput) -> ReflectionInput:
    """The reflection with its tags normalised, if it can be saved.

    Scale values outside their scale raise ``OutOfScaleError`` (the screens never offer them). Text longer
    than ``MAX_REFLECTION_CHARS``, a prompt over ``MAX_PROMPT_CHARS``, bad tags and a distance that is
    negative, not a number or beyond ``MAX_DISTANCE_KM`` raise ``InvalidReflectionError``.
    """
    FEELING.check_optional(reflection.feeling_after, "feeling after")
    AROUSAL.check_optional(reflection.arousal_after, "arousal after")
    EFFORT.check_optional(reflection.effort, "effort")
    if len(reflection.text) > MAX_REFLECTION_CHARS:
        raise InvalidReflectionError(
            f"A reflection can be at most {MAX_REFLECTION_CHARS:,} characters long; "
            f"this one has {len(reflection.text):,}. Shorten it to save it."
        )
    if len(reflection.prompt) > MAX_PROMPT_CHARS:
        raise InvalidReflectionError(f"A prompt can be at most {MAX_PROMPT_CHARS} characters long.")
    return replace(
        reflection,
        tags=normalise_tags(reflection.tags),
        distance_km=check_distance(reflection.distance_km),
    )


def check_distance(distance_km: float | None) -> float | None:
    """The distance as a float, if it is a sane one for a single run (or None: not recorded)."""
    if distance_km is None:
        return None
    if isinstance(distance_km, bool) or not isinstance(distance_km, int | float):
        raise TypeError(f"a distance is a number of kilometres; got {distance_km!r}")
    if not math.isfinite(distance_km) or not 0 <= distance_km <= MAX_DISTANCE_KM:
        raise InvalidReflectionError(
            f"A distance must be between 0 and {MAX_DISTANCE_KM:g} km; got {distance_km:g} km."
        )
    return float(distance_km)

"""Spoken texts for interval cues: what comes next, changes, halfway, one minute left, start and finish.

The texts go to espeak-ng, so they are plain spoken English: numbers as digits (espeak reads them well), no
abbreviations, units spelled out, short sentences with the action first. Speeds are given in the runner's
units.

Repeated segments of one kind carry an :class:`Ordinal` ("Run 3 of 8."), which tells an interval runner where
they are and keeps every text of a run distinct (the player caches audio by text, and captions would be
ambiguous otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from runcompanion.core.session_plan import Segment, SegmentKind
from runcompanion.core.units import SpeedUnit, spoken_speed

HEADS_UP_LEAD_S = 10
"""How many seconds before a change the heads-up normally starts."""


@dataclass(frozen=True, slots=True)
class Ordinal:
    """Segment ``number`` (1-based) of ``count`` segments of the same kind in a session."""

    number: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= self.count:
            raise ValueError(f"ordinal {self.number} of {self.count} is out of range")

    @property
    def is_last(self) -> bool:
        return self.number == self.count


@dataclass(frozen=True, slots=True)
class _Words:
    verb: str  # "warm up": after "In 10 seconds:" and "First,"
    noun: str  # "warm-up": in "Warm-up 2 of 3." and "Halfway through this warm-up"


_WORDS = {
    SegmentKind.WARMUP: _Words("warm up", "warm-up"),
    SegmentKind.RUN: _Words("run", "run"),
    SegmentKind.WALK: _Words("walk", "walk"),
    SegmentKind.RECOVER: _Words("recover", "recovery"),
    SegmentKind.COOLDOWN: _Words("cool down", "cool-down"),
    SegmentKind.FREE: _Words("go at your own pace", "free section"),
}

# Words for the Borg CR10 scale the plans use for effort targets, said in a runner's terms.
_EFFORT_WORDS = (
    "resting",
    "very easy",
    "easy",
    "moderate",
    "somewhat hard",
    "hard",
    "hard",
    "very hard",
    "very hard",
    "near maximal",
    "all-out",
)

FINISH_TEXTS: tuple[str, ...] = (
    "That's {total} done, and the session is complete. Thank you for running with me today.",
    "And that's the finish: {total}. Thank you for showing up for yourself today.",
    "Session complete, {total} in all. Thank you for the time you gave yourself today.",
    "You're done: {total}. Thank you for running today; take a moment to notice how you feel.",
    "That's the whole session, {total}. Thank you for coming along; every run counts.",
)
"""Finish texts; ``{total}`` is replaced by the session length in words. Every one thanks the runner."""


def ordinals_of(segments: Sequence[Segment]) -> list[Ordinal | None]:
    """For each segment, its number among the segments of its kind, when that kind occurs more than once."""
    counts: dict[SegmentKind, int] = {}
    for segment in segments:
        counts[segment.kind] = counts.get(segment.kind, 0) + 1
    seen: dict[SegmentKind, int] = {}
    ordinals: list[Ordinal | None] = []
    for segment in segments:
        seen[segment.kind] = seen.get(segment.kind, 0) + 1
        count = counts[segment.kind]
        ordinals.append(Ordinal(seen[segment.kind], count) if count > 1 else None)
    return ordinals


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def duration_words(seconds: float) -> str:
    """A duration as a runner would say it: "90 seconds", "2 and a half minutes", "1 minute 15 seconds".

    Rounded to whole seconds. Exactly 90 seconds stays "90 seconds": that is how interval plans name it.
    """
    total = max(0, int(seconds + 0.5))
    if total < 60:
        return _plural(total, "second")
    if total == 90:
        return "90 seconds"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        parts = [_plural(hours, "hour")]
        if minutes:
            parts.append(_plural(minutes, "minute"))
        if secs:
            parts.append(_plural(secs, "second"))
        return " ".join(parts)
    if secs == 0:
        return _plural(minutes, "minute")
    if secs == 30:
        return f"{minutes} and a half minutes"
    return f"{_plural(minutes, 'minute')} {_plural(secs, 'second')}"


def _number(value: float) -> str:
    """``2`` for 2.0, ``1.5`` for 1.5: treadmills step in tenths, and "point zero" sounds robotic."""
    rounded = round(value, 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def effort_words(effort: int) -> str:
    """An effort target on the Borg CR10 scale in words: ``easy effort, 2 out of 10``."""
    clamped = min(10, max(0, effort))
    return f"{_EFFORT_WORDS[clamped]} effort, {clamped} out of 10"


def incline_words(incline_pct: float) -> str:
    """The incline in words, ``incline 2 percent``; a negative incline is a decline."""
    if incline_pct < 0:
        return f"decline {_number(-incline_pct)} percent"
    return f"incline {_number(incline_pct)} percent"


def _which(segment: Segment, ordinal: Ordinal | None) -> str:
    """Names the segment in halfway and one-minute texts: ``this run``, ``run 3 of 8`` or ``the last run``."""
    noun = _WORDS[segment.kind].noun
    if ordinal is None:
        return f"this {noun}"
    if ordinal.is_last:
        return f"the last {noun}"
    return f"{noun} {ordinal.number} of {ordinal.count}"


def _changed(value: float | None, before: float | None) -> bool:
    return value is not None and (before is None or round(value, 1) != round(before, 1))


def _speed_number(units: SpeedUnit, speed_kmh: float) -> str:
    return spoken_speed(units, speed_kmh).split(" ", 1)[0]


def _targets(segment: Segment, previous: Segment | None, units: SpeedUnit) -> list[str]:
    """The targets that change from ``previous`` to ``segment``, as short spoken phrases.

    The first mention of a speed carries its unit ("speed 8 kilometres per hour"); later ones are just the
    number ("speed 6.5"): the runner knows the unit by then, and every word said is one the runner must wait
    through. An incline of 0 is "flat".
    """
    if segment.kind is SegmentKind.FREE:
        return []  # your own pace: no speed to match
    parts: list[str] = []
    if _changed(segment.speed_kmh, previous.speed_kmh if previous else None):
        assert segment.speed_kmh is not None
        if previous is None or previous.speed_kmh is None:
            parts.append(f"speed {spoken_speed(units, segment.speed_kmh)}")
        else:
            parts.append(f"speed {_speed_number(units, segment.speed_kmh)}")
    if _changed(segment.incline_pct, previous.incline_pct if previous else None):
        assert segment.incline_pct is not None
        parts.append("flat" if round(segment.incline_pct, 1) == 0 else incline_words(segment.incline_pct))
    effort_changed = previous is None or previous.effort != segment.effort
    if segment.speed_kmh is None and segment.effort is not None and effort_changed:
        parts.append(effort_words(segment.effort))
    return parts


def _ordinal_words(segment: Segment, ordinal: Ordinal | None) -> str:
    """ "Run 3 of 8." for repeated runs only: the count matters in efforts, not in walks and recoveries."""
    if ordinal is None or segment.kind is not SegmentKind.RUN:
        return ""
    if ordinal.is_last:
        return " The last one."
    return f" Run {ordinal.number} of {ordinal.count}."


def heads_up_text(
    next_segment: Segment,
    units: SpeedUnit,
    *,
    lead_s: int = HEADS_UP_LEAD_S,
    ordinal: Ordinal | None = None,
    current: Segment | None = None,
    short: bool = False,
) -> str:
    """What comes next, said ``lead_s`` seconds before it starts: "In 10 seconds: walk."

    Only the kind of what comes, and a speed or incline when it changes; the change itself says the rest.
    ``short`` is the form for the end of a hard effort, when every word costs breath: "10 seconds, then
    recover." ``ordinal`` is accepted for symmetry with :func:`change_text` and not spoken here.
    """
    del ordinal
    words = _WORDS[next_segment.kind]
    lead = duration_words(lead_s)
    verb = "your own pace" if next_segment.kind is SegmentKind.FREE else words.verb
    if short:
        return f"{lead.capitalize()}, then {verb}."
    targets = _targets(next_segment, current, units) if current is not None else []
    extra = "".join(f", {part}" for part in targets if not part.startswith("speed"))
    return f"In {lead}: {verb}{extra}."


def change_text(
    segment: Segment,
    units: SpeedUnit,
    is_first: bool,
    *,
    ordinal: Ordinal | None = None,
    brief: bool = False,
    previous: Segment | None = None,
) -> str:
    """The announcement at the start of ``segment``: "Run now, 1 minute. Speed 12. Run 3 of 8."

    Says what changes from ``previous``: a speed or incline that stays the same is left out, and a free
    segment is "your own pace" with no speed. ``is_first`` words it as the first instruction of a session
    ("First, warm up for 5 minutes."). ``brief`` gives the shortest form ("Run now."), which the scheduler
    falls back to when a segment is too short for the full one.
    """
    words = _WORDS[segment.kind]
    if brief:
        return f"{words.verb.capitalize()} now." + _ordinal_words(segment, ordinal)
    duration = duration_words(segment.duration_s)
    if is_first:
        text = f"First, {words.verb} for {duration}."
    elif segment.kind is SegmentKind.FREE:
        text = f"Your own pace now, {duration}."
    else:
        text = f"{words.verb.capitalize()} now, {duration}."
    for part in _targets(segment, None if is_first else previous, units):
        text += f" {part[0].upper()}{part[1:]}."
    return text + _ordinal_words(segment, ordinal)


def start_text(plan_name: str, total_s: float) -> str:
    """The welcome that opens a session: "Here we go: Easy intervals, 30 minutes in all."."""
    # Program sessions are named "Couch to 5K \u00b7 Week 3 \u00b7 Run 2": a speech engine reads the dot aloud,
    # and the coach's briefing says the week and run right after, so the program's name is enough here.
    name = plan_name.split("\u00b7", 1)[0].strip()
    name = " ".join(name.split()).rstrip(".!?:;,")
    total = duration_words(total_s)
    if not name:
        return f"Here we go: {total} in all."
    # "Mindful 30, 30 minutes in all" says the number twice: a name that already ends in it is enough.
    words = name.split()
    if total_s % 60 == 0 and words[-1] == str(int(total_s // 60)):
        return f"Here we go: {name}."
    return f"Here we go: {name}, {total} in all."


def session_halfway_text(total_s: float) -> str:
    """For the middle of a session: ``Halfway there. 15 minutes done, and the same again to go.``"""
    return f"Halfway there. {duration_words(total_s / 2)} done, and the same again to go."


def segment_halfway_text(segment: Segment, *, ordinal: Ordinal | None = None) -> str:
    """For the middle of a long segment: ``Halfway through this run, 3 minutes to go.``"""
    return f"Halfway through {_which(segment, ordinal)}, {duration_words(segment.duration_s / 2)} to go."


def one_minute_text(segment: Segment, *, ordinal: Ordinal | None = None, is_last: bool = False) -> str:
    """``One minute left in this run.``; ``is_last`` marks the session's last segment."""
    if is_last:
        return "One minute left in the session."
    return f"One minute left in {_which(segment, ordinal)}."


def finish_text(seed: int, total_s: float) -> str:
    """The last words of a run, thanking the runner; ``seed`` picks one of :data:`FINISH_TEXTS`."""
    return FINISH_TEXTS[seed % len(FINISH_TEXTS)].format(total=duration_words(total_s))

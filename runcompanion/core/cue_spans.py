"""The stretches of a run's timeline that cues already occupy, and where a new cue may still go.

Each cue keeps a distance from the others that depends on what both are: a library cue keeps 15 seconds
from anything to do with the interval (a heads-up, countdown or change belongs to that moment), progress
cues keep 3 seconds. Pure; used by one scheduling run at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

QUIET_S = 15.0
"""Library cues keep this far from heads-ups, countdowns and changes: those moments belong to the interval."""
PROGRESS_CLEARANCE_S = 3.0
"""Halfway and one-minute cues keep this far from interval cues."""
LIBRARY_CLEARANCE_S = 3.0
"""Library cues keep this far from progress cues and from each other."""


class Role(Enum):
    """What an occupied stretch of the timeline is, which decides how far later cues keep from it."""

    INTERVAL = "interval"
    PROGRESS = "progress"
    LIBRARY = "library"


_CLEARANCE: dict[tuple[Role, Role], float] = {
    # (role being placed, role already there) -> seconds of silence between them
    (Role.PROGRESS, Role.INTERVAL): PROGRESS_CLEARANCE_S,
    (Role.PROGRESS, Role.PROGRESS): PROGRESS_CLEARANCE_S,
    (Role.LIBRARY, Role.INTERVAL): QUIET_S,
    (Role.LIBRARY, Role.PROGRESS): LIBRARY_CLEARANCE_S,
    (Role.LIBRARY, Role.LIBRARY): LIBRARY_CLEARANCE_S,
}


@dataclass(frozen=True, slots=True)
class Span:
    start: float
    end: float
    role: Role


class Occupancy:
    """The spans taken so far in a session of ``total`` seconds."""

    def __init__(self, total: float) -> None:
        self._total = total
        self._spans: list[Span] = []
        # The padded spans for each role that may be placed, sorted, until the next ``take``: the scheduler
        # asks hundreds of times between two takes, and rebuilding them each time was most of an hour's
        # scheduling time (docs/benchmarks.md).
        self._padded: dict[Role, list[tuple[float, float]]] = {}

    def take(self, start: float, end: float, role: Role) -> None:
        self._spans.append(Span(start, end, role))
        self._padded.clear()

    def _forbidden(self, duration: float, role: Role) -> list[tuple[float, float]]:
        """Open ranges of start times where a cue of ``duration`` and ``role`` would crowd another cue."""
        padded = self._padded.get(role)
        if padded is None:
            pads = {there: _CLEARANCE[(role, there)] for there in Role if (role, there) in _CLEARANCE}
            padded = sorted((span.start - pads[span.role], span.end + pads[span.role]) for span in self._spans)
            self._padded[role] = padded
        return [(lo - duration, hi) for lo, hi in padded]

    def _fits_at(self, start: float, duration: float, forbidden: Sequence[tuple[float, float]]) -> bool:
        if start < 0 or start + duration > self._total:
            return False
        return all(not lo < start < hi for lo, hi in forbidden)

    def nearest_start(self, duration: float, role: Role, target: float, lo: float, hi: float) -> float | None:
        """The allowed start closest to ``target`` within ``[lo, hi]``, or ``None``."""
        forbidden = self._forbidden(duration, role)
        # The best start is the target itself or the edge of a forbidden range.
        candidates = [target] + [edge for pair in forbidden for edge in pair]
        allowed = [c for c in candidates if lo <= c <= hi and self._fits_at(c, duration, forbidden)]
        return min(allowed, key=lambda c: (abs(c - target), c)) if allowed else None

    def earliest_start(self, duration: float, role: Role, lo: float, hi: float) -> float | None:
        """The first allowed start in ``[lo, hi]``, or ``None``."""
        forbidden = self._forbidden(duration, role)
        start = lo
        moved = True
        while moved:
            moved = False
            for f_lo, f_hi in forbidden:
                if f_lo < start < f_hi:
                    start = f_hi
                    moved = True
        if start > hi or not self._fits_at(start, duration, forbidden):
            return None
        return start

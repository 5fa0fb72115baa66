"""A session: a named list of segments, each with a duration and optional treadmill and effort targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SegmentKind(StrEnum):
    WARMUP = "warmup"
    RUN = "run"
    WALK = "walk"
    RECOVER = "recover"
    COOLDOWN = "cooldown"
    FREE = "free"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_hard(self) -> bool:
        """Segments where breath-counting and long reflective cues do not fit."""
        return self is SegmentKind.RUN


_KIND_LABELS = {
    SegmentKind.WARMUP: "Warm-up",
    SegmentKind.RUN: "Run",
    SegmentKind.WALK: "Walk",
    SegmentKind.RECOVER: "Recover",
    SegmentKind.COOLDOWN: "Cool-down",
    SegmentKind.FREE: "Free",
}


@dataclass(frozen=True, slots=True)
class Segment:
    """One block of a session. Speeds are kept in km/h; the UI converts to the runner's units."""

    kind: SegmentKind
    duration_s: float
    label: str = ""
    effort: int | None = None  # Borg CR10, 0..10
    speed_kmh: float | None = None
    incline_pct: float | None = None

    @property
    def title(self) -> str:
        return self.label or self.kind.label


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """An ordered list of segments with an id (a slug) and a name.

    ``tags`` say what the session is for (``mindful``, ``intervals``, ...), which the cue scheduler and the
    journal's charts use.
    """

    id: str
    name: str
    segments: tuple[Segment, ...]
    description: str = ""
    tags: tuple[str, ...] = field(default=())
    builtin: bool = False

    @property
    def total_s(self) -> float:
        return sum(s.duration_s for s in self.segments)

    def segment_starts(self) -> list[float]:
        """Offset of each segment's start from the start of the session, in seconds."""
        starts: list[float] = []
        t = 0.0
        for seg in self.segments:
            starts.append(t)
            t += seg.duration_s
        return starts

    def segment_at(self, offset_s: float) -> int:
        """Index of the segment running at ``offset_s``; the last one at or after the end."""
        t = 0.0
        for i, seg in enumerate(self.segments):
            t += seg.duration_s
            if offset_s < t:
                return i
        return len(self.segments) - 1

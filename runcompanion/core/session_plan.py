"""A session: a named list of segments, each with a duration and optional treadmill and effort targets."""

from __future__ import annotations

from collections.abc import Sequence
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
class SpokenNote:
    """The runner's own cue: ``text`` spoken ``at_s`` seconds after its segment starts."""

    at_s: float
    text: str


@dataclass(frozen=True, slots=True)
class Segment:
    """One block of a session. Speeds are kept in km/h; the UI converts to the runner's units."""

    kind: SegmentKind
    duration_s: float
    label: str = ""
    effort: int | None = None  # Borg CR10, 0..10
    speed_kmh: float | None = None
    incline_pct: float | None = None
    notes: tuple[SpokenNote, ...] = ()

    @property
    def title(self) -> str:
        return self.label or self.kind.label


@dataclass(frozen=True, slots=True)
class RepeatBlock:
    """``times`` repetitions of ``length`` segments, from index ``first`` of the plan's (expanded) segments.

    The timer engine runs the expanded list; the block is kept so that the editor and the file writers can show
    and write "6 x (1:00 run, 1:30 walk)" as the runner built it.
    """

    first: int
    length: int
    times: int

    @property
    def end(self) -> int:
        """Index just past the block's last segment."""
        return self.first + self.length * self.times


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """An ordered list of segments with an id (a slug) and a name.

    ``tags`` say what the session is for (``mindful``, ``intervals``, ...), which the cue scheduler and the
    journal's charts use.

    ``briefing`` and ``themes`` are the coach's spoken texts from the file's ``[spoken]`` table.
    """

    id: str
    name: str
    segments: tuple[Segment, ...]
    description: str = ""
    tags: tuple[str, ...] = field(default=())
    builtin: bool = False
    repeats: tuple[RepeatBlock, ...] = ()
    briefing: str = ""
    """Spoken by the coach at the start of every run of this session (see core/spoken_texts.py)."""
    themes: tuple[str, ...] = ()
    """A mindful theme per segment ("breath", "steps", ...; "" for none), introduced as the segment starts."""

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

    def theme_of(self, index: int) -> str:
        """The mindful theme of segment ``index``, or ``""``."""
        return self.themes[index] if index < len(self.themes) else ""


@dataclass(frozen=True, slots=True)
class Repeat:
    """A repeat block as the runner builds it: ``segments`` done ``times`` times over."""

    times: int
    segments: tuple[Segment, ...]

    @property
    def total_s(self) -> float:
        return self.times * sum(s.duration_s for s in self.segments)


SessionItem = Segment | Repeat
"""One item of a session as built and written: a segment, or a repeat block of segments."""


def fold_items(plan: SessionPlan) -> list[SessionItem]:
    """The plan's segments with its repeat blocks folded back into ``Repeat`` items."""
    blocks = {block.first: block for block in plan.repeats}
    items: list[SessionItem] = []
    index = 0
    while index < len(plan.segments):
        block = blocks.get(index)
        if block is None:
            items.append(plan.segments[index])
            index += 1
        else:
            items.append(Repeat(block.times, plan.segments[block.first : block.first + block.length]))
            index = block.end
    return items


def expand_items(items: Sequence[SessionItem]) -> tuple[tuple[Segment, ...], tuple[RepeatBlock, ...]]:
    """The flat segments the engine runs, and where the repeat blocks sit in them."""
    segments: list[Segment] = []
    blocks: list[RepeatBlock] = []
    for item in items:
        if isinstance(item, Repeat):
            blocks.append(RepeatBlock(len(segments), len(item.segments), item.times))
            segments.extend(item.segments * item.times)
        else:
            segments.append(item)
    return tuple(segments), tuple(blocks)

"""What the timer engine hands out: its states, its events (the countdown's numbers too), its snapshot and its
per-segment log.

Plain values, apart from the engine (``core/timer_engine.py``) so that what reads them (the run screen, the
run session, the devices, exports) depends on the vocabulary and not on the machinery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from runcompanion.core.cue_timeline import TimelineCue
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan


class EngineState(StrEnum):
    READY = "ready"
    COUNTDOWN = "countdown"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"


class EventKind(StrEnum):
    COUNTDOWN_TICK = "countdown_tick"  # countdown_left says which number to show or beep
    STARTED = "started"  # the countdown reached 0; session time starts
    SEGMENT_STARTED = "segment_started"  # segment_index is the segment now running
    CUE = "cue"  # play cue
    PAUSED = "paused"
    RESUMED = "resumed"
    FINISHED = "finished"
    STOPPED = "stopped"
    CUE_DROPPED = "cue_dropped"  # a low-priority cue came too late to be worth saying; for logs and captions


@dataclass(frozen=True, slots=True)
class EngineEvent:
    """Something that happened. ``offset_s`` is the session time it was due (negative during the countdown);
    ``lateness_s`` is how far behind that the step that delivered it came, so a player can choose to skip a
    stale beep.
    """

    kind: EventKind
    offset_s: float
    segment_index: int
    cue: TimelineCue | None = None
    cue_id: int = -1
    """The cue's index in the timeline: what a player plays it by (``runcompanion.audio.player``)."""
    countdown_left: int | None = None
    lateness_s: float = 0.0


@dataclass(frozen=True, slots=True)
class EngineSnapshot:
    """What the run screen draws. Reads the clock at the moment it is taken; times are session seconds."""

    state: EngineState
    elapsed_s: float
    segment_index: int
    segment_elapsed_s: float
    segment_remaining_s: float
    total_s: float
    remaining_s: float
    countdown_remaining_s: float
    segments_done: int  # segments completed or skipped: those before the current one, all of them at the end
    progress: float  # 0..1 of the whole session


@dataclass(frozen=True, slots=True)
class SegmentLogEntry:
    """How a segment went, for the run record. ``actual_s`` is session time spent in it (pauses excluded, a
    replay after back included); ``skipped`` says the runner left it with skip the last time they left it.
    ``pauses`` are (seconds of ``actual_s`` done when the pause began, pause length), so an activity file can
    show each pause where it was.
    """

    index: int
    kind: SegmentKind
    planned_s: float
    actual_s: float
    skipped: bool
    pauses: tuple[tuple[float, float], ...] = ()


@dataclass(slots=True)
class SegmentTally:
    """How a segment is going, as the engine counts it; ``entry`` is what the run record keeps of it."""

    actual_s: float = 0.0
    skipped: bool = False
    pauses: list[tuple[float, float]] = field(default_factory=list)

    def entry(self, index: int, segment: Segment) -> SegmentLogEntry:
        return SegmentLogEntry(
            index=index,
            kind=segment.kind,
            planned_s=float(segment.duration_s),
            actual_s=self.actual_s,
            skipped=self.skipped,
            pauses=tuple(self.pauses),
        )


def snapshot_at(
    plan: SessionPlan, starts: Sequence[float], state: EngineState, elapsed: float, countdown_left: float
) -> EngineSnapshot:
    """The picture of a run of ``plan`` (segments starting at ``starts``) at session time ``elapsed``, which
    the engine has already held between 0 and the plan's end."""
    total = float(plan.total_s)
    n = len(plan.segments)
    if state is EngineState.FINISHED:
        index, done = n - 1, n
    else:
        index = plan.segment_at(elapsed)
        done = index
    seg_duration = float(plan.segments[index].duration_s)
    seg_elapsed = min(max(elapsed - starts[index], 0.0), seg_duration)
    return EngineSnapshot(
        state=state,
        elapsed_s=elapsed,
        segment_index=index,
        segment_elapsed_s=seg_elapsed,
        segment_remaining_s=seg_duration - seg_elapsed,
        total_s=total,
        remaining_s=total - elapsed,
        countdown_remaining_s=countdown_left,
        segments_done=done,
        progress=elapsed / total,
    )


def countdown_ticks(next_tick: int, elapsed: float, countdown_s: float) -> list[EngineEvent]:
    """The countdown's numbers due by session time ``elapsed`` (negative in the countdown), from ``next_tick``
    down to 1: which number to show or beep, and how late the step that delivers it comes."""
    ticks: list[EngineEvent] = []
    for left in range(next_tick, 0, -1):
        if elapsed < -left:
            break
        offset = max(-float(left), -countdown_s)
        ticks.append(EngineEvent(EventKind.COUNTDOWN_TICK, offset, 0, countdown_left=left, lateness_s=elapsed - offset))
    return ticks

"""The timer engine: turns a plan, its cue timeline and a clock into the events of a guided run.

The engine owns no timer and no thread. Something (one Qt timer in the app, a test loop in tests) calls
``step()`` often; every call returns the events that came due since the last call, in time order. Commands
(``pause``, ``skip``, ...) return events too: first whatever had come due up to that moment, then their own.

Time: session time is read from the injected monotonic clock (``core/session_clock.py``), never summed from
ticks, so a one-hour run drifts by zero however irregular the steps are. The pre-run countdown is negative
session time: it runs from ``-countdown_s`` to 0, and timeline offsets (session time) start at 0.

Threading: not thread-safe. Build it and call every method from one thread (the GUI thread in the app); which
thread that is does not matter.
"""

from __future__ import annotations

import bisect
import math

from runcompanion.core.clock import Clock
from runcompanion.core.cue_timeline import CueKind, CuePriority, CueTimeline, TimelineCue
from runcompanion.core.engine_events import (
    EngineEvent,
    EngineSnapshot,
    EngineState,
    EventKind,
    SegmentLogEntry,
    SegmentTally,
    countdown_ticks,
    snapshot_at,
)
from runcompanion.core.engine_inputs import check_cues, check_run_inputs, continues_from
from runcompanion.core.session_clock import SessionClock
from runcompanion.core.session_plan import SessionPlan

BACK_RESTART_WINDOW_S = 3.0
"""Within this many seconds of a segment's start, back goes to the previous segment instead of restarting."""


_LIVE_STATES = (EngineState.COUNTDOWN, EngineState.RUNNING, EngineState.PAUSED)


class TimerEngine:
    """Drives one guided run. Pure and deterministic: the same calls at the same clock readings give the same
    events. Invalid calls (resume while running, anything after the end) return ``[]`` and change nothing.

    Cue rules: a cue is due when session time reaches its offset. A LOW cue more than ``late_drop_s`` late
    becomes ``CUE_DROPPED``; NORMAL and HIGH cues always play, however late. Cues in a range jumped over by
    skip are not played, with one exception: when a skip ends the session, the FINISH cues of the skipped
    range still play, so the runner is thanked however the run ends. After back, NORMAL and HIGH cues of the
    replayed range play again; a LOW cue that has already played does not. Cues timed after the end of the
    session never play.
    """

    def __init__(
        self,
        plan: SessionPlan,
        timeline: CueTimeline,
        clock: Clock,
        *,
        countdown_s: float = 5.0,
        late_drop_s: float = 3.0,
    ) -> None:
        """``clock`` is monotonic seconds (``time.monotonic`` in the app). ``countdown_s`` is the pre-run
        countdown (0 for none); ``late_drop_s`` is how late a LOW cue may be and still play.

        Raises ``ValueError`` for what no run can be made of: no segments, a non-positive duration, a cue
        timed before the session starts, a negative countdown.
        """
        check_run_inputs(plan, timeline, countdown_s=countdown_s, late_drop_s=late_drop_s)
        self._plan = plan
        self._clock = clock
        self._countdown_s = float(countdown_s)
        self._late_drop_s = float(late_drop_s)
        self._starts = plan.segment_starts()
        self._total = float(plan.total_s)
        self._cues = timeline.cues
        self._cue_offsets = [float(c.offset_s) for c in timeline.cues]

        self._state = EngineState.READY
        # The state to return to on resume, and the phase the time belongs to: COUNTDOWN or RUNNING.
        self._phase = EngineState.COUNTDOWN
        self._time = SessionClock(-self._countdown_s)
        self._pause_at: tuple[int, float] | None = None  # segment and its time done when the pause began

        self._next_tick = math.ceil(self._countdown_s)
        self._seg_index = -1  # no segment entered before the countdown ends
        self._pos = 0.0  # session time up to which events were delivered and time was accounted
        self._next_cue = 0
        self._played_low: set[int] = set()
        self._records: list[SegmentTally] = []

    # ---------------------------------------------------------------------------------------------- queries

    @property
    def state(self) -> EngineState:
        return self._state

    @property
    def plan(self) -> SessionPlan:
        return self._plan

    @property
    def position_s(self) -> float:
        """Session time up to which events were delivered (0 until the countdown ends). A timeline attached now
        is said from here: its cues due at or after it."""
        return self._pos

    @property
    def cues(self) -> tuple[TimelineCue, ...]:
        """The cue timeline attached so far (empty until ``attach_timeline``)."""
        return tuple(self._cues)

    def snapshot(self) -> EngineSnapshot:
        """The run as of the clock now. Call ``step()`` first so the events and the picture agree."""
        countdown_left = 0.0
        if self._state is EngineState.READY:
            elapsed = 0.0
            countdown_left = self._countdown_s
        else:
            raw = self._now_offset(self._clock())
            if self._phase is EngineState.COUNTDOWN and self._state in _LIVE_STATES:
                countdown_left = max(0.0, -raw)
            elapsed = min(max(raw, 0.0), self._total)
        return snapshot_at(self._plan, self._starts, self._state, elapsed, countdown_left)

    def segment_log(self) -> list[SegmentLogEntry]:
        """One entry per segment entered so far, by index (entered segments are always 0..k)."""
        return [tally.entry(i, self._plan.segments[i]) for i, tally in enumerate(self._records)]

    # --------------------------------------------------------------------------------------------- commands

    def attach_timeline(self, timeline: CueTimeline) -> bool:
        """Hand over the cues once they are ready: the app synthesizes them while the countdown runs.

        Cues whose moment has already passed (when synthesis outlasted the countdown) are left out rather
        than played late all at once. Returns False, changing nothing, once the run has ended or when the
        engine already has cues.
        """
        if self._state in (EngineState.FINISHED, EngineState.STOPPED) or self._cues:
            return False
        check_cues(timeline)
        self._cues = timeline.cues
        self._cue_offsets = [float(c.offset_s) for c in timeline.cues]
        self._next_cue = bisect.bisect_left(self._cue_offsets, self._pos) if self._seg_index >= 0 else 0
        return True

    def replace_upcoming(self, timeline: CueTimeline) -> bool:
        """Swap in a re-planned timeline (core/coach_replan.py) whose cues up to now are the ones attached.

        Returns False, changing nothing, when the run has ended, has no cues yet, or when ``timeline`` differs
        from the attached one in a cue already delivered (it would shift the ids the player plays by).
        """
        if self._state in (EngineState.FINISHED, EngineState.STOPPED) or not self._cues:
            return False
        said = max(self._next_cue, max(self._played_low, default=-1) + 1)  # after back: heard ones are later
        if tuple(timeline.cues[:said]) != tuple(self._cues[:said]):
            return False
        check_cues(timeline)
        self._cues = timeline.cues
        self._cue_offsets = [float(c.offset_s) for c in timeline.cues]
        return True

    def switch_plan(self, plan: SessionPlan, timeline: CueTimeline) -> bool:
        """Go on as a run of ``plan`` (the shorter version after a low check-in) with ``timeline``, from here.

        False, changing nothing, when ``plan`` does not carry on the run as it stands (core/engine_inputs.py,
        ``continues_from``) or ``replace_upcoming`` refuses ``timeline``."""
        if not continues_from(self._plan, plan, self._seg_index, self._pos) or not self.replace_upcoming(timeline):
            return False
        self._plan, self._starts, self._total = plan, plan.segment_starts(), float(plan.total_s)
        return True

    def replace_timeline(self, timeline: CueTimeline) -> bool:
        """Swap in another timeline mid-run: a run whose speech was not ready started with the captions-only
        timeline and joins the voice with the spoken one. Cues already due are not said again. Returns False,
        changing nothing, once the run has ended."""
        if self._state in (EngineState.FINISHED, EngineState.STOPPED):
            return False
        check_cues(timeline)
        self._cues = ()
        return self.attach_timeline(timeline)

    def start(self) -> list[EngineEvent]:
        """READY -> COUNTDOWN, or straight to RUNNING when there is no countdown."""
        if self._state is not EngineState.READY:
            return []
        now = self._clock()
        self._time.start(now)
        self._state = EngineState.COUNTDOWN
        return self._collect(now)

    def step(self) -> list[EngineEvent]:
        """Everything that came due since the last call, in time order."""
        if self._state not in _LIVE_STATES:
            return []
        return self._collect(self._clock())

    def pause(self) -> list[EngineEvent]:
        """Pause the countdown or the run; the paused time is not session time."""
        if self._state not in (EngineState.COUNTDOWN, EngineState.RUNNING):
            return []
        now = self._clock()
        events = self._collect(now)
        if self._finished():
            return events
        self._time.pause(now)
        self._pause_at = (
            (self._seg_index, self._records[self._seg_index].actual_s)
            if self._state is EngineState.RUNNING and 0 <= self._seg_index < len(self._records)
            else None
        )
        self._state = EngineState.PAUSED
        events.append(self._event(EventKind.PAUSED, self._now_offset(now)))
        return events

    def resume(self) -> list[EngineEvent]:
        if self._state is not EngineState.PAUSED or not self._time.paused:
            return []
        now = self._clock()
        paused = self._time.resume(now)
        if self._pause_at is not None:
            index, done = self._pause_at
            self._records[index].pauses.append((done, paused))
            self._pause_at = None
        self._state = self._phase
        events = [self._event(EventKind.RESUMED, self._now_offset(now))]
        events += self._collect(now)
        return events

    def skip(self) -> list[EngineEvent]:
        """Jump to the start of the next segment; from the last one, finish. During the countdown, start now.

        Works while paused too; the run stays paused at the new place.
        """
        if self._state not in _LIVE_STATES:
            return []
        now = self._clock()
        events = self._collect(now)
        if self._finished():
            return events
        if self._phase is EngineState.COUNTDOWN:
            self._next_tick = 0  # the remaining numbers are skipped, not beeped all at once
            self._time.reanchor(now, 0.0)
            events += self._collect(now)
            return events

        current = self._seg_index
        last = current + 1 >= len(self._starts)
        target = self._total if last else self._starts[current + 1]
        kept_finish: list[int] = []
        while self._next_cue < len(self._cues) and self._cue_offsets[self._next_cue] < target:
            if last and self._cues[self._next_cue].kind is CueKind.FINISH:
                kept_finish.append(self._next_cue)
            self._next_cue += 1
        self._time.reanchor(now, target)
        self._pos = target  # a jump: the skipped time is not counted as time spent in the segment
        if not last:
            self._enter_segment(current + 1, events, lateness=0.0)
        events.extend(self._event(EventKind.CUE, target, cue=self._cues[i], cue_id=i) for i in kept_finish)
        events += self._collect(now)
        # Set last: finishing counts as leaving the last segment by running to its end, which this was not.
        self._records[current].skipped = True
        return events

    def back(self) -> list[EngineEvent]:
        """Go to the start of this segment, or of the previous one within the first 3 seconds of this one."""
        if self._state not in _LIVE_STATES or self._phase is EngineState.COUNTDOWN:
            return []
        now = self._clock()
        events = self._collect(now)
        if self._finished():
            return events
        current = self._seg_index
        into = self._pos - self._starts[current]
        target = current - 1 if into < BACK_RESTART_WINDOW_S and current > 0 else current
        start = self._starts[target]
        self._time.reanchor(now, start)
        self._pos = start
        self._next_cue = bisect.bisect_left(self._cue_offsets, start)
        # Back into a segment left with skip: the runner is doing it after all, so it no longer counts as skipped.
        self._records[target].skipped = False
        self._enter_segment(target, events, lateness=0.0)
        events += self._collect(now)
        return events

    def stop(self) -> list[EngineEvent]:
        """End the run early. If it had already reached its end, it finishes instead."""
        if self._state not in _LIVE_STATES:
            return []
        now = self._clock()
        events = self._collect(now)
        if self._finished():
            return events
        offset = self._now_offset(now)
        self._time.freeze(offset)
        self._state = EngineState.STOPPED
        events.append(self._event(EventKind.STOPPED, offset))
        return events

    # ------------------------------------------------------------------------------------------- internals

    def _finished(self) -> bool:
        # A method, not an inline comparison: commands check it after _collect() may have changed the state.
        return self._state is EngineState.FINISHED

    def _now_offset(self, now: float) -> float:
        """Session time now, never before what was already delivered (float rounding) nor after the end."""
        elapsed = self._time.elapsed(now)
        if self._phase is EngineState.RUNNING:
            elapsed = max(elapsed, self._pos)
        return min(elapsed, self._total)

    def _event(
        self,
        kind: EventKind,
        offset: float,
        *,
        cue: TimelineCue | None = None,
        cue_id: int = -1,
        lateness: float = 0.0,
    ) -> EngineEvent:
        return EngineEvent(kind, offset, max(self._seg_index, 0), cue=cue, cue_id=cue_id, lateness_s=lateness)

    def _collect(self, now: float) -> list[EngineEvent]:
        """Deliver everything due up to the clock reading ``now``, in time order."""
        events: list[EngineEvent] = []
        elapsed = self._time.elapsed(now)
        if self._phase is EngineState.COUNTDOWN:
            ticks = countdown_ticks(self._next_tick, elapsed, self._countdown_s)
            self._next_tick -= len(ticks)
            events += ticks
            if elapsed < 0:
                return events
            self._phase = EngineState.RUNNING
            if self._state is EngineState.COUNTDOWN:
                self._state = EngineState.RUNNING
            events.append(EngineEvent(EventKind.STARTED, 0.0, 0, lateness_s=elapsed))
        self._advance(elapsed, events)
        return events

    def _advance(self, elapsed: float, events: list[EngineEvent]) -> None:
        """Deliver segment starts and cues up to session time ``elapsed``; a segment start goes before a cue
        due at the same moment, so the cue is heard in the segment it belongs to.
        """
        end = min(elapsed, self._total)
        n = len(self._starts)
        while True:
            nxt = self._seg_index + 1
            boundary = self._starts[nxt] if nxt < n else math.inf
            cue_at = self._cue_offsets[self._next_cue] if self._next_cue < len(self._cues) else math.inf
            if boundary <= cue_at and boundary <= end:
                self._account(boundary)
                if self._seg_index >= 0:
                    self._records[self._seg_index].skipped = False  # left by running to its end
                self._enter_segment(nxt, events, lateness=elapsed - boundary)
            elif cue_at <= end:
                self._deliver_cue(self._next_cue, elapsed, events)
                self._next_cue += 1
            else:
                break
        self._account(end)
        if elapsed >= self._total:
            self._finish(elapsed, events)

    def _enter_segment(self, index: int, events: list[EngineEvent], *, lateness: float) -> None:
        self._seg_index = index
        while len(self._records) <= index:
            self._records.append(SegmentTally())
        events.append(self._event(EventKind.SEGMENT_STARTED, self._starts[index], lateness=lateness))

    def _deliver_cue(self, index: int, elapsed: float, events: list[EngineEvent]) -> None:
        cue = self._cues[index]
        offset = self._cue_offsets[index]
        lateness = elapsed - offset
        if cue.priority is CuePriority.LOW:
            if index in self._played_low:
                return  # heard once already; replaying it after back would only repeat
            if lateness > self._late_drop_s:
                events.append(self._event(EventKind.CUE_DROPPED, offset, cue=cue, cue_id=index, lateness=lateness))
                return
            self._played_low.add(index)
        events.append(self._event(EventKind.CUE, offset, cue=cue, cue_id=index, lateness=lateness))

    def _account(self, to: float) -> None:
        """Count session time up to ``to`` as spent in the current segment."""
        if to > self._pos:
            if self._seg_index >= 0:
                self._records[self._seg_index].actual_s += to - self._pos
            self._pos = to

    def _finish(self, elapsed: float, events: list[EngineEvent]) -> None:
        self._account(self._total)
        self._time.freeze(self._total)
        self._state = EngineState.FINISHED
        events.append(self._event(EventKind.FINISHED, self._total, lateness=max(elapsed - self._total, 0.0)))

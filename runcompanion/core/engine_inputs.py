"""What the timer engine refuses to run: its inputs checked in one place, before any state changes.

The engine (core/timer_engine.py) checks a new run's plan and settings once, and every timeline it is handed
(at start, when the cues arrive, on a re-plan): a cue due before the session starts or at a non-finite offset
would never be delivered in order. A plan switched to mid-run must carry on the run as it stands.
"""

from __future__ import annotations

import math
from dataclasses import replace

from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.session_plan import SessionPlan


def check_cues(timeline: CueTimeline) -> None:
    """Raise ``ValueError`` unless every cue is due at a finite offset >= 0."""
    if any(not (math.isfinite(c.offset_s) and c.offset_s >= 0) for c in timeline.cues):
        raise ValueError("timeline cues must be due at a finite offset >= 0")


def check_run_inputs(plan: SessionPlan, timeline: CueTimeline, *, countdown_s: float, late_drop_s: float) -> None:
    """Raise ``ValueError`` for what no run can be made of: no segments, a non-positive duration, a cue timed
    before the session starts, a negative or non-finite countdown or drop window."""
    if not plan.segments:
        raise ValueError("a plan needs at least one segment")
    if any(not (math.isfinite(s.duration_s) and s.duration_s > 0) for s in plan.segments):
        raise ValueError("every segment needs a positive, finite duration")
    if not (math.isfinite(countdown_s) and countdown_s >= 0):
        raise ValueError("countdown_s must be a finite number >= 0")
    if not (math.isfinite(late_drop_s) and late_drop_s >= 0):
        raise ValueError("late_drop_s must be a finite number >= 0")
    check_cues(timeline)


def continues_from(old: SessionPlan, new: SessionPlan, segment: int, position_s: float) -> bool:
    """Whether a run of ``old`` in segment ``segment`` (-1: the countdown) at session time ``position_s`` can go
    on as a run of ``new`` (the shorter version a low check-in offers): the segments done so far are the same,
    the current one differs at most in length and does not end before ``position_s``, and ``new`` is runnable.
    """
    if not new.segments or any(not (math.isfinite(s.duration_s) and s.duration_s > 0) for s in new.segments):
        return False
    if segment < 0:
        return True
    if segment >= len(new.segments) or new.segments[:segment] != old.segments[:segment]:
        return False
    current, then = new.segments[segment], old.segments[segment]
    ends = sum(s.duration_s for s in new.segments[: segment + 1])
    return replace(current, duration_s=then.duration_s) == then and position_s < ends

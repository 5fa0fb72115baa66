"""Turns the engine's snapshot into the words and numbers the run screen shows. No Qt: plain strings."""

from __future__ import annotations

import math

from runcompanion.core.engine_events import EngineSnapshot, EngineState, SegmentLogEntry
from runcompanion.core.session_plan import Segment, SessionPlan
from runcompanion.core.units import SpeedUnit, format_speed
from runcompanion.ui.common.widgets import format_clock
from runcompanion.ui.run.screen import RunSummary, RunView


def targets_text(segment: Segment, units: SpeedUnit) -> str:
    parts: list[str] = []
    if segment.speed_kmh is not None:
        parts.append(format_speed(units, segment.speed_kmh))
    if segment.incline_pct is not None:
        parts.append(f"incline {segment.incline_pct:g} %")
    if segment.effort is not None:
        parts.append(f"effort {segment.effort}/10")
    return " · ".join(parts)


def view_for(snapshot: EngineSnapshot, plan: SessionPlan, units: SpeedUnit) -> RunView:
    index = min(snapshot.segment_index, len(plan.segments) - 1)
    segment = plan.segments[index]
    following = plan.segments[index + 1] if index + 1 < len(plan.segments) else None
    state = snapshot.state

    paused_in_countdown = state is EngineState.PAUSED and snapshot.countdown_remaining_s > 0
    if state is EngineState.COUNTDOWN or state is EngineState.READY or paused_in_countdown:
        first = plan.segments[0]
        return RunView(
            phase="paused" if paused_in_countdown else "countdown",
            big_time=str(max(1, math.ceil(snapshot.countdown_remaining_s - 1e-6))),
            now_kind=first.kind.value,
            now_title="Paused · Get ready" if paused_in_countdown else "Get ready",
            now_targets=f"First: {first.title} {format_clock(first.duration_s)}",
            next_line=targets_text(first, units),
            elapsed_line=f"0:00 of {format_clock(plan.total_s)}",
            segment_line=f"Segment 1 of {len(plan.segments)}",
            position_s=0.0,
        )

    if following is None:
        next_line = "Last one. The finish is at the end of this segment."
    else:
        targets = targets_text(following, units)
        next_line = f"Next: {following.title} {format_clock(following.duration_s)}" + (
            f" · {targets}" if targets else ""
        )
    phase = {
        EngineState.PAUSED: "paused",
        EngineState.FINISHED: "finished",
        EngineState.STOPPED: "stopped",
    }.get(state, "running")
    title = segment.title
    if phase == "paused":
        title = f"Paused · {segment.title}"
    return RunView(
        phase=phase,
        big_time=format_clock(snapshot.segment_remaining_s, ceil=True),
        now_kind=segment.kind.value,
        now_title=title,
        now_targets=targets_text(segment, units),
        next_line=next_line,
        elapsed_line=f"{format_clock(snapshot.elapsed_s)} of {format_clock(plan.total_s)}",
        segment_line=f"Segment {index + 1} of {len(plan.segments)}",
        position_s=snapshot.elapsed_s,
    )


def summary_for(finished: bool, plan: SessionPlan, elapsed_s: float, log: list[SegmentLogEntry]) -> RunSummary:
    done = sum(1 for entry in log if not entry.skipped and entry.actual_s >= entry.planned_s - 0.5)
    skipped = sum(1 for entry in log if entry.skipped)
    lines = [
        f"Planned: {format_clock(plan.total_s)}",
        f"Moving time: {format_clock(elapsed_s)}",
        f"Segments completed: {done} of {len(plan.segments)}" + (f" ({skipped} skipped)" if skipped else ""),
    ]
    if finished:
        title = "Well done!"
        lines.insert(0, f"You finished {plan.name}.")
    else:
        title = "You stopped early, and that counts too."
        lines.append("Every minute you moved is saved in your journal.")
    return RunSummary(finished=finished, title=title, lines=lines)

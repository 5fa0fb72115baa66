"""What the run screen says, as plain strings: view_for, summary_for and targets_text, without a window.

Snapshots come from a real timer engine on a fake clock, so the words are checked against the same numbers the
app draws from.
"""

from __future__ import annotations

import pytest

from runcompanion.core.clock import FakeClock
from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.engine_events import EngineSnapshot, EngineState, SegmentLogEntry
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.timer_engine import TimerEngine
from runcompanion.core.units import SpeedUnit
from runcompanion.ui.run.view_model import summary_for, targets_text, view_for

WARMUP = Segment(SegmentKind.WARMUP, 300, "Brisk walk", effort=2, speed_kmh=5.5, incline_pct=1.0)
RUN = Segment(SegmentKind.RUN, 60, "Easy run", effort=5, speed_kmh=8.0, incline_pct=1.0)
FREE = Segment(SegmentKind.FREE, 90)  # no label, no targets
COOLDOWN = Segment(SegmentKind.COOLDOWN, 240, "Cool-down walk", effort=1, speed_kmh=5.0, incline_pct=0.0)
PLAN = SessionPlan(id="t", name="Test session", segments=(WARMUP, RUN, FREE, COOLDOWN))  # 11:30 in all


def _engine(plan: SessionPlan = PLAN) -> tuple[TimerEngine, FakeClock]:
    clock = FakeClock()
    engine = TimerEngine(plan, CueTimeline(), clock, countdown_s=5)
    return engine, clock


def _running_at(session_s: float, plan: SessionPlan = PLAN) -> tuple[TimerEngine, FakeClock]:
    engine, clock = _engine(plan)
    engine.start()
    clock.advance(5 + session_s)
    engine.step()
    return engine, clock


# --- targets_text ---------------------------------------------------------------------------------------------


def test_targets_list_speed_incline_and_effort_in_that_order() -> None:
    assert targets_text(RUN, SpeedUnit.KMH) == "8.0 km/h · incline 1 % · effort 5/10"


def test_targets_in_mph_convert_and_round_to_a_tenth() -> None:
    assert targets_text(RUN, SpeedUnit.MPH) == "5.0 mph · incline 1 % · effort 5/10"
    assert targets_text(WARMUP, SpeedUnit.MPH) == "3.4 mph · incline 1 % · effort 2/10"


def test_a_flat_incline_is_still_said_and_fractions_keep_their_digits() -> None:
    assert targets_text(COOLDOWN, SpeedUnit.KMH) == "5.0 km/h · incline 0 % · effort 1/10"
    hill = Segment(SegmentKind.RUN, 60, incline_pct=2.5)
    assert targets_text(hill, SpeedUnit.KMH) == "incline 2.5 %"


def test_a_segment_without_targets_has_no_target_text() -> None:
    assert targets_text(FREE, SpeedUnit.KMH) == ""
    assert targets_text(Segment(SegmentKind.RUN, 60, effort=7), SpeedUnit.MPH) == "effort 7/10"


# --- view_for: the countdown ----------------------------------------------------------------------------------


def test_before_the_start_the_view_is_the_countdown_from_its_full_length() -> None:
    engine, _ = _engine()
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert view.phase == "countdown"
    assert view.big_time == "5"
    assert view.now_title == "Get ready"
    assert view.now_targets == "First: Brisk walk 5:00"
    assert view.next_line == "5.5 km/h · incline 1 % · effort 2/10"
    assert view.elapsed_line == "0:00 of 11:30"
    assert view.segment_line == "Segment 1 of 4"
    assert view.now_kind == "warmup"
    assert view.position_s == 0.0


@pytest.mark.parametrize(
    ("into_countdown", "shown"),
    [(0.0, "5"), (0.001, "5"), (0.999, "5"), (1.0, "4"), (3.5, "2"), (4.0, "1"), (4.999, "1")],
)
def test_countdown_numbers_round_up_so_one_is_the_last_number_shown(into_countdown: float, shown: str) -> None:
    engine, clock = _engine()
    engine.start()
    clock.advance(into_countdown)
    engine.step()
    assert engine.state is EngineState.COUNTDOWN
    assert view_for(engine.snapshot(), PLAN, SpeedUnit.KMH).big_time == shown


def test_countdown_shows_the_first_targets_in_the_runners_units() -> None:
    engine, _ = _engine()
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.MPH)
    assert view.next_line == "3.4 mph · incline 1 % · effort 2/10"


# --- view_for: running, paused, at the end --------------------------------------------------------------------


def test_at_the_start_of_the_run_the_first_segment_shows_its_whole_length() -> None:
    engine, _ = _running_at(0)
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert view.phase == "running"
    assert view.big_time == "5:00"
    assert view.now_title == "Brisk walk"
    assert view.now_targets == "5.5 km/h · incline 1 % · effort 2/10"
    assert view.next_line == "Next: Easy run 1:00 · 8.0 km/h · incline 1 % · effort 5/10"
    assert view.elapsed_line == "0:00 of 11:30"


@pytest.mark.parametrize(
    ("session_s", "big", "elapsed"),
    [
        (0.4, "5:00", "0:00 of 11:30"),  # remaining 4:59.6 rounds up; elapsed 0.4 rounds down
        (1.0, "4:59", "0:01 of 11:30"),
        (150.0, "2:30", "2:30 of 11:30"),
        (299.2, "0:01", "4:59 of 11:30"),
    ],
)
def test_remaining_time_rounds_up_and_elapsed_time_rounds_down(session_s: float, big: str, elapsed: str) -> None:
    engine, _ = _running_at(session_s)
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert (view.big_time, view.elapsed_line) == (big, elapsed)
    assert view.position_s == pytest.approx(session_s)


def test_a_segment_change_is_shown_exactly_at_its_boundary() -> None:
    engine, _ = _running_at(300.0)
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert view.now_title == "Easy run"
    assert view.now_kind == "run"
    assert view.big_time == "1:00"
    assert view.segment_line == "Segment 2 of 4"


def test_next_segment_without_targets_has_no_dangling_separator() -> None:
    engine, _ = _running_at(310.0)
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert view.next_line == "Next: Free 1:30"


def test_a_segment_without_a_label_is_titled_by_its_kind_and_shows_no_targets() -> None:
    engine, _ = _running_at(400.0)
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert view.now_title == "Free"
    assert view.now_targets == ""
    assert view.next_line == "Next: Cool-down walk 4:00 · 5.0 km/h · incline 0 % · effort 1/10"


def test_the_last_segment_says_it_is_the_last() -> None:
    engine, _ = _running_at(500.0)
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert view.now_title == "Cool-down walk"
    assert view.next_line == "Last one. The finish is at the end of this segment."
    assert view.segment_line == "Segment 4 of 4"


def test_paused_view_keeps_the_time_and_says_paused() -> None:
    engine, clock = _running_at(150.0)
    engine.pause()
    clock.advance(600)
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert view.phase == "paused"
    assert view.now_title == "Paused · Brisk walk"
    assert view.big_time == "2:30"
    assert view.elapsed_line == "2:30 of 11:30"


def test_finished_view_shows_the_whole_session_done() -> None:
    engine, _ = _running_at(10_000.0)
    assert engine.state is EngineState.FINISHED
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert view.phase == "finished"
    assert view.big_time == "0:00"
    assert view.elapsed_line == "11:30 of 11:30"
    assert view.segment_line == "Segment 4 of 4"


def test_stopped_view_freezes_where_the_run_was_stopped() -> None:
    engine, clock = _running_at(75.0)
    engine.stop()
    clock.advance(100)
    view = view_for(engine.snapshot(), PLAN, SpeedUnit.KMH)
    assert view.phase == "stopped"
    assert view.big_time == "3:45"
    assert view.elapsed_line == "1:15 of 11:30"


def test_a_segment_index_past_the_end_is_shown_as_the_last_segment() -> None:
    snapshot = EngineSnapshot(
        state=EngineState.FINISHED,
        elapsed_s=PLAN.total_s,
        segment_index=len(PLAN.segments),
        segment_elapsed_s=240.0,
        segment_remaining_s=0.0,
        total_s=PLAN.total_s,
        remaining_s=0.0,
        countdown_remaining_s=0.0,
        segments_done=len(PLAN.segments),
        progress=1.0,
    )
    view = view_for(snapshot, PLAN, SpeedUnit.KMH)
    assert view.now_title == "Cool-down walk"
    assert view.segment_line == "Segment 4 of 4"


def test_sessions_of_an_hour_or_more_show_hours() -> None:
    long_plan = SessionPlan(id="long", name="Long", segments=(Segment(SegmentKind.RUN, 3723, "Steady"),))
    engine, _ = _running_at(0.0, long_plan)
    view = view_for(engine.snapshot(), long_plan, SpeedUnit.KMH)
    assert view.big_time == "1:02:03"
    assert view.elapsed_line == "0:00 of 1:02:03"


# --- summary_for ----------------------------------------------------------------------------------------------


def _log(*entries: tuple[float, float, bool]) -> list[SegmentLogEntry]:
    return [
        SegmentLogEntry(index=i, kind=PLAN.segments[i].kind, planned_s=planned, actual_s=actual, skipped=skipped)
        for i, (planned, actual, skipped) in enumerate(entries)
    ]


def test_a_finished_run_is_congratulated_by_name() -> None:
    log = _log((300, 300, False), (60, 60, False), (90, 90, False), (240, 240, False))
    summary = summary_for(True, PLAN, 690.0, log)
    assert summary.finished
    assert summary.title == "Well done!"
    assert summary.lines == [
        "You finished Test session.",
        "Planned: 11:30",
        "Moving time: 11:30",
        "Segments completed: 4 of 4",
    ]


def test_a_stopped_run_is_told_it_counts_and_is_saved() -> None:
    log = _log((300, 300, False), (60, 20.4, False))
    summary = summary_for(False, PLAN, 320.4, log)
    assert not summary.finished
    assert "stopped early" in summary.title
    assert summary.lines[:3] == ["Planned: 11:30", "Moving time: 5:20", "Segments completed: 1 of 4"]
    assert summary.lines[-1] == "Every minute you moved is saved in your journal."


def test_skipped_segments_are_counted_apart_and_a_nearly_full_segment_counts_as_done() -> None:
    # 59.6 of 60 s counts (within half a second); a skipped segment never does, however long it ran.
    log = _log((300, 299.6, False), (60, 59.0, True), (90, 0.0, True), (240, 240, False))
    summary = summary_for(True, PLAN, 598.6, log)
    assert summary.lines[3] == "Segments completed: 2 of 4 (2 skipped)"
    assert summary.lines[2] == "Moving time: 9:58"

"""The drift rule: the coach mentions the belt's real figures only for real, held drift, once, never as pressure."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from runcompanion.core.belt_drift import (
    COOL_DOWN_S,
    GRACE_S,
    HOLD_S,
    SPEED_TOLERANCE_KMH,
    Drift,
    DriftWatch,
    drift_remark,
    quiet_between,
)
from runcompanion.core.cue_timeline import CueKind, CuePriority, TimelineCue
from runcompanion.core.session_plan import SegmentKind
from runcompanion.core.units import SpeedUnit


def _feed(watch: DriftWatch, start: float, seconds: int, speed: float, incline: float | None = 1.0) -> float | None:
    """One reading a second from ``start``; returns the first second a remark was due, or None."""
    for second in range(seconds):
        at = start + second
        watch.reading(at, speed, incline)
        if watch.due(at) is not None:
            return at
    return None


def _run_segment(kind: SegmentKind = SegmentKind.RUN, at: float = 0.0) -> DriftWatch:
    watch = DriftWatch()
    watch.segment_started(at, kind, 8.0, 1.0)
    return watch


def test_held_drift_is_due_after_the_grace_and_the_hold_with_the_real_figures() -> None:
    watch = _run_segment()
    due_at = _feed(watch, 0.0, 60, 8.5)
    assert due_at == GRACE_S + HOLD_S
    assert watch.due(due_at) == Drift(8.5, 8.0, None, None)
    assert drift_remark(Drift(8.5, 8.0), SpeedUnit.KMH) == (
        "Just so you know: you're at 8.5 km/h; the target here is 8 km/h. Go with what feels right."
    )


def test_nothing_within_the_tolerance_nor_during_the_ramp() -> None:
    watch = _run_segment()
    assert _feed(watch, 0.0, 120, 8.0 + SPEED_TOLERANCE_KMH) is None
    ramp = _run_segment()
    for second in range(int(GRACE_S)):  # the belt climbs from 5 to 8 while the grace lasts, then holds there
        ramp.reading(second, min(8.0, 5.0 + second * 0.5), 1.0)
        assert ramp.due(second) is None
    assert _feed(ramp, GRACE_S, 60, 8.0) is None


def test_one_reading_back_on_target_starts_the_hold_again() -> None:
    watch = _run_segment()
    assert _feed(watch, 0.0, int(GRACE_S + HOLD_S) - 1, 8.5) is None
    watch.reading(GRACE_S + HOLD_S - 1, 8.0, 1.0)  # a noisy reading on target
    assert _feed(watch, GRACE_S + HOLD_S, int(HOLD_S), 8.5) is None
    assert _feed(watch, GRACE_S + 2 * HOLD_S, 2, 8.5) is not None


def test_a_silence_in_the_readings_starts_the_hold_again() -> None:
    watch = _run_segment()
    assert _feed(watch, 0.0, int(GRACE_S + HOLD_S) - 2, 8.5) is None
    assert _feed(watch, GRACE_S + HOLD_S + 10, int(HOLD_S), 8.5) is None  # ten silent seconds before this
    assert watch.due(GRACE_S + 2 * HOLD_S + 20) is None  # and nothing is said from stale figures


def test_a_target_matched_then_left_is_the_runners_choice() -> None:
    watch = _run_segment()
    assert _feed(watch, 0.0, 10, 8.0) is None  # on target for 10 s
    assert _feed(watch, 10.0, 120, 9.0) is None


def test_a_change_on_the_console_leaves_the_segment_to_the_runner() -> None:
    watch = _run_segment()
    watch.runner_took_over()
    assert _feed(watch, 0.0, 120, 9.0) is None
    watch.segment_started(200.0, SegmentKind.RUN, 8.0, 1.0)  # the next segment: the coach may speak again
    assert _feed(watch, 200.0, 60, 9.0) is not None


def test_once_a_segment_and_a_cool_down_between_segments() -> None:
    watch = _run_segment()
    first = _feed(watch, 0.0, 60, 8.5)
    assert first is not None
    watch.said(first)
    assert _feed(watch, first + 1, 200, 8.5) is None  # the same segment: never again
    watch.segment_started(60.0, SegmentKind.RUN, 8.0, 1.0)
    assert _feed(watch, 60.0, int(COOL_DOWN_S) - 60, 8.5) is None  # within two minutes of the last remark
    watch.segment_started(200.0, SegmentKind.RUN, 8.0, 1.0)
    assert _feed(watch, 200.0, 60, 8.5) is not None


def test_easier_is_mentioned_only_in_run_and_walk_segments_and_free_segments_are_free() -> None:
    for kind in (SegmentKind.WARMUP, SegmentKind.RECOVER, SegmentKind.COOLDOWN, SegmentKind.FREE):
        assert _feed(_run_segment(kind), 0.0, 120, 5.0) is None, kind
    assert _feed(_run_segment(SegmentKind.FREE), 0.0, 120, 11.0) is None
    assert _feed(_run_segment(SegmentKind.COOLDOWN), 0.0, 120, 11.0) is not None
    slower = _run_segment(SegmentKind.WALK)
    due_at = _feed(slower, 0.0, 60, 5.0)
    assert due_at is not None
    drift = slower.due(due_at)
    assert drift is not None
    assert drift_remark(drift, SpeedUnit.MPH) == (
        "Just so you know: you're at 3.1 mph; the target here is 5 mph. Staying easier is fine too."
    )


def test_a_pause_stops_the_watch_and_a_resume_gives_a_new_grace() -> None:
    watch = _run_segment()
    assert _feed(watch, 0.0, 25, 8.5) is None
    watch.paused()
    assert _feed(watch, 25.0, 30, 0.0) is None
    watch.resumed(25.0)  # session time stood still during the pause
    assert _feed(watch, 25.0, int(GRACE_S + HOLD_S) - 1, 8.5) is None
    assert _feed(watch, 25.0 + GRACE_S + HOLD_S - 1, 3, 8.5) is not None


def test_incline_drift_and_no_target_no_remark() -> None:
    watch = _run_segment()
    due_at = _feed(watch, 0.0, 60, 8.0, incline=3.0)
    assert due_at is not None
    drift = watch.due(due_at)
    assert drift == Drift(None, None, 3.0, 1.0)
    assert drift_remark(drift, SpeedUnit.KMH) == (
        "Just so you know: you're at 3 % incline; the target here is 1 %. Go with what feels right."
    )
    free_of_targets = DriftWatch()
    free_of_targets.segment_started(0.0, SegmentKind.RUN, None, None)
    assert _feed(free_of_targets, 0.0, 120, 12.0, incline=5.0) is None


def _cue(offset: float, duration: float) -> TimelineCue:
    return TimelineCue(offset, duration, CueKind.MOTIVATION, "x", CuePriority.LOW)


def test_quiet_only_where_no_cue_is_said_or_due() -> None:
    cues = [_cue(10.0, 4.0), _cue(30.0, 0.0)]
    assert quiet_between(cues, 16.0, 23.0)
    assert not quiet_between(cues, 12.0, 20.0)  # the first cue is still being said
    assert not quiet_between(cues, 14.5, 20.0)  # too close after it
    assert not quiet_between(cues, 22.0, 29.0)  # a beep is due just after
    assert quiet_between([], 0.0, 100.0)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(min_value=0.0, max_value=15.0, allow_nan=False), min_size=1, max_size=90),
    st.sampled_from(list(SegmentKind)),
)
def test_never_due_before_the_grace_and_hold_nor_twice_in_a_segment(speeds: list[float], kind: SegmentKind) -> None:
    watch = DriftWatch()
    watch.segment_started(0.0, kind, 8.0, None)
    remarks = 0
    for second, speed in enumerate(speeds):
        watch.reading(float(second), speed, None)
        drift = watch.due(float(second))
        if drift is not None:
            assert second >= GRACE_S + HOLD_S
            assert drift.speed_kmh is not None
            assert abs(drift.speed_kmh - 8.0) > SPEED_TOLERANCE_KMH
            # every reading of the hold was off the target the same way
            held = speeds[int(second - HOLD_S) : second + 1]
            assert all(abs(s - 8.0) > SPEED_TOLERANCE_KMH and (s > 8.0) == (speed > 8.0) for s in held)
            assert kind is not SegmentKind.FREE
            watch.said(float(second))
            remarks += 1
    assert remarks <= 1

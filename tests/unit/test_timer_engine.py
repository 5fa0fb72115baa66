"""The timer engine with a fake clock: countdown, boundaries, drift, stalls, pause, skip, back, stop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runcompanion.core.clock import FakeClock
from runcompanion.core.cue_timeline import CueKind, CuePriority, CueTimeline, TimelineCue
from runcompanion.core.engine_events import EngineEvent, EngineSnapshot, EngineState, EventKind, SegmentLogEntry
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.timer_engine import BACK_RESTART_WINDOW_S, TimerEngine

START = 1000.0


def make_plan(*durations: float, kinds: Sequence[SegmentKind] | None = None) -> SessionPlan:
    kinds = kinds or [SegmentKind.RUN if i % 2 else SegmentKind.WALK for i in range(len(durations))]
    return SessionPlan(
        id="test",
        name="Test",
        segments=tuple(Segment(kind=k, duration_s=d) for k, d in zip(kinds, durations, strict=True)),
    )


def cue(offset: float, text: str, priority: CuePriority = CuePriority.HIGH, kind: CueKind | None = None) -> TimelineCue:
    default_kind = {
        CuePriority.HIGH: CueKind.CHANGE,
        CuePriority.NORMAL: CueKind.HALFWAY,
        CuePriority.LOW: CueKind.MINDFULNESS,
    }[priority]
    return TimelineCue(offset_s=offset, duration_s=1.0, kind=kind or default_kind, text=text, priority=priority)


def make_engine(
    plan: SessionPlan, cues: Sequence[TimelineCue] = (), *, countdown_s: float = 0.0, late_drop_s: float = 3.0
) -> tuple[TimerEngine, FakeClock]:
    clock = FakeClock(START)
    engine = TimerEngine(plan, CueTimeline(tuple(cues)), clock, countdown_s=countdown_s, late_drop_s=late_drop_s)
    return engine, clock


def state_of(engine: TimerEngine) -> EngineState:
    # Read through a function: mypy would otherwise narrow ``engine.state`` and miss that commands change it.
    return engine.state


def kinds_of(events: Sequence[EngineEvent]) -> list[EventKind]:
    return [e.kind for e in events]


def texts(events: Sequence[EngineEvent], kind: EventKind = EventKind.CUE) -> list[str]:
    return [e.cue.text for e in events if e.kind is kind and e.cue is not None]


def advance_and_step(engine: TimerEngine, clock: FakeClock, seconds: float) -> list[EngineEvent]:
    clock.advance(seconds)
    return engine.step()


# --------------------------------------------------------------------------------------------- countdown


def test_countdown_ticks_five_to_one_then_starts_the_first_segment() -> None:
    engine, clock = make_engine(make_plan(60, 60), [cue(0, "go")], countdown_s=5)
    first = engine.start()
    assert state_of(engine) is EngineState.COUNTDOWN
    assert [(e.kind, e.countdown_left, e.offset_s) for e in first] == [(EventKind.COUNTDOWN_TICK, 5, -5.0)]
    ticks = []
    for _ in range(4):
        ticks += advance_and_step(engine, clock, 1.0)
    assert [e.countdown_left for e in ticks] == [4, 3, 2, 1]
    assert engine.snapshot().countdown_remaining_s == pytest.approx(1.0)
    assert advance_and_step(engine, clock, 0.5) == []
    assert engine.snapshot().countdown_remaining_s == pytest.approx(0.5)

    start = advance_and_step(engine, clock, 0.5)
    assert kinds_of(start) == [EventKind.STARTED, EventKind.SEGMENT_STARTED, EventKind.CUE]
    assert start[1].segment_index == 0
    assert all(e.offset_s == 0.0 for e in start)
    assert state_of(engine) is EngineState.RUNNING
    snap = engine.snapshot()
    assert (snap.elapsed_s, snap.countdown_remaining_s) == (0.0, 0.0)


def test_countdown_is_not_session_time() -> None:
    engine, clock = make_engine(make_plan(60), [cue(10, "ten")], countdown_s=5)
    engine.start()
    assert texts(advance_and_step(engine, clock, 14.9)) == []
    assert engine.snapshot().elapsed_s == pytest.approx(9.9)
    assert texts(advance_and_step(engine, clock, 0.1)) == ["ten"]


def test_zero_countdown_starts_running_at_once() -> None:
    engine, _ = make_engine(make_plan(30), [cue(0, "hello")], countdown_s=0)
    events = engine.start()
    assert kinds_of(events) == [EventKind.STARTED, EventKind.SEGMENT_STARTED, EventKind.CUE]
    assert state_of(engine) is EngineState.RUNNING


def test_fractional_countdown_shows_the_rounded_up_number_first() -> None:
    engine, clock = make_engine(make_plan(30), countdown_s=2.5)
    first = engine.start()
    assert [(e.countdown_left, e.offset_s) for e in first] == [(3, -2.5)]
    assert [e.countdown_left for e in advance_and_step(engine, clock, 0.5)] == [2]
    assert [e.countdown_left for e in advance_and_step(engine, clock, 1.0)] == [1]
    assert kinds_of(advance_and_step(engine, clock, 1.0))[0] is EventKind.STARTED


def test_pause_during_countdown_holds_it() -> None:
    engine, clock = make_engine(make_plan(30), countdown_s=5)
    engine.start()
    clock.advance(2.0)
    paused = engine.pause()
    assert kinds_of(paused) == [EventKind.COUNTDOWN_TICK, EventKind.COUNTDOWN_TICK, EventKind.PAUSED]
    assert paused[-1].offset_s == pytest.approx(-3.0)
    assert advance_and_step(engine, clock, 100.0) == []
    assert engine.snapshot().countdown_remaining_s == pytest.approx(3.0)
    resumed = engine.resume()
    assert kinds_of(resumed) == [EventKind.RESUMED]
    assert state_of(engine) is EngineState.COUNTDOWN
    assert [e.countdown_left for e in advance_and_step(engine, clock, 1.0)] == [2]
    clock.advance(2.0)
    assert EventKind.STARTED in kinds_of(engine.step())


def test_skip_during_countdown_starts_now_without_the_remaining_ticks() -> None:
    engine, clock = make_engine(make_plan(30, 30), [cue(0, "go")], countdown_s=5)
    engine.start()
    clock.advance(1.0)
    events = engine.skip()
    assert kinds_of(events) == [
        EventKind.COUNTDOWN_TICK,
        EventKind.STARTED,
        EventKind.SEGMENT_STARTED,
        EventKind.CUE,
    ]
    assert engine.snapshot().elapsed_s == 0.0
    assert texts(advance_and_step(engine, clock, 30.0), EventKind.CUE) == []
    assert engine.snapshot().segment_index == 1


# ------------------------------------------------------------------------------------------ time keeping


def test_segment_boundary_fires_exactly_at_its_offset_and_before_the_cue_there() -> None:
    engine, clock = make_engine(make_plan(60, 60), [cue(60, "walk now")])
    engine.start()
    assert advance_and_step(engine, clock, 59.999) == []
    assert engine.snapshot().segment_index == 0
    events = advance_and_step(engine, clock, 0.001)
    assert kinds_of(events) == [EventKind.SEGMENT_STARTED, EventKind.CUE]
    assert events[0].segment_index == 1
    assert events[1].segment_index == 1
    assert events[0].offset_s == 60.0
    assert events[0].lateness_s == pytest.approx(0.0, abs=1e-9)


def test_one_hour_stepped_every_47_ms_does_not_drift() -> None:
    durations = [300.0] * 12
    cues = [cue(i * 300.0, f"segment {i}") for i in range(12)]
    engine, clock = make_engine(make_plan(*durations), cues, countdown_s=5)
    engine.start()
    events: list[EngineEvent] = []
    steps = 0
    while engine.state is not EngineState.FINISHED:
        clock.advance(0.047)
        steps += 1
        events += engine.step()
        if steps % 1000 == 0:
            # Session time is the clock minus the start and the countdown, never a sum of 47 ms ticks.
            assert engine.snapshot().elapsed_s == pytest.approx(clock() - START - 5.0, abs=1e-9)
    assert clock() - START - 5.0 >= 3600.0
    assert clock() - START - 5.0 < 3600.0 + 0.047
    starts = [e for e in events if e.kind is EventKind.SEGMENT_STARTED]
    assert [e.segment_index for e in starts] == list(range(12))
    assert all(0 <= e.lateness_s < 0.047 + 1e-9 for e in starts)
    assert texts(events) == [f"segment {i}" for i in range(12)]
    assert kinds_of(events)[-1] is EventKind.FINISHED
    assert engine.snapshot().elapsed_s == 3600.0


def test_a_90_second_stall_fires_every_due_event_in_order() -> None:
    cues = [
        cue(5, "a"),
        cue(20, "b", CuePriority.NORMAL),
        cue(30, "c"),
        cue(45, "d"),
        cue(60, "e"),
        cue(95, "f"),
    ]
    engine, clock = make_engine(make_plan(30, 30, 30, 30), cues)
    engine.start()
    assert texts(advance_and_step(engine, clock, 1.0)) == []
    events = advance_and_step(engine, clock, 90.0)
    assert [(e.kind, e.offset_s) for e in events] == [
        (EventKind.CUE, 5.0),
        (EventKind.CUE, 20.0),
        (EventKind.SEGMENT_STARTED, 30.0),
        (EventKind.CUE, 30.0),
        (EventKind.CUE, 45.0),
        (EventKind.SEGMENT_STARTED, 60.0),
        (EventKind.CUE, 60.0),
        (EventKind.SEGMENT_STARTED, 90.0),
    ]
    assert [e.lateness_s for e in events] == pytest.approx([86.0, 71.0, 61.0, 61.0, 46.0, 31.0, 31.0, 1.0])
    assert [e.segment_index for e in events] == [0, 0, 1, 1, 1, 2, 2, 3]
    assert texts(advance_and_step(engine, clock, 4.0)) == ["f"]


def test_late_low_cue_is_dropped_but_high_and_normal_are_kept() -> None:
    cues = [
        cue(10, "breathe", CuePriority.LOW),
        cue(11, "halfway", CuePriority.NORMAL),
        cue(12, "change", CuePriority.HIGH),
        cue(16.5, "notice", CuePriority.LOW),
    ]
    engine, clock = make_engine(make_plan(60), cues, late_drop_s=3.0)
    engine.start()
    events = advance_and_step(engine, clock, 19.5)
    assert [(e.kind, e.cue.text if e.cue else "") for e in events] == [
        (EventKind.CUE_DROPPED, "breathe"),
        (EventKind.CUE, "halfway"),
        (EventKind.CUE, "change"),
        (EventKind.CUE, "notice"),  # exactly 3 s late: still worth saying
    ]
    assert events[0].lateness_s == pytest.approx(9.5)
    assert events[2].lateness_s == pytest.approx(7.5)


def test_pause_and_resume_are_left_out_of_session_time() -> None:
    engine, clock = make_engine(make_plan(60), [cue(12, "twelve")])
    engine.start()
    clock.advance(10.0)
    assert kinds_of(engine.pause()) == [EventKind.PAUSED]
    assert state_of(engine) is EngineState.PAUSED
    assert advance_and_step(engine, clock, 100.0) == []
    assert engine.snapshot().elapsed_s == pytest.approx(10.0)
    resumed = engine.resume()
    assert kinds_of(resumed) == [EventKind.RESUMED]
    assert resumed[0].offset_s == pytest.approx(10.0)
    assert state_of(engine) is EngineState.RUNNING
    events = advance_and_step(engine, clock, 2.5)
    assert texts(events) == ["twelve"]
    assert events[0].lateness_s == pytest.approx(0.5)
    assert engine.snapshot().elapsed_s == pytest.approx(12.5)


def test_the_segment_log_says_where_each_pause_was_and_how_long() -> None:
    engine, clock = make_engine(make_plan(30, 30))
    engine.start()
    clock.advance(10.0)
    engine.step()
    engine.pause()
    clock.advance(40.0)
    engine.resume()
    clock.advance(25.0)  # 5 s into the second segment
    engine.step()
    engine.pause()
    clock.advance(7.5)
    engine.resume()
    log = engine.segment_log()
    expected: list[object] = [((pytest.approx(10.0), pytest.approx(40.0)),), ((pytest.approx(5.0), 7.5),)]
    assert [e.pauses for e in log] == expected


def test_pause_returns_what_came_due_before_it() -> None:
    engine, clock = make_engine(make_plan(60), [cue(3, "three")])
    engine.start()
    clock.advance(4.0)
    assert kinds_of(engine.pause()) == [EventKind.CUE, EventKind.PAUSED]


# ------------------------------------------------------------------------------------------- skip, back


def test_skip_jumps_to_the_next_segment_and_skipped_cues_never_play() -> None:
    cues = [cue(30, "thirty"), cue(50, "heads up"), cue(60, "change"), cue(70, "seventy")]
    engine, clock = make_engine(make_plan(60, 60, 60), cues)
    engine.start()
    clock.advance(20.0)
    events = engine.skip()
    assert [(e.kind, e.offset_s, e.segment_index) for e in events] == [
        (EventKind.SEGMENT_STARTED, 60.0, 1),
        (EventKind.CUE, 60.0, 1),
    ]
    assert texts(events) == ["change"]
    snap = engine.snapshot()
    assert (snap.elapsed_s, snap.segment_index, snap.segment_elapsed_s, snap.segments_done) == (
        60.0,
        1,
        0.0,
        1,
    )
    assert texts(advance_and_step(engine, clock, 10.0)) == ["seventy"]
    assert engine.segment_log()[0] == SegmentLogEntry(0, SegmentKind.WALK, 60.0, 20.0, skipped=True)


def test_skip_while_paused_stays_paused_at_the_new_segment() -> None:
    engine, clock = make_engine(make_plan(60, 60))
    engine.start()
    clock.advance(5.0)
    engine.pause()
    events = engine.skip()
    assert kinds_of(events) == [EventKind.SEGMENT_STARTED]
    assert state_of(engine) is EngineState.PAUSED
    clock.advance(30.0)
    assert engine.snapshot().elapsed_s == 60.0
    engine.resume()
    clock.advance(1.0)
    assert engine.snapshot().elapsed_s == pytest.approx(61.0)


def test_skipping_the_last_segment_finishes_and_still_thanks_the_runner() -> None:
    cues = [cue(100, "one minute left", CuePriority.NORMAL), cue(115, "thank you", kind=CueKind.FINISH)]
    engine, clock = make_engine(make_plan(60, 60), cues)
    engine.start()
    clock.advance(70.0)
    events = engine.skip()
    # What had come due (segment 2 started at 60 s) is delivered before the jump.
    assert [(e.kind, e.offset_s) for e in events] == [
        (EventKind.SEGMENT_STARTED, 60.0),
        (EventKind.CUE, 120.0),
        (EventKind.FINISHED, 120.0),
    ]
    assert texts(events) == ["thank you"]
    assert state_of(engine) is EngineState.FINISHED
    snap = engine.snapshot()
    assert (snap.elapsed_s, snap.progress, snap.segments_done, snap.remaining_s) == (120.0, 1.0, 2, 0.0)
    log = engine.segment_log()
    assert [(e.actual_s, e.skipped) for e in log] == [(60.0, False), (10.0, True)]


def test_back_restarts_the_segment_and_replays_high_but_not_played_low_cues() -> None:
    cues = [
        cue(60, "change"),
        cue(62, "breathe", CuePriority.LOW),
        cue(70, "halfway", CuePriority.NORMAL),
        cue(80, "later", CuePriority.LOW),
    ]
    engine, clock = make_engine(make_plan(60, 60), cues)
    engine.start()
    first = advance_and_step(engine, clock, 63.0) + advance_and_step(engine, clock, 12.0)
    assert texts(first) == ["change", "breathe", "halfway"]
    back = engine.back()
    assert [(e.kind, e.offset_s, e.segment_index) for e in back] == [
        (EventKind.SEGMENT_STARTED, 60.0, 1),
        (EventKind.CUE, 60.0, 1),
    ]
    assert engine.snapshot().elapsed_s == 60.0
    replay = advance_and_step(engine, clock, 20.0)
    assert texts(replay) == ["halfway", "later"]
    log = engine.segment_log()
    assert log[1].actual_s == pytest.approx(15.0 + 20.0)
    assert not log[1].skipped


def test_back_within_three_seconds_goes_to_the_previous_segment() -> None:
    engine, clock = make_engine(make_plan(60, 60), [cue(0, "start"), cue(30, "thirty")])
    engine.start()
    clock.advance(60.0 + BACK_RESTART_WINDOW_S - 0.5)
    events = engine.back()
    assert [(e.kind, e.segment_index) for e in events] == [
        (EventKind.CUE, 0),  # what had come due before the back
        (EventKind.SEGMENT_STARTED, 1),
        (EventKind.SEGMENT_STARTED, 0),
        (EventKind.CUE, 0),
    ]
    assert texts(events) == ["thirty", "start"]
    assert engine.snapshot().elapsed_s == 0.0
    assert texts(advance_and_step(engine, clock, 30.0)) == ["thirty"]


def test_back_in_the_first_segment_restarts_it() -> None:
    engine, clock = make_engine(make_plan(60, 60))
    engine.start()
    clock.advance(1.0)
    assert [(e.kind, e.segment_index) for e in engine.back()] == [(EventKind.SEGMENT_STARTED, 0)]
    assert engine.snapshot().elapsed_s == 0.0


def test_a_dropped_low_cue_may_play_when_its_range_is_replayed() -> None:
    engine, clock = make_engine(make_plan(60), [cue(5, "breathe", CuePriority.LOW)])
    engine.start()
    assert kinds_of(advance_and_step(engine, clock, 20.0)) == [EventKind.CUE_DROPPED]
    engine.back()
    assert texts(advance_and_step(engine, clock, 5.0)) == ["breathe"]


# ------------------------------------------------------------------------------------------ stop, finish


def test_stop_freezes_the_run() -> None:
    engine, clock = make_engine(make_plan(60, 60))
    engine.start()
    clock.advance(75.0)
    events = engine.stop()
    assert kinds_of(events) == [EventKind.SEGMENT_STARTED, EventKind.STOPPED]
    assert (events[-1].offset_s, events[-1].segment_index) == (75.0, 1)
    assert state_of(engine) is EngineState.STOPPED
    clock.advance(100.0)
    snap = engine.snapshot()
    assert (snap.elapsed_s, snap.segment_index, snap.segments_done) == (75.0, 1, 1)
    assert [(e.index, e.actual_s, e.skipped) for e in engine.segment_log()] == [
        (0, 60.0, False),
        (1, 15.0, False),
    ]


def test_stop_after_the_end_has_passed_reports_finished() -> None:
    engine, clock = make_engine(make_plan(60))
    engine.start()
    clock.advance(61.0)
    assert kinds_of(engine.stop()) == [EventKind.FINISHED]
    assert state_of(engine) is EngineState.FINISHED


def test_a_complete_run_logs_every_segment_as_planned() -> None:
    engine, clock = make_engine(make_plan(60, 90, 30), [cue(180, "thanks", kind=CueKind.FINISH)])
    engine.start()
    events = advance_and_step(engine, clock, 500.0)
    assert kinds_of(events)[-2:] == [EventKind.CUE, EventKind.FINISHED]
    assert events[-1].lateness_s == pytest.approx(320.0)
    assert engine.snapshot().elapsed_s == 180.0
    assert [(e.planned_s, e.actual_s, e.skipped) for e in engine.segment_log()] == [
        (60.0, 60.0, False),
        (90.0, 90.0, False),
        (30.0, 30.0, False),
    ]


def test_snapshot_mid_segment() -> None:
    engine, clock = make_engine(make_plan(60, 90, 30))
    engine.start()
    advance_and_step(engine, clock, 100.0)
    snap = engine.snapshot()
    assert snap.state is EngineState.RUNNING
    assert snap.segment_index == 1
    assert snap.segment_elapsed_s == pytest.approx(40.0)
    assert snap.segment_remaining_s == pytest.approx(50.0)
    assert snap.total_s == 180.0
    assert snap.remaining_s == pytest.approx(80.0)
    assert snap.progress == pytest.approx(100.0 / 180.0)
    assert snap.segments_done == 1


def test_ready_snapshot_shows_the_whole_countdown() -> None:
    engine, _ = make_engine(make_plan(60), countdown_s=5)
    snap = engine.snapshot()
    assert (snap.state, snap.elapsed_s, snap.countdown_remaining_s, snap.progress) == (
        EngineState.READY,
        0.0,
        5.0,
        0.0,
    )


# ------------------------------------------------------------------------------------- attach_timeline


def test_cues_attached_during_the_countdown_all_play() -> None:
    engine, clock = make_engine(make_plan(60), countdown_s=5)
    engine.start()
    clock.advance(2.0)
    assert engine.attach_timeline(CueTimeline((cue(0, "go"), cue(10, "ten"))))
    clock.advance(3.0)
    assert texts(engine.step()) == ["go"]
    assert texts(advance_and_step(engine, clock, 10.0)) == ["ten"]


def test_cues_attached_mid_run_leave_out_those_already_past() -> None:
    engine, clock = make_engine(make_plan(60))
    engine.start()
    advance_and_step(engine, clock, 20.0)
    assert engine.attach_timeline(CueTimeline((cue(5, "five"), cue(20, "twenty"), cue(30, "thirty"))))
    assert texts(engine.step()) == ["twenty"]
    assert texts(advance_and_step(engine, clock, 10.0)) == ["thirty"]


def test_a_timeline_attached_between_steps_is_said_from_the_position_delivered_to() -> None:
    # What the run session remembers as given (services/run_session.py) rests on this: from position_s on,
    # a cue due exactly there included; the clock's time since the last step does not leave cues out.
    engine, clock = make_engine(make_plan(60), countdown_s=5)
    engine.start()
    assert engine.position_s == 0.0
    advance_and_step(engine, clock, 25.0)
    assert engine.position_s == 20.0
    clock.advance(2.0)  # no step yet: the snapshot is at 22 s, the engine delivered up to 20
    assert engine.snapshot().elapsed_s == 22.0
    assert engine.attach_timeline(CueTimeline((cue(19.5, "before"), cue(20, "at"), cue(21, "between"))))
    assert texts(engine.step()) == ["at", "between"]
    assert engine.position_s == 22.0


def test_attach_timeline_refuses_a_second_timeline_and_an_ended_run() -> None:
    engine, clock = make_engine(make_plan(60), [cue(10, "ten")])
    engine.start()
    assert not engine.attach_timeline(CueTimeline((cue(5, "other"),)))
    assert texts(advance_and_step(engine, clock, 10.0)) == ["ten"]
    ended, _ = make_engine(make_plan(60))
    ended.start()
    ended.stop()
    assert not ended.attach_timeline(CueTimeline((cue(5, "late"),)))
    with pytest.raises(ValueError, match="offset"):
        make_engine(make_plan(60))[0].attach_timeline(CueTimeline((cue(-1, "early"),)))


def test_the_spoken_timeline_replaces_the_captions_mid_run_without_repeating_a_cue() -> None:
    # Captions first (the voice was not ready), then the voice joins: cues already said are not said again.
    engine, clock = make_engine(make_plan(60), [cue(0, "captioned go"), cue(20, "captioned twenty")])
    said = texts(engine.start()) + texts(advance_and_step(engine, clock, 12.0))
    assert said == ["captioned go"]
    assert engine.replace_timeline(CueTimeline((cue(0, "go"), cue(10, "ten"), cue(21, "twenty-one"))))
    assert texts(engine.step()) == []  # "go" and "ten" are past
    assert texts(advance_and_step(engine, clock, 10.0)) == ["twenty-one"]
    assert [c.text for c in engine.cues] == ["go", "ten", "twenty-one"]
    with pytest.raises(ValueError, match="offset"):
        engine.replace_timeline(CueTimeline((cue(-1, "early"),)))
    assert [c.text for c in engine.cues] == ["go", "ten", "twenty-one"]  # a bad timeline changes nothing
    engine.stop()
    assert not engine.replace_timeline(CueTimeline((cue(50, "late"),)))


# -------------------------------------------------------------------------------------- invalid commands


def _all_commands(engine: TimerEngine) -> dict[str, Callable[[], list[EngineEvent]]]:
    return {
        "start": engine.start,
        "step": engine.step,
        "pause": engine.pause,
        "resume": engine.resume,
        "skip": engine.skip,
        "back": engine.back,
        "stop": engine.stop,
    }


@pytest.mark.parametrize("end", ["finish", "stop"])
def test_nothing_happens_after_the_end(end: str) -> None:
    engine, clock = make_engine(make_plan(60), countdown_s=3)
    engine.start()
    clock.advance(100.0 if end == "finish" else 10.0)
    engine.step() if end == "finish" else engine.stop()
    final_state = engine.state
    assert final_state in {EngineState.FINISHED, EngineState.STOPPED}
    before = engine.snapshot()
    clock.advance(10.0)
    for name, command in _all_commands(engine).items():
        assert command() == [], name
        assert engine.state is final_state
    assert engine.snapshot() == before


def test_invalid_transitions_return_nothing_and_change_nothing() -> None:
    engine, clock = make_engine(make_plan(60), countdown_s=5)
    for name in ("step", "pause", "resume", "skip", "back", "stop"):
        assert _all_commands(engine)[name]() == [], name
    assert state_of(engine) is EngineState.READY
    engine.start()
    assert engine.start() == []
    assert engine.resume() == []
    assert engine.back() == []  # nothing to go back to during the countdown
    assert state_of(engine) is EngineState.COUNTDOWN
    clock.advance(6.0)
    engine.step()
    assert engine.resume() == []
    engine.pause()
    assert engine.pause() == []
    assert state_of(engine) is EngineState.PAUSED


def test_constructor_refuses_what_it_cannot_run() -> None:
    clock = FakeClock()
    with pytest.raises(ValueError, match="at least one segment"):
        TimerEngine(SessionPlan("x", "X", ()), CueTimeline(), clock)
    with pytest.raises(ValueError, match="positive"):
        TimerEngine(make_plan(0), CueTimeline(), clock)
    with pytest.raises(ValueError, match="countdown_s"):
        TimerEngine(make_plan(10), CueTimeline(), clock, countdown_s=-1)
    with pytest.raises(ValueError, match="late_drop_s"):
        TimerEngine(make_plan(10), CueTimeline(), clock, late_drop_s=float("nan"))
    with pytest.raises(ValueError, match="offset"):
        TimerEngine(make_plan(10), CueTimeline((cue(-1, "early"),)), clock)


# ---------------------------------------------------------------------------------------------- property


@st.composite
def plans_and_timelines(draw: st.DrawFn) -> tuple[SessionPlan, CueTimeline]:
    durations = draw(st.lists(st.floats(1.0, 400.0, allow_nan=False), min_size=1, max_size=6))
    plan = make_plan(*durations, kinds=[draw(st.sampled_from(SegmentKind)) for _ in durations])
    total = plan.total_s
    boundaries = plan.segment_starts()
    offsets = draw(
        st.lists(
            st.one_of(st.floats(0.0, total, allow_nan=False), st.sampled_from([*boundaries, total])),
            max_size=25,
        )
    )
    cues = [
        cue(offset, f"cue {i}", draw(st.sampled_from(CuePriority)), draw(st.sampled_from(CueKind)))
        for i, offset in enumerate(sorted(offsets))
    ]
    return plan, CueTimeline(tuple(cues))


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.floats(0.0, 120.0, allow_nan=False)),
        st.tuples(st.sampled_from(["step", "pause", "resume", "skip", "back", "stop"]), st.just(0.0)),
    ),
    max_size=40,
)


@dataclass
class RunRecord:
    """Everything a random run produced, for the invariants below."""

    calls: list[tuple[str, list[EngineEvent]]] = field(default_factory=list)
    states: list[EngineState] = field(default_factory=list)
    skipped_ranges: list[tuple[float, float]] = field(default_factory=list)
    snapshots: list[EngineSnapshot] = field(default_factory=list)
    reached: float = -1.0  # furthest session time the engine had delivered events up to


def drive(
    plan: SessionPlan, timeline: CueTimeline, ops: Sequence[tuple[str, float]], countdown_s: float
) -> tuple[TimerEngine, RunRecord]:
    clock = FakeClock(START)
    engine = TimerEngine(plan, timeline, clock, countdown_s=countdown_s, late_drop_s=3.0)
    record = RunRecord()
    started = False

    def call(name: str) -> None:
        nonlocal started
        before = engine.snapshot()
        events = getattr(engine, name)()
        started = started or any(e.kind is EventKind.STARTED for e in events)
        after = engine.snapshot()
        record.snapshots.append(after)
        if name == "skip":
            # The snapshot before reads the same clock the skip does, so it is where the jump started.
            record.skipped_ranges.append((before.elapsed_s, after.elapsed_s))
        if started:
            record.reached = max(record.reached, after.elapsed_s)
        record.calls.append((name, events))
        record.states.append(engine.state)

    call("start")
    for name, seconds in ops:
        if name == "advance":
            clock.advance(seconds)
            record.snapshots.append(engine.snapshot())
        else:
            call(name)
    call("step")
    return engine, record


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_and_timelines(), OPERATIONS, st.sampled_from([0.0, 3.0, 5.0]))
def test_random_runs_keep_every_invariant(
    plan_timeline: tuple[SessionPlan, CueTimeline], ops: list[tuple[str, float]], countdown_s: float
) -> None:
    plan, timeline = plan_timeline
    engine, record = drive(plan, timeline, ops, countdown_s)
    total = plan.total_s
    n = len(plan.segments)

    # Events come out in time order, except where back rewinds: there the run starts again at a segment start.
    previous = -countdown_s
    for name, events in record.calls:
        rewinds = 0
        for e in events:
            if e.offset_s < previous:
                rewinds += 1
                assert name == "back"
                assert e.kind is EventKind.SEGMENT_STARTED
            previous = e.offset_s
        assert rewinds <= 1, name
        for e in events:
            assert e.offset_s <= total
            assert e.lateness_s >= -1e-9
            assert 0 <= e.segment_index < n
            if e.kind is EventKind.CUE_DROPPED:
                assert e.cue is not None
                assert e.cue.priority is CuePriority.LOW
                assert e.lateness_s > 3.0

    # Once over, always over.
    for before, after in zip(record.states, record.states[1:], strict=False):
        if before in {EngineState.FINISHED, EngineState.STOPPED}:
            assert after is before

    for snap in record.snapshots:
        assert 0.0 <= snap.elapsed_s <= total
        assert 0.0 <= snap.progress <= 1.0
        assert 0 <= snap.segment_index < n
        assert 0 <= snap.segments_done <= n
        assert 0.0 <= snap.segment_remaining_s <= plan.segments[snap.segment_index].duration_s

    # A HIGH cue the run reached is heard at least once, unless a skip jumped over it.
    heard = [e.cue for _, events in record.calls for e in events if e.kind is EventKind.CUE]
    heard_ids = {id(c) for c in heard}
    for c in timeline.cues:
        if c.priority is not CuePriority.HIGH or c.offset_s > record.reached:
            continue
        if any(a < c.offset_s < b for a, b in record.skipped_ranges):
            continue
        assert id(c) in heard_ids, c

    # A LOW cue is heard at most once, however often back replays its range.
    low = [id(c) for c in heard if c is not None and c.priority is CuePriority.LOW]
    assert len(low) == len(set(low))

    log = engine.segment_log()
    assert [e.index for e in log] == list(range(len(log)))
    assert all(e.actual_s >= 0 for e in log)


@settings(max_examples=100, deadline=None)
@given(plans_and_timelines(), OPERATIONS)
def test_same_calls_at_same_times_give_same_events(
    plan_timeline: tuple[SessionPlan, CueTimeline], ops: list[tuple[str, float]]
) -> None:
    plan, timeline = plan_timeline
    _, first = drive(plan, timeline, ops, 5.0)
    _, second = drive(plan, timeline, ops, 5.0)
    assert first.calls == second.calls
    assert first.states == second.states

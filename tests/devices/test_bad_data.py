"""Misbehaving devices over the virtual link: nothing malformed or absurd gets past the clients, floods are
thinned, a refusal of control and the runner's own hand on the console are respected."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.ftms import TreadmillData, encode_treadmill_data
from runcompanion.core.ftms_control import OpCode
from runcompanion.core.heart_rate import HeartRateMeasurement, encode_heart_rate
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.timer_engine import TimerEngine
from runcompanion.services.devices.belt_control import BeltLimits
from runcompanion.services.devices.device_run import DeviceRun
from tests.devices.rig import WAIT_S, Rig

LIMITS = BeltLimits(max_speed_kmh=14.0, max_incline_percent=5.0)


@pytest.fixture
def rig() -> Iterator[Rig]:
    rig = Rig()
    rig.connect()
    yield rig
    rig.close()


def _good_marker(rig: Rig, bpm: int) -> None:
    """A valid value after the bad ones: once it arrives, everything sent before it has been handled."""
    rig.clock.advance(1.0)
    rig.run_on_loop(
        rig.sim.send_raw(
            treadmill=encode_treadmill_data(TreadmillData(speed_kmh=8.0, total_distance_m=10)),
            heart=encode_heart_rate(HeartRateMeasurement(bpm)),
        )
    )
    rig.seen.wait_for(lambda: any(r.bpm == bpm for r in rig.seen.heart), "the marker heart rate")
    rig.seen.wait_for(lambda: any(r.speed_kmh == 8.0 for r in rig.seen.treadmill), "the marker speed")


def test_malformed_and_absurd_values_are_logged_and_never_passed_up(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    bad_treadmill = [
        b"",
        bytes.fromhex("00"),
        bytes.fromhex("00 00 1a"),  # speed cut short
        bytes.fromhex("01 e0"),  # reserved flags
        encode_treadmill_data(TreadmillData(speed_kmh=500.0)),
        encode_treadmill_data(TreadmillData(speed_kmh=0.0, inclination_percent=200.0)),
    ]
    bad_heart = [
        b"",
        bytes.fromhex("01 8e"),  # 16-bit value cut short
        encode_heart_rate(HeartRateMeasurement(0)),
        encode_heart_rate(HeartRateMeasurement(300)),
        encode_heart_rate(HeartRateMeasurement(140, sensor_contact=False)),
    ]
    for index, (tread, heart) in enumerate(zip(bad_treadmill, [*bad_heart, b"\x00"], strict=True)):
        rig.clock.advance(1.0 + index)
        rig.run_on_loop(rig.sim.send_raw(treadmill=tread, heart=heart))
    _good_marker(rig, 131)
    assert [r.bpm for r in rig.seen.heart] == [131]
    speeds = [r.speed_kmh for r in rig.seen.treadmill]
    assert 500.0 not in speeds
    assert all(r.incline_percent is None for r in rig.seen.treadmill)  # 200 % was dropped, 0 km/h kept
    assert speeds[-1] == 8.0
    text = caplog.text
    assert "malformed treadmill data" in text
    assert "500 km/h" in text
    assert "incline 200 %" in text
    assert "heart rate 0 bpm" in text
    assert "heart rate 300 bpm" in text
    assert "malformed heart-rate value" in text


def test_a_flood_of_notifications_is_thinned(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    rig.clock.advance(1.0)
    frame = encode_treadmill_data(TreadmillData(speed_kmh=9.0, total_distance_m=5))
    for _ in range(200):  # all at the same instant: a device gone wild
        rig.run_on_loop(rig.sim.send_raw(treadmill=frame))
    _good_marker(rig, 120)
    assert len([r for r in rig.seen.treadmill if r.speed_kmh == 9.0]) == 1
    assert "faster than the app reads it" in caplog.text


def test_a_treadmill_that_refuses_control_is_left_alone() -> None:
    rig = Rig(controllable=False)
    try:
        rig.connect()
        notices: list[str] = []
        plan = SessionPlan("p", "p", (Segment(SegmentKind.RUN, 30, speed_kmh=9.0),))
        run = DeviceRun(plan, rig.treadmill, None, limits=LIMITS, max_heart_rate=None, on_notice=notices.append)
        run.take_control()
        assert run.belt is not None
        assert run.belt.wait_settled(WAIT_S)
        assert run.belt.active is False
        assert notices == ["The app is not moving the belt: the treadmill does not allow the app to control it."]
        run.handle(TimerEngine(plan, CueTimeline(cues=()), rig.clock, countdown_s=0).start())
        assert run.belt.wait_settled(WAIT_S)
        assert [request.op_code for _, request, _ in rig.sim.log.commands] == [OpCode.REQUEST_CONTROL]
    finally:
        rig.close()


def test_the_runners_change_on_the_console_wins_until_the_next_segment(rig: Rig) -> None:
    notices: list[str] = []
    plan = SessionPlan(
        "p",
        "p",
        (Segment(SegmentKind.RUN, 30, speed_kmh=9.0), Segment(SegmentKind.WALK, 30, speed_kmh=5.0)),
    )
    run = DeviceRun(plan, rig.treadmill, None, limits=LIMITS, max_heart_rate=None, on_notice=notices.append)
    run.take_control()
    assert run.belt is not None
    assert run.belt.wait_settled(WAIT_S)
    engine = TimerEngine(plan, CueTimeline(cues=()), rig.clock, countdown_s=0)
    run.handle(engine.start())

    def second() -> None:
        assert run.belt is not None
        rig.clock.advance(1.0)
        run.handle(engine.step())
        assert run.belt.wait_settled(WAIT_S)
        rig.publish()
        assert run.belt.wait_settled(WAIT_S)

    for _ in range(12):
        second()
    assert rig.sim.model.speed_kmh == 9.0
    rig.run_on_loop(rig.sim.console_change(speed_kmh=7.5))
    rig.seen.wait_for(lambda: any(s.value == 7.5 for s in rig.seen.statuses), "the console's status")
    commands_before = len(rig.sim.log.commands)
    for _ in range(12):
        second()
    assert _hands_off(run)
    assert rig.sim.model.speed_kmh == 7.5
    assert len(rig.sim.log.commands) == commands_before
    assert notices == ["You changed the speed yourself, so the belt is yours until the next segment."]
    for _ in range(10):  # into the walk: the app sets its target again
        second()
    assert not _hands_off(run)
    assert rig.sim.model.speed_kmh == 5.0


def _hands_off(run: DeviceRun) -> bool:
    """Read afresh each time (the device thread changes it between two asserts)."""
    assert run.belt is not None
    return run.belt.hands_off

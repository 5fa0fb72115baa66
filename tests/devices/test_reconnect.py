"""A link that drops and comes back mid-run: figures resume, nothing is counted twice or lost, and the belt is
taken back only at the next segment, never in the middle of the one the runner was left with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.devices import DeviceState
from runcompanion.core.engine_events import EngineState
from runcompanion.core.ftms_control import OpCode
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.timer_engine import TimerEngine
from runcompanion.services.devices.belt_control import BeltLimits
from runcompanion.services.devices.device_run import DeviceRun
from tests.devices.rig import WAIT_S, Rig

PLAN = SessionPlan(
    "reconnect",
    "Reconnect",
    (Segment(SegmentKind.WALK, 60, speed_kmh=5.0), Segment(SegmentKind.RUN, 60, speed_kmh=8.0)),
)


@pytest.fixture
def rig() -> Iterator[Rig]:
    rig = Rig(reconnect_s=0.05)
    rig.connect()
    yield rig
    rig.close()


def test_the_link_comes_back_and_control_waits_for_the_next_segment(rig: Rig) -> None:
    notices: list[str] = []
    run = DeviceRun(
        PLAN, rig.treadmill, rig.strap, limits=BeltLimits(10.0, 5.0), max_heart_rate=None, on_notice=notices.append
    )
    run.take_control()
    belt = run.belt
    assert belt is not None
    assert belt.wait_settled(WAIT_S)
    engine = TimerEngine(PLAN, CueTimeline(cues=()), rig.clock, countdown_s=0)
    run.handle(engine.start())

    def second() -> None:
        rig.clock.advance(1.0)
        run.handle(engine.step())
        assert belt.wait_settled(WAIT_S)
        rig.publish()
        assert belt.wait_settled(WAIT_S)

    for _ in range(20):
        second()
    rig.run_on_loop(rig.sim.drop_links())
    for what in ("treadmill", "heart"):
        lost, back = (what, DeviceState.LOST), (what, DeviceState.CONNECTED)
        rig.seen.wait_for(lambda: lost in rig.seen.states, f"the {what} link to drop")  # noqa: B023 - waited at once
        rig.seen.wait_for(lambda: rig.seen.states.count(back) == 2, f"the {what} to come back")  # noqa: B023
    commands_at_return = len(rig.sim.log.commands)
    for _ in range(20):  # the rest of the walk: the belt is the runner's
        second()
    assert len(rig.sim.log.commands) == commands_at_return
    assert "connected again" in notices[-1]
    while engine.state is not EngineState.FINISHED:  # the run segment: control asked for again, and the belt follows
        second()
    ops = [request.op_code for _, request, _ in rig.sim.log.commands[commands_at_return:]]
    assert ops[0] is OpCode.REQUEST_CONTROL
    assert any(row[1] == 8.0 for row in rig.sim.log.belt)
    figures = run.finish(rig.clock())
    assert figures.distance_m is not None
    assert figures.distance_m == pytest.approx(rig.sim.model.distance_m, rel=0.01)

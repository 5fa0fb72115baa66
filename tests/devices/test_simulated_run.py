"""A run with the app's clients on the bumble-simulated treadmill and strap, over a virtual Bluetooth link.

The clock is one FakeClock shared by the timer engine, the simulator's physics and the clients' time stamps, so a
five-minute session runs in seconds while every byte still crosses the virtual link.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from runcompanion.cli import main
from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.devices import DeviceState
from runcompanion.core.engine_events import EngineState, EventKind
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.timer_engine import TimerEngine
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.services.devices.belt_control import BeltLimits
from runcompanion.services.devices.device_run import DeviceRun
from runcompanion.services.run_service import RunEnd, RunEndStatus, RunProgress
from tests.devices.rig import WAIT_S, Rig

LIMITS = BeltLimits(max_speed_kmh=10.0, max_incline_percent=3.0)
PLAN = SessionPlan(
    id="devices-test",
    name="Devices test",
    segments=(
        Segment(SegmentKind.WARMUP, 60, speed_kmh=6.0, incline_pct=1.0),
        Segment(SegmentKind.RUN, 90, speed_kmh=12.0, incline_pct=4.0),  # above both limits
        Segment(SegmentKind.WALK, 60, speed_kmh=5.0, incline_pct=0.0),
        Segment(SegmentKind.RUN, 60, speed_kmh=9.0, incline_pct=2.0),
    ),
)
SETTLE_S = 20  # the belt ramps about 1 km/h a second and the app steps 1 km/h per reading


@pytest.fixture
def rig() -> Iterator[Rig]:
    rig = Rig()
    rig.connect()
    yield rig
    rig.close()


def _engine(rig: Rig) -> TimerEngine:
    return TimerEngine(PLAN, CueTimeline(cues=()), rig.clock, countdown_s=0)


def _second(rig: Rig, engine: TimerEngine, run: DeviceRun) -> list[EventKind]:
    rig.clock.advance(1.0)
    events = engine.step()
    run.handle(events)
    assert run.belt is not None
    assert run.belt.wait_settled(WAIT_S)
    rig.publish()
    assert run.belt.wait_settled(WAIT_S)
    return [event.kind for event in events]


def test_controlled_run_follows_targets_within_limits_and_records_figures(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = build_services(resolve_paths(tmp_path / "data", env={}))
    record = services.runs.start(PLAN, seed=1)
    notices: list[str] = []
    run = DeviceRun(
        PLAN, rig.treadmill, rig.strap, limits=LIMITS, max_heart_rate=188, on_notice=notices.append, clock=rig.clock
    )
    run.take_control()
    assert run.belt is not None
    assert run.belt.wait_settled(WAIT_S)
    assert run.belt.active, notices
    engine = _engine(rig)
    run.handle(engine.start())
    changes: list[float] = []
    paused_at: float | None = None
    resumed_at: float | None = None
    while engine.state not in (EngineState.FINISHED, EngineState.STOPPED):
        kinds = _second(rig, engine, run)
        if len(kinds) or int(rig.clock()) % 5 == 0:  # the app writes its samples at each checkpoint
            services.run_figures.add_samples(record.id, run.samples.take())
        if EventKind.SEGMENT_STARTED in kinds:
            changes.append(rig.clock())
        # a 10-second pause half-way through the walk
        if paused_at is None and engine.snapshot().segment_index == 2 and engine.snapshot().segment_elapsed_s >= 30:
            run.handle(engine.pause())
            assert run.belt.wait_settled(WAIT_S)
            paused_at = rig.clock()
            for _ in range(10):
                rig.clock.advance(1.0)
                rig.publish()
            run.handle(engine.resume())
            resumed_at = rig.clock()
    figures = run.finish(rig.clock())
    services.run_figures.add_samples(record.id, run.samples.take())

    belt = rig.sim.log.belt
    assert paused_at is not None
    assert resumed_at is not None
    assert len(changes) == 3  # the first segment starts with engine.start()
    starts = [changes[0] - 60, *changes]
    for index, start in enumerate(starts):
        segment = PLAN.segments[index]
        want_speed = min(segment.speed_kmh or 0, LIMITS.max_speed_kmh)
        want_incline = min(segment.incline_pct or 0, LIMITS.max_incline_percent)
        settled = [
            row
            for row in belt
            if start + SETTLE_S <= row[0] < start + 50 and not paused_at <= row[0] < resumed_at + SETTLE_S
        ]
        assert settled, f"no belt figures for segment {index}"
        for _, speed, incline, _running in settled:
            assert speed == pytest.approx(want_speed, abs=0.01), (index, speed)
            assert incline == pytest.approx(want_incline, abs=0.01), (index, incline)
    assert max(row[1] for row in belt) <= LIMITS.max_speed_kmh
    assert max(row[2] for row in belt) <= LIMITS.max_incline_percent
    for _, request, _result in rig.sim.log.commands:
        if request.op_code.name == "SET_TARGET_SPEED":
            assert request.parameter is not None
            assert request.parameter <= LIMITS.max_speed_kmh
        if request.op_code.name == "SET_TARGET_INCLINATION":
            assert request.parameter is not None
            assert request.parameter <= LIMITS.max_incline_percent
    # the pause paused the belt: it stood still for the whole pause, then ran again
    during = [row for row in belt if paused_at < row[0] <= resumed_at]
    assert len(during) == 10
    assert all(row[1] == 0 and not row[3] for row in during)
    assert any(row[1] > 0 for row in belt if row[0] > resumed_at)
    # the app's distance is the simulator's integral, within 1 %
    assert figures.distance_m is not None
    assert figures.distance_m == pytest.approx(rig.sim.model.distance_m, rel=0.01)
    assert rig.sim.model.distance_m > 500
    # heart-rate figures: what the strap sent, averaged over running time, in zones of 188
    sent = [reading.bpm for reading in rig.seen.heart]
    assert figures.max_heart_rate == max(sent)
    assert figures.avg_heart_rate is not None
    assert min(sent) < figures.avg_heart_rate < max(sent)
    assert figures.zone_s is not None
    assert sum(figures.zone_s) <= engine.snapshot().elapsed_s + 1
    # per-segment actuals: the capped run averaged close to its 10 km/h cap after its ramp
    by_index = {segment.index: segment for segment in figures.segments}
    assert by_index[1].speed_kmh is not None
    assert 8.0 < by_index[1].speed_kmh <= 10.0
    assert by_index[2].speed_kmh is not None
    assert by_index[2].speed_kmh == pytest.approx(5.0, abs=0.6)
    assert sum(segment.distance_m for segment in figures.segments) == pytest.approx(figures.distance_m, abs=0.5)
    assert not notices, notices

    # the run record holds them: into a real SQLite file, back out through `history --json`
    services.runs.finish(
        record.id, RunEnd(RunEndStatus.FINISHED, RunProgress(engine.snapshot().elapsed_s, 3, 4), segment_log=())
    )
    services.run_figures.record(record.id, figures, devices="Simulated treadmill", zone_max_heart_rate=188)
    services.close()
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "data"), "history", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["distance_m"] == pytest.approx(rig.sim.model.distance_m, rel=0.01)
    assert row["avg_heart_rate"] == figures.avg_heart_rate
    assert row["max_heart_rate"] == max(sent)
    assert row["heart_rate_zones_s"] == list(figures.zone_s)
    assert [s["index"] for s in row["segment_figures"]] == [0, 1, 2, 3]
    assert row["segment_figures"][1]["speed_kmh"] <= LIMITS.max_speed_kmh
    # the figures over time: one sample each 5 s of running (the pause left out), stored batch by batch
    samples = row["samples"]
    times = [s["elapsed_s"] for s in samples]
    assert times == sorted(set(times))
    assert len(samples) == pytest.approx(PLAN.total_s / 5, abs=2)
    assert times[-1] <= PLAN.total_s + 1  # running time: the 10-second pause is not in it
    assert all(0 < b - a <= 6 for a, b in itertools.pairwise(times))
    distances = [s["distance_m"] for s in samples]
    assert distances == sorted(distances)
    # the last sample is at most 5 s of running (at 9 km/h, 12.5 m) short of the run's whole distance
    assert 0 <= figures.distance_m - distances[-1] <= 9 / 3.6 * 5 + 0.5
    # the strap's first reading comes a moment after the belt's: only the first sample may lack it
    assert [s for s in samples[1:] if s["heart_rate"] not in sent] == []
    in_walk = [s for s in samples if 150 + SETTLE_S <= s["elapsed_s"] < 180]  # the walk, before its pause
    assert in_walk
    assert all(s["speed_kmh"] == pytest.approx(5.0, abs=0.01) for s in in_walk)
    assert max(s["speed_kmh"] for s in samples) <= LIMITS.max_speed_kmh


def test_a_dropped_link_mid_run_leaves_the_run_going_and_the_belt_holding(rig: Rig) -> None:
    notices: list[str] = []
    run = DeviceRun(PLAN, rig.treadmill, rig.strap, limits=LIMITS, max_heart_rate=None, on_notice=notices.append)
    run.take_control()
    assert run.belt is not None
    assert run.belt.wait_settled(WAIT_S)
    assert run.belt.active
    engine = _engine(rig)
    run.handle(engine.start())
    while engine.snapshot().elapsed_s < 62:  # two seconds into the run: the belt is climbing toward 10 km/h
        _second(rig, engine, run)
    model = rig.sim.model
    assert model.speed_kmh < LIMITS.max_speed_kmh - 1.5
    rig.run_on_loop(rig.sim.drop_links())
    rig.seen.wait_for(lambda: ("treadmill", DeviceState.LOST) in rig.seen.states, "the treadmill's link to drop")
    rig.seen.wait_for(lambda: ("heart", DeviceState.LOST) in rig.seen.states, "the strap's link to drop")
    held = model.target_speed_kmh
    assert held <= model.speed_kmh + 1.0  # at most one step above where the belt was: never left climbing to 10
    while engine.state is not EngineState.FINISHED:
        rig.clock.advance(5.0)
        run.handle(engine.step())
        rig.run_on_loop(rig.sim.publish())
    assert model.target_speed_kmh == held
    assert max(row[1] for row in rig.sim.log.belt) <= held
    figures = run.finish(rig.clock())
    assert _active(run) is False
    assert any("Lost the link" in notice for notice in notices)
    assert figures.distance_m is not None
    assert 0 < figures.distance_m < model.distance_m
    assert figures.max_heart_rate is not None


def _active(run: DeviceRun) -> bool:
    """Read afresh (the device thread changes it)."""
    assert run.belt is not None
    return run.belt.active

"""A low check-in offers a shorter version of the run; taking it switches the run to it.

The shorter plan (core/coach.py), whether a plan carries a run on (core/engine_inputs.py), the engine's switch
(core/timer_engine.py) and the merge of cues (core/coach_replan.py) are pure; the Qt-free RunSession does the
switch with real speech and a real SQLite file, and the saved run has the shorter plan's name and length.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from runcompanion.core.clock import FakeClock
from runcompanion.core.coach import shorter_version
from runcompanion.core.coach_replan import switch_upcoming
from runcompanion.core.cue_library import CueLibrary, load_cue_library
from runcompanion.core.cue_timeline import CueKind
from runcompanion.core.engine_events import EngineEvent, EngineState, EventKind
from runcompanion.core.engine_inputs import continues_from
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.timer_engine import TimerEngine
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import Services, build_services
from runcompanion.services.devices.belt_control import BeltLimits
from runcompanion.services.devices.device_run import DeviceRun
from runcompanion.services.run_session import RunSession
from tests.unit.run_sessions import run_session
from tests.unit.test_coach_replan import planned, session
from tests.unit.test_run_session import FakePlayer

ROOT = Path(__file__).resolve().parents[2]
ANNOUNCEMENTS = frozenset({CueKind.HEADS_UP, CueKind.CHANGE, CueKind.HALFWAY, CueKind.ONE_MINUTE, CueKind.FINISH})


@pytest.fixture(scope="module")
def library() -> CueLibrary:
    return load_cue_library((p.name, p.read_bytes()) for p in sorted((ROOT / "resources" / "cues").glob("*.toml")))


def test_the_shorter_version_keeps_each_segments_theme() -> None:
    plan = session("mindful-30")  # arrive, breath, steps, open, reflect
    shorter = shorter_version(plan)
    assert shorter is not None
    assert [s.kind for s in shorter.segments] == [
        SegmentKind.WARMUP,
        SegmentKind.RUN,
        SegmentKind.RUN,
        SegmentKind.COOLDOWN,
    ]
    # The cool-down keeps "reflect": before, it took the theme of the segment left out ("open").
    assert shorter.themes == ("arrive", "breath", "steps", "reflect")
    assert all(block.end <= len(shorter.segments) for block in shorter.repeats)


def _plan(*segments: tuple[SegmentKind, float]) -> SessionPlan:
    return SessionPlan("p", "P", tuple(Segment(kind, duration) for kind, duration in segments))


def test_a_plan_carries_a_run_on_only_from_where_both_agree() -> None:
    old = _plan((SegmentKind.WARMUP, 300), (SegmentKind.RUN, 1200), (SegmentKind.COOLDOWN, 300))
    halved = _plan((SegmentKind.WARMUP, 300), (SegmentKind.RUN, 600), (SegmentKind.COOLDOWN, 300))
    assert continues_from(old, halved, -1, -3.0)  # in the countdown: any runnable plan
    assert continues_from(old, halved, 0, 120.0)
    assert continues_from(old, halved, 1, 800.0)  # the same segment, shorter, not yet over
    assert not continues_from(old, halved, 1, 950.0)  # the halved run would already be over
    assert not continues_from(old, halved, 2, 1600.0)  # the segments done differ
    other = _plan((SegmentKind.WALK, 300), (SegmentKind.COOLDOWN, 300))
    assert not continues_from(old, other, 0, 10.0)  # the segment under way is another
    assert not continues_from(old, _plan((SegmentKind.RUN, 0.0)), -1, -3.0)  # not runnable


def test_the_engine_switches_plan_and_cues_without_a_miss_or_a_double(library: CueLibrary) -> None:
    plan = session("first-walk-run")
    shorter = shorter_version(plan)
    assert shorter is not None
    steady = planned(plan, library, 5, None)
    gentle = planned(shorter, library, 5, -3)
    clock = FakeClock()
    engine = TimerEngine(plan, steady, clock, countdown_s=5.0)
    engine.start()
    delivered: list[int] = []
    clock.advance(65.0)  # a minute into the warm-up
    delivered += [e.cue_id for e in engine.step() if e.kind is EventKind.CUE]
    cut = engine.snapshot().elapsed_s + 1.0
    merged = switch_upcoming(steady, gentle, cut)
    assert engine.switch_plan(shorter, merged)
    assert engine.plan is shorter
    assert engine.snapshot().remaining_s == pytest.approx(shorter.total_s - 60.0)
    while engine.state is not EngineState.FINISHED:
        clock.advance(0.5)
        delivered += [e.cue_id for e in engine.step() if e.kind is EventKind.CUE]
    assert delivered == list(range(len(merged)))
    assert [e.planned_s for e in engine.segment_log()] == [s.duration_s for s in shorter.segments]
    # What was said after the switch is the shorter run's: its announcements, at its times.
    after = [c for c in merged.cues if c.offset_s >= cut and c.kind in ANNOUNCEMENTS]
    assert after == [c for c in gentle.cues if c.offset_s >= cut and c.kind in ANNOUNCEMENTS]
    assert max(c.offset_s for c in merged.cues) <= shorter.total_s


def test_the_engine_refuses_a_plan_that_does_not_carry_the_run_on(library: CueLibrary) -> None:
    plan = session("first-walk-run")
    shorter = shorter_version(plan)
    assert shorter is not None
    steady = planned(plan, library, 5, None)
    clock = FakeClock()
    engine = TimerEngine(plan, steady, clock, countdown_s=5.0)
    engine.start()
    clock.advance(5.0 + 300 + 60 + 90 + 60 + 90 + 10)  # into the third run, which the shorter version has not
    engine.step()
    assert not engine.switch_plan(shorter, switch_upcoming(steady, planned(shorter, library, 5, -3), 700.0))
    assert engine.plan is plan
    assert engine.cues == steady.cues


# -- the run session ----------------------------------------------------------------------------------------------

SESSION = "first-walk-run"  # warm-up, 4 x (run 1:00, walk 1:30), cool-down: 20 minutes; the shorter one is 15
SEED = 4


def _run(services: Services, clock: FakeClock) -> RunSession:
    return run_session(services, SESSION, SEED, clock)


def test_a_run_session_takes_the_shorter_version_and_saves_it(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        clock = FakeClock()
        run = _run(services, clock)
        started = run.record_start()
        run.engine.start()
        run.check_in(-3)
        assert run.shorter_offer() is None  # no cues attached yet: asked again once they are
        player = FakePlayer()
        player.load(run.use_cues(run.prepare()))
        offer = run.shorter_offer()
        assert offer is not None
        assert offer.total_s == 900.0
        played = [e.cue_id for e in run.engine.step() if e.kind is EventKind.CUE]
        done = run.prepare_shorter(offer, -3)  # a worker in the app
        clock.advance(20.0)  # the countdown is over and the run 15 s in while the worker made the cues
        played += [e.cue_id for e in run.engine.step() if e.kind is EventKind.CUE]
        timeline = run.use_shorter(done)
        assert timeline is not None
        assert run.plan is offer
        assert run.engine.plan is offer
        assert run.engine.snapshot().remaining_s == pytest.approx(900.0 - 15.0)
        assert run.shorter_offer() is None  # offered once: the run is the shorter one now
        assert run.use_shorter(done) is None
        player.load(run.sounds)
        run.record_plan(started.id)
        # The briefing and every announcement to come are the shorter run's, gentle.
        expected = services.cues.prepare(offer, run.settings, SEED, context=services.coach.context(offer, -3))
        assert [c for c in timeline.cues if c.offset_s >= 16.0] == [
            c for c in expected.timeline.cues if c.offset_s >= 16.0
        ]
        while run.engine.state is not EngineState.FINISHED:
            clock.advance(0.5)
            played += [e.cue_id for e in run.engine.step() if e.kind is EventKind.CUE]
        assert played == list(range(len(timeline)))
        assert all(run.sounds.file_for(i) is not None for i in played)
        saved = run.record_end(started.id, run.end())
        assert (saved.status, saved.planned_s, saved.elapsed_s) == ("finished", 900.0, 900.0)
        assert saved.session_name == "First walk-run (shorter)"
        assert services.runs.history()[0].planned_s == 900.0  # read back from the SQLite file
        assert len(saved.segment_log) == 6
        with pytest.raises(ValueError, match="cannot change"):  # an ended run keeps the plan it was run with
            services.runs.change_plan(started.id, run.planned)
        assert services.runs.history()[0].planned_s == 900.0
    finally:
        services.close()


def test_no_offer_on_a_steady_or_good_day_nor_once_the_run_is_under_way(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        clock = FakeClock()
        run = _run(services, clock)
        run.engine.start()
        run.use_captions(run.captions_only())
        for feeling in (None, 0, -1, 2, 5):
            run.check_in(feeling)
            assert run.shorter_offer() is None, feeling
        run.check_in(-2)
        assert run.shorter_offer() is not None
        clock.advance(5.0 + 300.0 + 1.0)  # into the first run: past the first segment
        run.engine.step()
        assert run.shorter_offer() is None
    finally:
        services.close()


def test_a_shorter_run_prepared_too_late_changes_nothing(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        clock = FakeClock()
        run = _run(services, clock)
        started = run.record_start()
        run.engine.start()
        run.use_captions(run.captions_only())
        run.check_in(-3)
        offer = run.shorter_offer()
        assert offer is not None
        done = run.prepare_shorter(offer, -3)
        assert done.prepared is None
        assert done.captions is not None
        before = run.engine.cues
        clock.advance(5.0 + 300 + 60 + 90 + 60 + 90 + 10)  # the runner went on into the third run meanwhile
        run.engine.step()
        assert run.use_shorter(done) is None
        assert run.plan is run.planned
        assert run.engine.cues == before
        run.engine.stop()
        saved = run.record_end(started.id, run.end())
        assert saved.planned_s == 1200.0
    finally:
        services.close()


def test_a_tone_replan_made_for_the_planned_run_is_not_applied_after_the_switch(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        run = _run(services, FakeClock())
        run.engine.start()
        run.use_captions(run.captions_only())
        wanted = run.check_in(-3)
        assert wanted is not None
        stale = run.replan(wanted)
        offer = run.shorter_offer()
        assert offer is not None
        assert run.use_shorter(run.prepare_shorter(offer, -3)) is not None
        switched = run.engine.cues
        assert run.use_replan(replace(stale)) is None
        assert run.engine.cues == switched
    finally:
        services.close()


def test_the_treadmill_follows_the_shorter_plan() -> None:
    plan = session("first-walk-run")
    shorter = shorter_version(plan)
    assert shorter is not None
    heard: list[tuple[float | None, float | None]] = []
    run = DeviceRun(
        plan,
        None,
        None,
        limits=BeltLimits(16.0, 10.0),
        max_heart_rate=None,
        on_notice=lambda _text: None,
        targets_heard=lambda speed, incline: heard.append((speed, incline)),
    )
    run.use_plan(shorter)
    cooldown = len(shorter.segments) - 1  # in the planned run, that index is the third run, at 8 km/h
    run.handle([EngineEvent(EventKind.SEGMENT_STARTED, shorter.segment_starts()[cooldown], cooldown)])
    assert heard == [(shorter.segments[-1].speed_kmh, shorter.segments[-1].incline_pct)]
    assert plan.segments[cooldown].speed_kmh != shorter.segments[-1].speed_kmh


def needs_voice(run: RunSession) -> bool:
    return run.needs_voice  # read afresh: the property changes with the calls between two reads


def test_a_switch_made_on_captions_is_joined_by_the_voice_when_it_is_ready(tmp_path: Path) -> None:
    """A slow voice starts the run on captions; the runner takes the shorter run; then the planned run's speech
    arrives. It must not bring back the planned run's cues: the shorter run is prepared with the voice."""
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        clock = FakeClock()
        run = _run(services, clock)
        started = run.record_start()
        run.engine.start()
        run.use_captions(run.captions_only())  # the countdown ended before the voice was ready
        run.check_in(-3)
        offer = run.shorter_offer()
        assert offer is not None
        captions = run.use_shorter(run.prepare_shorter(offer, -3))
        assert captions is not None
        assert run.needs_voice is False
        clock.advance(20.0)
        played = [e.cue_id for e in run.engine.step() if e.kind is EventKind.CUE]
        player = FakePlayer()
        player.load(run.use_cues(run.prepare()))  # the planned run's speech, late
        assert run.engine.plan is offer
        assert run.engine.cues == captions.cues  # not the planned run's
        assert player.sounds is not None
        assert player.sounds.by_cue == ()
        assert needs_voice(run)
        voiced = run.use_shorter(run.prepare_shorter(run.plan, -3))  # a worker in the app
        assert voiced is not None
        assert not needs_voice(run)
        player.load(run.sounds)
        assert run.engine.cues == voiced.cues
        assert played  # the start and the briefing, as captions
        later: list[int] = []
        while run.engine.state is not EngineState.FINISHED:
            clock.advance(0.5)
            later += [e.cue_id for e in run.engine.step() if e.kind is EventKind.CUE]
        assert later == [i for i, c in enumerate(voiced.cues) if c.offset_s >= 15.0]  # from 15 s in: each once
        assert all(run.sounds.file_for(i) is not None for i in later)  # heard, in the shorter run's words
        assert not any("of 4" in voiced.cues[i].text for i in later)
        saved = run.record_end(started.id, run.end())
        assert saved.status == "finished"
        assert saved.elapsed_s == 900.0
    finally:
        services.close()

"""The check-in re-plans the rest of a run: the coach's words change, the announcements and what is due soon stay.

The merge is pure (core/coach_replan.py); the engine swaps the upcoming cues without a miss or a double; the
Qt-free RunSession does it with real speech and real SQLite, and stores what the run now says.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from runcompanion.core.clock import FakeClock
from runcompanion.core.coach import RunnerContext, coach_run
from runcompanion.core.coach_memory import CueMemory
from runcompanion.core.coach_program import REMEMBERED_KINDS
from runcompanion.core.coach_replan import COACH_KINDS, REPLAN_AHEAD_S, replan_upcoming
from runcompanion.core.coach_texts import GENTLE_SENTENCES
from runcompanion.core.cue_library import CueLibrary, load_cue_library
from runcompanion.core.cue_scheduler import CueSettings, schedule_cues
from runcompanion.core.cue_timeline import CueKind, CueTimeline, TimelineCue
from runcompanion.core.engine_events import EngineState, EventKind
from runcompanion.core.session_files import parse_session_toml
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.timer_engine import TimerEngine
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.services.run_session import RunSession
from tests.unit.test_run_session import FakePlayer

ROOT = Path(__file__).resolve().parents[2]


def estimate(text: str) -> float:
    return 0.4 + len(text) / 14.0


@pytest.fixture(scope="module")
def library() -> CueLibrary:
    return load_cue_library((p.name, p.read_bytes()) for p in sorted((ROOT / "resources" / "cues").glob("*.toml")))


def session(name: str) -> SessionPlan:
    path = ROOT / "resources" / "sessions" / f"{name}.toml"
    return parse_session_toml(path.read_bytes(), path.name, builtin=True)


def planned(plan: SessionPlan, library: CueLibrary, seed: int, feeling: int | None) -> CueTimeline:
    script = coach_run(plan, RunnerContext(feeling=feeling), seed)
    return schedule_cues(plan, library, CueSettings(), seed, estimate, script)


def coach_after(timeline: CueTimeline, from_s: float) -> list[TimelineCue]:
    return [c for c in timeline.cues if c.offset_s >= from_s and c.kind in COACH_KINDS]


@pytest.mark.parametrize("name", ["first-walk-run", "focus-intervals", "mindful-30", "small-steps-10"])
def test_the_merge_keeps_what_is_due_soon_and_every_announcement_and_takes_the_new_words(
    library: CueLibrary, name: str
) -> None:
    plan = session(name)
    changed = 0
    for seed in range(12):
        steady = planned(plan, library, seed, None)
        gentle = planned(plan, library, seed, -3)
        for from_s in (0.0, 7.5, 41.0, 65.0):
            merged = replan_upcoming(steady, gentle, from_s)
            before = [c for c in steady.cues if c.offset_s < from_s]
            # What was due before the cut, in the same places: the player's ids of the said cues stay valid.
            assert merged.cues[: len(before)] == tuple(before)
            # Every announcement, countdown, note and finish of the run is still there, unchanged.
            assert [c for c in merged.cues if c.kind not in COACH_KINDS] == [
                c for c in steady.cues if c.kind not in COACH_KINDS
            ]
            # The coach's words after the cut are the gentle plan's, each one unless it would talk over another.
            fresh = coach_after(merged, from_s)
            assert set(fresh) <= set(coach_after(gentle, from_s))
            assert len(fresh) >= len(coach_after(gentle, from_s)) - 1
            spoken = [c for c in merged.cues if not c.beep]
            for a, b in itertools.pairwise(spoken):
                assert a.end_s <= b.offset_s + 1e-9 or a.offset_s < from_s, (seed, from_s, a.text, b.text)
            changed += fresh != coach_after(steady, from_s)
    assert changed > 0  # a low day really changes what the rest of the run says


def test_a_check_in_before_the_briefing_makes_the_briefing_gentle(library: CueLibrary) -> None:
    plan = session("first-walk-run")
    merged = replan_upcoming(planned(plan, library, 3, None), planned(plan, library, 3, -3), 0.0)
    briefing = " ".join(c.text for c in merged.cues if c.kind is CueKind.BRIEFING)
    assert any(sentence in briefing for sentence in GENTLE_SENTENCES), briefing


def test_the_engine_swaps_the_upcoming_cues_without_a_miss_or_a_double(library: CueLibrary) -> None:
    plan = session("focus-intervals")
    steady = planned(plan, library, 5, None)
    upbeat = planned(plan, library, 5, 3)
    clock = FakeClock()
    engine = TimerEngine(plan, CueTimeline(), clock, countdown_s=5.0)
    engine.start()
    assert engine.replace_upcoming(upbeat) is False  # no cues attached yet: nothing to swap
    assert engine.attach_timeline(steady)
    delivered: list[int] = []
    while engine.snapshot().elapsed_s < 300.0:
        clock.advance(0.5)
        delivered += [e.cue_id for e in engine.step() if e.kind is EventKind.CUE and e.cue_id is not None]
    cut = engine.snapshot().elapsed_s + REPLAN_AHEAD_S
    # A timeline that differs in a cue already said is refused: the ids the player plays by would shift.
    assert delivered
    tampered = CueTimeline((replace(steady.cues[0], text="Something else."), *steady.cues[1:]))
    assert engine.replace_upcoming(tampered) is False
    assert engine.cues == steady.cues
    merged = replan_upcoming(steady, upbeat, cut)
    assert engine.replace_upcoming(merged)
    while engine.state is not EngineState.FINISHED:
        clock.advance(0.5)
        delivered += [e.cue_id for e in engine.step() if e.kind is EventKind.CUE and e.cue_id is not None]
    assert delivered == list(range(len(merged)))  # every cue once, in order, the new ones included
    assert [merged.cues[i] for i in delivered if merged.cues[i].offset_s >= cut] == [
        c for c in merged.cues if c.offset_s >= cut
    ]


def test_a_run_session_follows_a_low_check_in_and_remembers_what_it_said(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        plan = services.catalog.get("small-steps-10")
        settings = services.settings.load()
        seed = 11
        # What `runcompanion cues small-steps-10 --seed 11 --feeling -3` says for this runner.
        expected = services.cues.prepare(plan, settings, seed, context=services.coach.context(plan, -3)).timeline
        clock = FakeClock()
        run = RunSession(
            plan, settings, seed, runs=services.runs, cues=services.cues, coach=services.coach, clock=clock
        )
        started = run.record_start()
        run.engine.start()
        assert run.check_in(-3) is None  # the cues are not attached yet: asked again once they are
        player = FakePlayer()
        player.load(run.use_cues(run.prepare()))
        before = run.engine.cues
        assert run.check_in(0) is None  # a steady day: nothing to re-plan
        wanted = run.check_in(-3)
        assert wanted is not None
        done = run.replan(wanted)  # a worker in the app: it synthesizes the new texts
        clock.advance(2.0)
        played: list[int] = [e.cue_id for e in run.engine.step() if e.kind is EventKind.CUE and e.cue_id is not None]
        timeline = run.use_replan(done)
        assert timeline is not None
        assert run.use_replan(done) is None  # applied once
        player.load(run.sounds)
        run.record_cues(started.id)
        assert tuple(timeline.cues) == run.engine.cues != before
        assert coach_after(timeline, wanted.from_s) == [
            c for c in coach_after(expected, wanted.from_s) if c in set(timeline.cues)
        ]
        assert coach_after(timeline, wanted.from_s)
        while run.engine.state is not EngineState.FINISHED:
            clock.advance(0.25)
            played += [e.cue_id for e in run.engine.step() if e.kind is EventKind.CUE and e.cue_id is not None]
        assert played == list(range(len(timeline)))
        files = [run.sounds.file_for(i) for i in played]
        assert all(f is not None and f.is_file() for f in files)
        run.record_end(started.id, run.end())
        # The coach's memory holds what the run said after the check-in, not what it had planned before.
        remembered = [c.cue_id for c in timeline.cues if c.cue_id and c.kind in REMEMBERED_KINDS]
        assert services.coach.memory() == CueMemory.of([remembered])
    finally:
        services.close()

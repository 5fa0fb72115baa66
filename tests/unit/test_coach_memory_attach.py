"""The coach's memory keeps exactly the cues a run gave, when its cues were attached or swapped mid-run.

A timeline handed to the engine after the run started (the voice ready only at 200 s, the captions late, a
re-plan after a check-in, the shorter run taken) is said from where the run was then: the engine skips the cues
whose moment had passed. They were stored as heard all the same (the first remembered cue, at 157.5 s, was
stored though the voice joined at 200 s), and the coach held them back for weeks.

Each test steps the engine as the app does and keeps the remembered cues of its CUE events (what the runner was
given: heard, or read as captions); the memory read back from the real SQLite file must be exactly those.
Real speech (espeak-ng), a real SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from runcompanion.core.clock import FakeClock
from runcompanion.core.coach_program import REMEMBERED_KINDS
from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.engine_events import EngineEvent, EngineState, EventKind
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import Services, build_services
from tests.unit.run_sessions import run_session
from tests.unit.test_shorter_version import SEED, SESSION

LATE_S = 200.0  # after the first remembered cue of SESSION with SEED (157.5 s), still in the warm-up
STOP_S = 600.0


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        yield built
    finally:
        built.close()


class Run:
    """A run stepped one second at a time, keeping the remembered cues its engine gave."""

    def __init__(self, services: Services) -> None:
        self.clock = FakeClock()
        self.session = run_session(services, SESSION, SEED, self.clock)
        self.id = self.session.record_start().id
        self.given: set[str] = set()
        self._keep(self.session.engine.start())

    def _keep(self, events: list[EngineEvent]) -> None:
        for event in events:
            cue = event.cue
            if event.kind is EventKind.CUE and cue is not None and cue.kind in REMEMBERED_KINDS and cue.cue_id:
                self.given.add(cue.cue_id)

    def to(self, session_s: float) -> None:
        engine = self.session.engine
        while engine.state is not EngineState.FINISHED and engine.snapshot().elapsed_s < session_s:
            self.clock.advance(1.0)
            self._keep(engine.step())

    def remember(self) -> None:
        self.session.record_cues(self.id)  # as the app does after each call that changed the cues

    def stop(self) -> None:
        self.to(STOP_S)
        self._keep(self.session.engine.stop())
        self.session.record_end(self.id, self.session.end())


def _remembered(timeline: CueTimeline, before_s: float) -> set[str]:
    return {c.cue_id for c in timeline.cues if c.kind in REMEMBERED_KINDS and c.cue_id and c.offset_s < before_s}


def test_a_voice_attached_late_is_remembered_from_where_it_joined(services: Services) -> None:
    run = Run(services)
    run.to(LATE_S)
    prepared = run.session.prepare()
    run.session.use_cues(prepared)
    run.remember()
    run.stop()
    passed = _remembered(prepared.timeline, LATE_S)
    assert passed  # the test has a cue the voice came too late for
    assert not passed & run.given
    assert run.given
    assert services.coach.memory().runs == (frozenset(run.given),)


def test_captions_attached_late_are_remembered_from_where_they_were_shown(services: Services) -> None:
    run = Run(services)
    run.to(LATE_S)
    captions = run.session.captions_only()
    run.session.use_captions(captions)
    run.remember()
    run.stop()
    assert _remembered(captions, LATE_S)
    assert services.coach.memory().runs == (frozenset(run.given),)


def test_the_voice_joining_captions_keeps_the_captions_shown_before(services: Services) -> None:
    run = Run(services)
    run.session.use_captions(run.session.captions_only())  # in the countdown: every caption is shown
    run.remember()
    run.to(LATE_S)
    run.session.use_cues(run.session.prepare())
    run.remember()
    run.stop()
    assert services.coach.memory().runs == (frozenset(run.given),)


def test_a_replan_after_a_late_voice_is_remembered_from_where_the_voice_joined(services: Services) -> None:
    run = Run(services)
    run.to(LATE_S)
    run.session.use_cues(run.session.prepare())
    run.remember()
    wanted = run.session.check_in(-3)
    assert wanted is not None
    run.to(LATE_S + 20)
    assert run.session.use_replan(run.session.replan(wanted)) is not None
    run.remember()
    run.stop()
    assert services.coach.memory().runs == (frozenset(run.given),)


def test_the_shorter_run_taken_after_a_late_voice_is_remembered_as_given(services: Services) -> None:
    run = Run(services)
    run.to(LATE_S)
    run.session.use_cues(run.session.prepare())
    run.remember()
    run.session.check_in(-3)
    offer = run.session.shorter_offer()
    assert offer is not None
    shorter = run.session.prepare_shorter(offer, -3)
    run.to(LATE_S + 20)
    assert run.session.use_shorter(shorter) is not None
    run.remember()
    run.stop()
    assert services.coach.memory().runs == (frozenset(run.given),)


def test_the_shorter_run_on_captions_whose_voice_joins_keeps_its_captions(services: Services) -> None:
    run = Run(services)
    run.session.use_captions(run.session.captions_only())
    run.remember()
    run.session.check_in(-3)
    offer = run.session.shorter_offer()
    assert offer is not None
    assert run.session.use_shorter(run.session.prepare_shorter(offer, -3)) is not None
    run.remember()
    run.to(LATE_S)
    run.session.use_cues(run.session.prepare())  # the planned run's speech: the shorter run needs its own
    assert run.session.needs_voice
    assert run.session.use_shorter(run.session.prepare_shorter(run.session.plan, -3)) is not None
    run.remember()
    run.stop()
    assert services.coach.memory().runs == (frozenset(run.given),)

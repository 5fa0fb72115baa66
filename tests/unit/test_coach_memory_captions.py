"""The coach's memory keeps what the runner was given, in the run that started on captions.

A slow voice starts the run on captions; the runner takes the shorter run a low check-in offers; then the planned
run's speech arrives (it is not used: the shorter run is prepared again with the voice), and that preparation
fails. The run goes on with the shorter run's captions, so those are the cues it said: the planned run's cues,
which it never said, must not be stored as heard (they stayed, and the coach held them back for weeks).

Real speech, a real SQLite file; the shorter run's voice fails by naming a voice that is not installed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from runcompanion.audio.speech_engine import UnknownVoiceError
from runcompanion.core.clock import FakeClock
from runcompanion.core.coach_program import REMEMBERED_KINDS
from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.engine_events import EngineState
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from tests.unit.run_sessions import run_session
from tests.unit.test_shorter_version import SEED, SESSION


def _remembered(timeline: CueTimeline) -> frozenset[str]:
    return frozenset(c.cue_id for c in timeline.cues if c.kind in REMEMBERED_KINDS and c.cue_id)


def test_a_shorter_run_on_captions_whose_voice_fails_is_remembered_by_its_captions(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        clock = FakeClock()
        run = run_session(services, SESSION, SEED, clock)
        started = run.record_start()
        run.engine.start()
        run.use_captions(run.captions_only())  # the countdown ended before the voice was ready
        run.check_in(-3)
        offer = run.shorter_offer()
        assert offer is not None
        captions = run.use_shorter(run.prepare_shorter(offer, -3))
        assert captions is not None
        run.record_cues(started.id)  # as the app does after the switch
        planned = run.prepare()  # the planned run's speech, late
        run.use_cues(planned)
        run.record_cues(started.id)  # as the app does when the speech is ready
        assert run.needs_voice
        run.settings = replace(run.settings, voice_id="no-such-voice-anywhere")  # the voice is gone now
        with pytest.raises(UnknownVoiceError):
            run.prepare_shorter(run.plan, -3)  # the app's worker fails: the run goes on with the captions
        assert run.engine.cues == captions.cues
        while run.engine.state is not EngineState.FINISHED:
            clock.advance(5.0)
            run.engine.step()
        run.record_end(started.id, run.end())

        said, not_said = _remembered(captions), _remembered(planned.timeline)
        assert said
        assert said != not_said  # the test tells the two runs' cues apart
        assert services.coach.memory().runs == (said,)  # read back from the SQLite file
    finally:
        services.close()

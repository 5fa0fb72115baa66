"""A real run through the run screen leaves the coach's memory in the database, and the next run of the same
session chooses other cues: the whole path (prepare with the runner's context, store with the run's row,
read back) with real speech, a real SQLite file and a real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.core.cue_timeline import CueKind
from runcompanion.ui.shell.gui_app import GuiApp

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

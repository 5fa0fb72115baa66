"""A short run from start to journal: check-in, the run, the reflection that opens by itself, the journal list,
and the same reflection in an export written by the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.ui.shell.gui_app import GuiApp

SESSION = """
name = "Short test run"
[[segments]]
kind = "walk"
duration = 20
speed_kmh = 5.5
[[segments]]
kind = "run"
duration = 20
speed_kmh = 8
"""


@pytest.mark.timeout(180)
def test_a_finished_run_lands_in_the_journal_and_its_export(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, tmp_path: Path, answer_dialogs: list[str]
) -> None:
    assert gui.services is not None
    session_file = tmp_path / "short.toml"
    session_file.write_text(SESSION)
    plan = gui.services.catalog.import_file(session_file)

    run = gui.start_run(plan.id, seed=3)
    assert run is not None
    with qtbot.waitSignal(run.countdown_started, timeout=5_000):
        pass
    screen = run.screen
    qtbot.waitUntil(screen.checkin.isVisible, timeout=5_000)
    screen.feeling.button(-1).click()  # the check-in, during the countdown
    qtbot.waitUntil(lambda: screen.preparing.isHidden() and gui.tasks.in_flight == 0, timeout=60_000)

    clock.advance(5 + 41)  # countdown, then the whole session
    qtbot.waitUntil(lambda: screen.showing_summary, timeout=10_000)
    assert gui.journal is not None
    qtbot.waitUntil(lambda: gui.journal is not None and gui.journal.dialog is not None, timeout=10_000)
    dialog = gui.journal.dialog
    assert dialog is not None
    assert dialog.feeling_before.value() == -1  # the check-in came along
    dialog.feeling_after.button(2).click()
    dialog.effort.button(5).click()
    dialog.text.setPlainText("Short and sweet, and my head is clearer.")
    dialog.tags.setText("treadmill, lunch")
    dialog.save_button.click()

    screen.done_button.click()
    gui.window.show_section("Journal")
    page = gui.pages.journal
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.rows[0].lift == "+3", timeout=10_000)
    assert page.model.rows[0].session == "Short test run"

    gui.shutdown()  # every write is on disk before another process reads the database
    out = tmp_path / "journal.json"
    home = gui.services.paths.data_dir.parent
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "runcompanion",
            "--data-dir",
            str(home),
            "journal",
            "export",
            "--format",
            "json",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    exported = out.read_text(encoding="utf-8")
    assert "Short and sweet, and my head is clearer." in exported
    assert json.loads(exported)["format"] == "runcompanion-journal"

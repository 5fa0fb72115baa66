"""A real run in the app with a pause, to the activity file: the pause the runner took (Space) is where the FIT
file's timer stops and starts again, and the laps hold the running time only."""

from __future__ import annotations

from pathlib import Path

import pytest
from garmin_fit_sdk import Decoder, Stream
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.core.engine_events import EngineState
from runcompanion.ui.shell.gui_app import GuiApp

SESSION = """
name = "Pause test"
[[segments]]
kind = "walk"
duration = 30
speed_kmh = 5.4
[[segments]]
kind = "run"
duration = 30
speed_kmh = 9.0
"""


@pytest.mark.timeout(180)
def test_a_pause_in_the_run_is_a_pause_in_the_fit_file(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, tmp_path: Path, answer_dialogs: list[str]
) -> None:
    assert gui.services is not None
    session_file = tmp_path / "pause.toml"
    session_file.write_text(SESSION)
    plan = gui.services.catalog.import_file(session_file)
    run = gui.start_run(plan.id, seed=3)
    assert run is not None
    with qtbot.waitSignal(run.countdown_started, timeout=5_000):
        pass
    screen = run.screen
    qtbot.waitUntil(lambda: screen.preparing.isHidden() and gui.tasks.in_flight == 0, timeout=60_000)
    clock.advance(5 + 40)  # the countdown, then 10 s into the run segment
    qtbot.waitUntil(lambda: run.engine.snapshot().elapsed_s >= 40, timeout=10_000)
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    assert run.engine.state is EngineState.PAUSED
    clock.advance(25)  # a 25-second pause
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    assert run.engine.snapshot().state is EngineState.RUNNING
    clock.advance(21)
    qtbot.waitUntil(lambda: screen.showing_summary, timeout=10_000)
    qtbot.waitUntil(lambda: gui.journal is not None and gui.journal.dialog is not None, timeout=10_000)
    assert gui.journal is not None
    assert gui.journal.dialog is not None
    gui.journal.dialog.save_button.click()
    screen.done_button.click()
    services = gui.services
    qtbot.waitUntil(lambda: [r.status for r in services.runs.history()] == ["finished"], timeout=10_000)
    (record,) = services.runs.history()
    out = services.activity_export.export(record.id, "fit", tmp_path / "pause.fit")
    messages, errors = Decoder(Stream.from_byte_array(bytearray(out.read_bytes()))).read()
    assert errors == []
    events = [(e["event"], e["event_type"]) for e in messages["event_mesgs"]]
    assert events == [("timer", "start"), ("timer", "stop_all"), ("timer", "start"), ("timer", "stop_all")]
    laps = messages["lap_mesgs"]
    assert [lap["total_timer_time"] for lap in laps] == pytest.approx([30.0, 30.0], abs=0.2)
    assert laps[1]["total_elapsed_time"] == pytest.approx(55.0, abs=0.2)  # 30 s running and the 25 s pause
    assert messages["session_mesgs"][0]["total_timer_time"] == pytest.approx(record.elapsed_s, abs=0.01)

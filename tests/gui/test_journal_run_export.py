"""The Journal's "Export run…": the selected run becomes a FIT or TCX activity that the official FIT SDK and an
independent TCX reader take, with a lap per segment it ran."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from garmin_fit_sdk import Decoder, Stream
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from tcxreader.tcxreader import TCXReader

from runcompanion.storage.records import ReflectionInput
from runcompanion.storage.run_repository import RunRepository
from runcompanion.ui.shell.gui_app import GuiApp


@pytest.fixture
def run_id(qtbot: QtBot, gui: GuiApp) -> int:
    assert gui.services is not None
    plan = gui.services.catalog.get("small-steps-10")
    runs = RunRepository(gui.services.database)
    started = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    record = runs.start(plan.id, plan.name, plan.tags, plan.total_s, 1, None, "app", started)
    log = [
        {"index": i, "kind": s.kind.value, "planned_s": s.duration_s, "actual_s": s.duration_s, "skipped": False}
        for i, s in enumerate(plan.segments)
    ]
    runs.finish(record.id, "finished", plan.total_s, len(log) - 1, len(log), log, started + dt.timedelta(minutes=11))
    gui.services.journal.complete(record.id, ReflectionInput(feeling_after=3, text="Slow and kind."))
    gui.window.show_section("Journal")
    qtbot.waitUntil(lambda: gui.pages.journal.model.rowCount() == 1, timeout=10_000)
    return record.id


@pytest.mark.usefixtures("run_id")
@pytest.mark.parametrize("suffix", ["fit", "tcx"])
def test_export_run_writes_an_activity(
    qtbot: QtBot, gui: GuiApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    out = tmp_path / "morning"
    # The system's file dialog is the one part a test cannot drive: it answers as a person would.
    filters = {"fit": "FIT activity (*.fit)", "tcx": "TCX activity (*.tcx)"}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), filters[suffix]))
    monkeypatch.setattr(QMessageBox, "information", lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    page = gui.pages.journal
    page.table.selectRow(0)
    qtbot.waitUntil(page.export_run_button.isEnabled, timeout=5_000)
    assert gui.run_export is not None
    with qtbot.waitSignal(gui.run_export.exported, timeout=10_000) as exported:
        qtbot.mouseClick(page.export_run_button, Qt.MouseButton.LeftButton)
    written = exported.args[0]
    assert written == tmp_path / f"morning.{suffix}"
    assert gui.services is not None
    plan = gui.services.catalog.get("small-steps-10")
    if suffix == "fit":
        data = bytearray(written.read_bytes())
        messages, errors = Decoder(Stream.from_byte_array(data)).read()
        assert errors == []
        assert len(messages["lap_mesgs"]) == len(plan.segments)
        assert messages["session_mesgs"][0]["total_timer_time"] == pytest.approx(plan.total_s)
    else:
        exercise = TCXReader().read(str(written), only_gps=False)
        assert len(exercise.laps) == len(plan.segments)
        assert "Slow and kind." in written.read_text(encoding="utf-8")

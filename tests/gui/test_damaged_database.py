"""A damaged database at start-up: moved aside, then the runner chooses to restore the latest backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.storage.run_repository import RunRepository
from runcompanion.ui.shell.gui_app import GuiApp


def test_a_damaged_database_can_be_restored_from_the_latest_backup(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    paths = resolve_paths(tmp_path / "home", env={})
    services = build_services(paths)
    RunRepository(services.database).start("mindful-30", "Mindful 30", (), 1800.0, 1)
    services.backups.create("manual")
    services.close()
    with paths.database.open("r+b") as db:  # trample the header and the first pages
        db.write(b"\x00garbage" * 4096)

    gui = GuiApp(paths, ["runcompanion"])
    qtbot.addWidget(gui.window, before_close_func=lambda w: setattr(w, "close_guard", lambda: True))
    gui.window.show()
    with qtbot.waitSignal(gui.ready, timeout=30_000):
        gui.begin(lambda: build_services(paths))()
        qtbot.waitUntil(lambda: gui.recovery_box is not None, timeout=20_000)
        box = gui.recovery_box
        assert box is not None
        assert "damaged" in box.text()
        assert any("damaged" in p.name for p in paths.data_dir.iterdir())
        restore = next(b for b in box.buttons() if b.text() == "Restore the latest backup")
        restore.click()
    assert gui.services is not None
    assert [r.session_id for r in gui.services.runs.history()] == ["mindful-30"]
    # The run in the backup had been cut off: the app offers its reflection once it is back.
    qtbot.waitUntil(lambda: gui.recovery_box is not None and "cut off" in gui.recovery_box.text(), timeout=10_000)
    gui.shutdown()

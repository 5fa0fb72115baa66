"""The main window's sections, driven through their widgets with real services on a temporary database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.core.units import SpeedUnit
from runcompanion.ui.shell.about_dialog import AboutDialog
from runcompanion.ui.shell.gui_app import GuiApp
from runcompanion.ui.shell.main_window import MainWindow
from runcompanion.ui.shell.pages import SECTIONS, ShellPages


def _loaded(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.shell is not None
    with qtbot.waitSignal(gui.shell.overview_loaded, timeout=10_000):
        gui.shell.refresh()


def test_navigation_reaches_every_section(qtbot: QtBot, gui: GuiApp) -> None:
    for name in SECTIONS:
        gui.window.show_section(name)
        assert gui.window.pages.currentWidget() is gui.pages.get(name)
        assert gui.window.nav.currentItem().text() == name


def test_today_suggests_the_first_session_for_a_new_runner(qtbot: QtBot, gui: GuiApp) -> None:
    _loaded(qtbot, gui)
    today = gui.pages.today
    assert today.next_title.text() == "First walk-run"
    assert today.start_button.isEnabled()
    assert "No runs yet this week" in today.week_runs.text()


def test_sessions_page_lists_builtins_and_shows_segments(qtbot: QtBot, gui: GuiApp) -> None:
    _loaded(qtbot, gui)
    page = gui.pages.sessions
    assert page.list.count() == 6
    page.select("focus-intervals")
    assert page.name.text() == "Focus intervals"
    assert page.segments.rowCount() == 19
    speed_cell = page.segments.item(1, 3)
    assert speed_cell is not None
    assert "km/h" in speed_cell.text()


def test_units_setting_changes_the_speeds_shown(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.shell is not None
    assert gui.services is not None
    _loaded(qtbot, gui)
    gui.pages.sessions.select("first-walk-run")
    settings_page = gui.pages.settings
    settings_page.units.setCurrentIndex(settings_page.units.findData(SpeedUnit.MPH.value))
    assert gui.shell.settings.units is SpeedUnit.MPH
    speed_cell = gui.pages.sessions.segments.item(1, 3)
    assert speed_cell is not None
    assert "mph" in speed_cell.text()
    # Saved in the background after a short pause, and read back by a fresh load.
    services = gui.services
    qtbot.waitUntil(lambda: services.settings.load().units is SpeedUnit.MPH, timeout=5_000)


def test_dark_theme_changes_the_palette(qtbot: QtBot, gui: GuiApp, qapp: QApplication) -> None:
    page = gui.pages.settings
    page.theme.setCurrentIndex(page.theme.findData(Theme.DARK.value))
    assert qapp.palette().window().color().lightness() < 80
    page.theme.setCurrentIndex(page.theme.findData(Theme.LIGHT.value))
    assert qapp.palette().window().color().lightness() > 200


def _nav_background_lightness(window: MainWindow) -> int:
    # Below the last item: the navigation's own background, painted from its style sheet.
    image = window.nav.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() - 5).lightness()


def test_a_theme_switch_recolours_what_style_sheets_paint(qtbot: QtBot, gui: GuiApp, qapp: QApplication) -> None:
    page = gui.pages.settings
    page.theme.setCurrentIndex(page.theme.findData(Theme.LIGHT.value))
    assert _nav_background_lightness(gui.window) > 200
    page.theme.setCurrentIndex(page.theme.findData(Theme.DARK.value))
    assert _nav_background_lightness(gui.window) < 80
    start = gui.pages.today.start_button.grab().toImage()
    assert start.pixelColor(5, start.height() // 2) == qapp.palette().highlight().color()
    page.theme.setCurrentIndex(page.theme.findData(Theme.LIGHT.value))
    assert _nav_background_lightness(gui.window) > 200


def test_about_box_carries_the_care_notice(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    notice = dialog.findChild(QLabel, "careNotice")
    assert notice is not None
    assert "does not replace professional mental-health care" in notice.text()


def test_window_geometry_is_remembered(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.resize(780, 520)  # within the offscreen screen (800x600)
    qtbot.waitUntil(lambda: gui.window.width() == 780)
    gui.window.close_guard = lambda: True
    gui.window.close()

    again = MainWindow(ShellPages("data"), gui.ui_state)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (780, 520)


def test_importing_a_bad_session_file_says_why_and_adds_nothing(
    qtbot: QtBot, gui: GuiApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gui.shell is not None
    assert gui.services is not None
    bad = tmp_path / "broken.toml"
    bad.write_text('name = "Broken"\n[[segments]]\nkind = "run"\nduration = -5\n')
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    gui.shell.import_session_file(bad)
    qtbot.waitUntil(lambda: bool(warnings), timeout=5_000)
    assert "broken.toml" in warnings[0]
    assert "duration" in warnings[0]
    assert gui.services.catalog.own() == []


def test_importing_a_good_session_file_adds_and_selects_it(
    qtbot: QtBot, gui: GuiApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gui.shell is not None
    good = tmp_path / "mine.toml"
    good.write_text('name = "My lunch run"\n[[segments]]\nkind = "run"\nduration = "12:00"\nspeed_kmh = 9\n')
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    gui.shell.import_session_file(good)
    qtbot.waitUntil(lambda: gui.pages.sessions.current_session_id() == "my-lunch-run", timeout=5_000)
    assert "My lunch run" in shown[0]
    assert gui.pages.sessions.list.count() == 7


def test_settings_makes_a_backup_and_schedules_a_restore(qtbot: QtBot, gui: GuiApp, answer_dialogs: list[str]) -> None:
    assert gui.services is not None
    gui.window.show_section("Settings")
    page = gui.pages.settings
    qtbot.waitUntil(lambda: page.backups.count() >= 0 and gui.tasks.in_flight == 0, timeout=10_000)
    before = page.backups.count()
    page.backup_now.click()
    qtbot.waitUntil(lambda: page.backups.count() == before + 1, timeout=10_000)
    assert "made by you" in page.backups.item(0).text()
    page.backups.setCurrentRow(0)
    page.restore_button.click()
    assert answer_dialogs == ["Restore this backup?"]
    assert gui.services is not None
    marker = gui.services.paths.pending_restore
    assert marker.read_text(encoding="utf-8").endswith("-manual")


def test_the_file_menu_import_and_open_data_folder_reach_their_dialogs(
    qtbot: QtBot, gui: GuiApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gui.services is not None
    # Both load their Qt classes when first used, not at start-up.
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    good = tmp_path / "from-dialog.toml"
    good.write_text('name = "From the dialog"\n[[segments]]\nkind = "walk"\nduration = "05:00"\n')
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(good), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *_args: None)
    gui.window.import_session_requested.emit()
    services = gui.services
    qtbot.waitUntil(lambda: [p.name for p in services.catalog.own()] == ["From the dialog"], timeout=5_000)

    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    gui.pages.settings.open_data_folder_requested.emit()
    assert opened == [str(gui.services.paths.data_dir)]

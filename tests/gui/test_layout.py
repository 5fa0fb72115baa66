"""The layout check over every page and dialog, in light and dark, at 800x480, 1280x800 and 1920x1080, with the
demo data and with an empty journal. Screenshots of each go to the test's artifact folder: pytest's temporary
folder, or ``$RUNCOMPANION_LAYOUT_SHOTS`` when set (CI uploads it).

A new page or dialog is covered by adding one line to ``SCREENS``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.core.clock import FakeClock
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.shell.about_dialog import AboutDialog
from runcompanion.ui.shell.gui_app import GuiApp
from runcompanion.ui.shell.welcome_dialog import WelcomeDialog
from tests.gui import layout_check

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
SIZES = [(800, 480), (1280, 800), (1920, 1080)]
THEMES = [Theme.LIGHT, Theme.DARK]


def _section(name: str) -> Callable[[QtBot, GuiApp], QWidget]:
    def open_section(qtbot: QtBot, gui: GuiApp) -> QWidget:
        gui.window.show_section(name)
        qtbot.waitUntil(lambda: gui.tasks.in_flight == 0, timeout=10_000)
        return gui.window

    return open_section


def _dialog(make: Callable[[GuiApp], QDialog]) -> Callable[[QtBot, GuiApp], QWidget]:
    def open_dialog(qtbot: QtBot, gui: GuiApp) -> QWidget:
        dialog = make(gui)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return open_dialog


def _log_a_run(qtbot: QtBot, gui: GuiApp) -> QWidget:
    gui.window.show_section("Journal")
    gui.pages.journal.log_button.click()
    qtbot.waitUntil(lambda: gui.journal is not None and gui.journal.dialog is not None, timeout=10_000)
    assert gui.journal is not None
    assert gui.journal.dialog is not None
    qtbot.waitExposed(gui.journal.dialog)
    return gui.journal.dialog


def _journal_charts(qtbot: QtBot, gui: GuiApp) -> QWidget:
    gui.window.show_section("Journal")
    gui.pages.journal.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: gui.tasks.in_flight == 0 and gui.pages.journal.charts_holder.count() > 1, timeout=10_000)
    return gui.window


def _back_to_entries(gui: GuiApp) -> None:
    gui.pages.journal.tabs.setCurrentIndex(0)


# Every page and dialog, registered once: (name, how to open it in a running app; returns its window).
SCREENS: list[tuple[str, Callable[[QtBot, GuiApp], QWidget]]] = [
    ("today", _section("Today")),
    ("plan", _section("Plan")),
    ("sessions", _section("Sessions")),
    ("journal", _section("Journal")),
    ("journal charts", _journal_charts),
    ("settings", _section("Settings")),
    ("welcome", _dialog(lambda gui: WelcomeDialog(gui.window))),
    ("about", _dialog(lambda gui: AboutDialog(gui.window))),
    ("log a run", _log_a_run),
]


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo") / "home"
    sys.path.insert(0, str(SCRIPTS))
    try:
        import demo_data

        demo_data.main(home)
    finally:
        sys.path.remove(str(SCRIPTS))
    return home


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("RUNCOMPANION_LAYOUT_SHOTS", tmp_path / "layout-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _app(qtbot: QtBot, home: Path, theme: Theme) -> Iterator[GuiApp]:
    services = build_services(resolve_paths(home, env={}))
    gui = GuiApp(services.paths, ["runcompanion"], clock=FakeClock())
    gui.attach(services)
    qtbot.addWidget(gui.window, before_close_func=lambda w: setattr(w, "close_guard", lambda: True))
    assert gui.shell is not None
    gui.shell.update_settings(gui.shell.settings.with_changes(theme=theme, welcomed=True))
    try:
        yield gui
    finally:
        gui.window.close_guard = lambda: True
        gui.window.close()
        gui.shutdown()
        services.close()
        apply_theme(gui.qapp, Theme.LIGHT)


@pytest.fixture(params=["demo", "empty"])
def data(request: pytest.FixtureRequest, tmp_path: Path, demo_home: Path) -> tuple[Path, str]:
    """A data folder with six weeks of demo runs, or none at all (an empty journal)."""
    home = tmp_path / "home"
    if request.param == "demo":
        shutil.copytree(demo_home, home)
    return home, str(request.param)


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.value)
def test_every_page_and_dialog_is_laid_out_right(
    qtbot: QtBot, data: tuple[Path, str], shots: Path, theme: Theme
) -> None:
    home, kind = data
    found: list[str] = []
    for gui in _app(qtbot, home, theme):
        window = gui.window
        for width, height in SIZES:
            window.resize(width, height)
            window.show()
            qtbot.waitExposed(window)
            qtbot.waitUntil(lambda size=(width, height), win=window: win.size().toTuple() == size)  # type: ignore[misc]
            for name, open_screen in SCREENS:
                top = open_screen(qtbot, gui)
                if top is not gui.window:
                    top.resize(min(top.width(), width), min(top.height(), height - 40))
                for _ in range(3):  # relayouts may ask for more relayouts (a label that grew a line)
                    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
                    QApplication.processEvents()
                top.grab().save(str(shots / f"{name}-{theme.value}-{kind}-{width}x{height}.png"))
                found += [f"{name} {width}x{height}: {p}" for p in layout_check.problems(top)]
                if top is not gui.window:
                    top.close()
                _back_to_entries(gui)
    assert not found, f"{len(found)} layout problems ({theme.value}, {kind}):\n  " + "\n  ".join(found)


# --- the check itself fails where it should ------------------------------------------------------------------


def test_the_check_finds_an_elided_label(qtbot: QtBot) -> None:
    window = QWidget()
    row = QHBoxLayout(window)
    label = QLabel("A label far too long for the little room it is given here")
    label.setMaximumWidth(60)
    row.addWidget(label)
    qtbot.addWidget(window)
    window.resize(200, 40)
    window.show()
    qtbot.waitExposed(window)
    assert any("needs" in p and "A label far too long" in p for p in layout_check.clipped(window))


def test_the_check_finds_an_overlapping_pair(qtbot: QtBot) -> None:
    window = QWidget()
    row = QHBoxLayout(window)
    first, second = QPushButton("One"), QPushButton("Two")
    row.addWidget(first)
    row.addWidget(second)
    qtbot.addWidget(window)
    window.resize(300, 60)
    window.show()
    qtbot.waitExposed(window)
    assert layout_check.overlaps(window) == []
    second.move(first.pos())  # as a layout bug would place it
    assert any("overlaps" in p for p in layout_check.overlaps(window))


def test_the_check_finds_an_unnamed_control_and_one_tab_cannot_reach(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit

    window = QWidget()
    row = QHBoxLayout(window)
    edit = QLineEdit()
    button = QPushButton("Go")
    row.addWidget(edit)
    row.addWidget(button)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert any("no accessible name" in p for p in layout_check.unnamed(window))
    edit.setAccessibleName("Where")
    assert layout_check.unnamed(window) == []
    assert layout_check.unreachable(window) == []

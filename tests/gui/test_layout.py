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
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.core.clock import FakeClock
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.run.controller import RunController
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


def _journal_entry(qtbot: QtBot, gui: GuiApp) -> QWidget:
    """The entries with the newest selected: with the demo data a treadmill run, so its chart of pace and heart
    rate (ui/journal/run_chart.py) is laid out with the rest of the entry."""
    window = _section("Journal")(qtbot, gui)
    page = gui.pages.journal
    if page.model.rows:
        page.table.selectRow(0)
        qtbot.waitUntil(lambda: gui.tasks.in_flight == 0 and page.run_chart.view is not None, timeout=10_000)
        assert page.run_chart.isVisible()
    return window


def _entry_pane(gui: GuiApp) -> QScrollArea:
    return next(a for a in gui.pages.journal.findChildren(QScrollArea) if a.accessibleName() == "Entry")


def _journal_entry_chart(qtbot: QtBot, gui: GuiApp) -> QWidget:
    """The same entry scrolled down to its chart: at 800x480 the entry pane shows only its first lines."""
    window = _journal_entry(qtbot, gui)
    page = gui.pages.journal
    if page.model.rows:
        pane, chart = _entry_pane(gui), page.run_chart

        def chart_in_view() -> bool:
            pane.ensureWidgetVisible(chart, 0, 0)
            shown = QRect(chart.mapTo(pane.viewport(), QPoint(0, 0)), chart.size()) & pane.viewport().rect()
            return shown.height() >= min(chart.height(), pane.viewport().height()) - 1

        qtbot.waitUntil(chart_in_view, timeout=5_000)
    return window


def _journal_charts(qtbot: QtBot, gui: GuiApp) -> QWidget:
    gui.window.show_section("Journal")
    gui.pages.journal.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: gui.tasks.in_flight == 0 and gui.pages.journal.charts_holder.count() > 1, timeout=10_000)
    return gui.window


def _program_preview(qtbot: QtBot, gui: GuiApp) -> QWidget:
    gui.window.show_section("Sessions")
    gui.pages.sessions.programs_button.click()
    assert gui.sessions is not None
    assert gui.sessions.program_preview is not None
    qtbot.waitExposed(gui.sessions.program_preview)
    return gui.sessions.program_preview


def _running(qtbot: QtBot, gui: GuiApp) -> RunController:
    """A real run of a short session, a few seconds past its countdown: a segment, its targets, the check-in."""
    assert gui.shell is not None
    run = gui.start_run(RUN_SESSION_ID, seed=1)
    assert run is not None
    with qtbot.waitSignal(run.countdown_started, timeout=5_000):  # a turn after start_run
        pass
    qtbot.waitUntil(lambda: run.screen.preparing.isHidden() and gui.tasks.in_flight == 0, timeout=60_000)
    assert isinstance(gui.clock, FakeClock)
    gui.clock.advance(gui.shell.settings.countdown_s + 5)
    qtbot.waitUntil(lambda: run.screen.now_label.text() == "Brisk walk to warm up", timeout=5_000)
    return run


def _run_screen(qtbot: QtBot, gui: GuiApp) -> QWidget:
    _running(qtbot, gui)
    return gui.window


def _reflection_after_a_run(qtbot: QtBot, gui: GuiApp) -> QWidget:
    """The run goes on to its end: the summary, and over it the reflection the app offers."""
    run = gui.run if gui.run is not None and gui.run.active else _running(qtbot, gui)
    assert isinstance(gui.clock, FakeClock)
    gui.clock.advance(RUN_SESSION_S)
    qtbot.waitUntil(lambda: run.screen.showing_summary, timeout=10_000)
    qtbot.waitUntil(lambda: gui.journal is not None and gui.journal.dialog is not None, timeout=10_000)
    assert gui.journal is not None
    assert gui.journal.dialog is not None
    qtbot.waitExposed(gui.journal.dialog)
    return gui.journal.dialog


def _leave_the_run(qtbot: QtBot, gui: GuiApp) -> None:
    """Back to Today, and the run deleted again: the demo and the empty journal stay what they were."""
    run = gui.run
    assert run is not None
    record = run.record
    assert record is not None
    qtbot.waitUntil(lambda: gui.journal is not None and gui.journal.dialog is None, timeout=5_000)
    run.screen.done_button.click()
    qtbot.waitUntil(lambda: gui.window.screens.currentIndex() == 0 and gui.tasks.in_flight == 0, timeout=10_000)
    assert gui.services is not None
    gui.services.journal.delete(record.id)
    assert gui.shell is not None
    gui.shell.refresh()
    if gui.journal is not None:
        gui.journal.refresh()
    qtbot.waitUntil(lambda: gui.tasks.in_flight == 0, timeout=10_000)


def _back_to_entries(gui: GuiApp) -> None:
    gui.pages.journal.tabs.setCurrentIndex(0)


# Every page and dialog, registered once: (name, how to open it in a running app; returns its window).
SCREENS: list[tuple[str, Callable[[QtBot, GuiApp], QWidget]]] = [
    ("today", _section("Today")),
    ("plan", _section("Plan")),
    ("sessions", _section("Sessions")),
    ("journal", _journal_entry),
    ("journal entry chart", _journal_entry_chart),
    ("journal charts", _journal_charts),
    ("settings", _section("Settings")),
    ("welcome", _dialog(lambda gui: WelcomeDialog(gui.window))),
    ("about", _dialog(lambda gui: AboutDialog(gui.window))),
    ("log a run", _log_a_run),
    ("program preview", _program_preview),
    ("run screen", _run_screen),
    ("reflection after a run", _reflection_after_a_run),
]
# What a screen leaves behind that the next one must not meet (after its window, if a dialog, is closed).
AFTER: dict[str, Callable[[QtBot, GuiApp], None]] = {"reflection after a run": _leave_the_run}
# Screens that open scrolled on purpose: the others go back to their top for the screenshot.
SCROLLED = {"journal entry chart"}
RUN_SESSION_ID = "layout-check-run"
RUN_SESSION_S = 60
RUN_SESSION = """\
name = "Layout check run"
description = "Two short segments, so the layout check can see a run and the reflection after it."

[[segments]]
kind = "warmup"
duration = "0:30"
label = "Brisk walk to warm up"
speed_kmh = 5.5
incline_pct = 1.0

[[segments]]
kind = "run"
duration = "0:30"
label = "Easy run"
speed_kmh = 8.0
"""


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


@pytest.fixture
def demo_app(qtbot: QtBot, tmp_path: Path, demo_home: Path) -> Iterator[GuiApp]:
    """One app for the whole check, on a copy of the demo data. One app, not one per case: a second GuiApp in
    the same process now and then crashed in a table's setItem (SIGSEGV) as the first one's leftovers went."""
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    services = build_services(resolve_paths(home, env={}))
    session = tmp_path / "layout-run.toml"
    session.write_text(RUN_SESSION, encoding="utf-8")
    assert services.catalog.import_file(session).id == RUN_SESSION_ID
    gui = GuiApp(services.paths, ["runcompanion"], clock=FakeClock())
    gui.attach(services)
    qtbot.addWidget(gui.window, before_close_func=lambda w: setattr(w, "close_guard", lambda: True))
    try:
        yield gui
    finally:
        qtbot.waitUntil(lambda: gui.tasks.in_flight == 0, timeout=30_000)
        gui.window.close_guard = lambda: True
        gui.window.close()
        gui.shutdown()
        services.close()
        apply_theme(gui.qapp, Theme.LIGHT)


def _empty_the_journal(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.services is not None
    journal = gui.services.journal
    for entry in journal.entries(limit=1000).entries:
        journal.delete(entry.run.id)
    assert journal.entries().total == 0
    assert gui.shell is not None
    gui.shell.refresh()
    if gui.journal is not None:
        gui.journal.refresh()
    qtbot.waitUntil(lambda: gui.tasks.in_flight == 0, timeout=10_000)


def _check(qtbot: QtBot, gui: GuiApp, shots: Path, case: str) -> list[str]:
    found: list[str] = []
    window = gui.window
    for width, height in SIZES:
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda size=(width, height): window.size().toTuple() == size)  # type: ignore[misc]
        for name, open_screen in SCREENS:
            top = open_screen(qtbot, gui)
            if top is not window:
                top.resize(min(top.width(), width), min(top.height(), height - 40))
            for _ in range(3):  # relayouts may ask for more relayouts (a label that grew a line)
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
                QApplication.processEvents()
            if name not in SCROLLED:
                layout_check.scroll_to_top(top)
            top.grab().save(str(shots / f"{name}-{case}-{width}x{height}.png"))
            found += [f"{name} {case} {width}x{height}: {p}" for p in layout_check.problems(top)]
            if top is not window:
                top.close()
            if name in AFTER:
                AFTER[name](qtbot, gui)
            _back_to_entries(gui)
    return found


def test_every_page_and_dialog_is_laid_out_right(qtbot: QtBot, demo_app: GuiApp, shots: Path) -> None:
    gui = demo_app
    assert gui.shell is not None
    found: list[str] = []
    for data in ("demo", "empty"):
        if data == "empty":
            _empty_the_journal(qtbot, gui)
        for theme in THEMES:
            gui.shell.update_settings(gui.shell.settings.with_changes(theme=theme, welcomed=True))
            qtbot.waitUntil(lambda t=theme: gui.shell is not None and gui.shell.settings.theme is t)  # type: ignore[misc]
            found += _check(qtbot, gui, shots, f"{theme.value}-{data}")
    assert not found, f"{len(found)} layout problems:\n  " + "\n  ".join(found)


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


def test_the_check_finds_a_cut_choice_in_a_combo_box(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QComboBox

    window = QWidget()
    row = QHBoxLayout(window)
    combo = QComboBox()
    combo.addItem("Any session")
    combo.setAccessibleName("Session")
    row.addWidget(combo)
    row.addStretch(1)
    qtbot.addWidget(window)
    window.resize(300, 40)
    window.show()
    qtbot.waitExposed(window)
    assert layout_check.clipped(window) == []
    combo.setFixedWidth(70)  # as the journal's filter row squeezed it at 800 px
    qtbot.waitUntil(lambda: combo.width() == 70)
    assert any("'Any session'" in p for p in layout_check.clipped(window))


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


def test_the_check_finds_a_nameless_container_that_tab_stops_on(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QScrollArea

    window = QWidget()
    row = QHBoxLayout(window)
    scroll = QScrollArea()  # takes Tab focus to scroll by keys; a screen reader said "filler"
    row.addWidget(scroll)
    row.addWidget(QPushButton("Go"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert any("QScrollArea" in p and "no accessible name" in p for p in layout_check.unnamed(window))
    scroll.setAccessibleName("Notes")
    assert layout_check.unnamed(window) == []


def test_a_page_scrolled_by_the_tab_walk_is_back_at_its_top_for_the_next_screenshot(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QScrollArea, QVBoxLayout

    window = QWidget()
    row = QHBoxLayout(window)
    scroll = QScrollArea()
    scroll.setAccessibleName("Page")
    scroll.setWidgetResizable(True)
    content = QWidget()
    column = QVBoxLayout(content)
    for i in range(30):
        column.addWidget(QPushButton(f"Choice {i}"))
    scroll.setWidget(content)
    row.addWidget(scroll)
    qtbot.addWidget(window)
    window.resize(300, 200)
    window.show()
    qtbot.waitExposed(window)
    assert layout_check.problems(window) == []
    buttons = content.findChildren(QPushButton)
    # A Tab walk that ends low on the page (as the check's does on Settings and Plan) leaves the page scrolled.
    buttons[-2].setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(buttons[-2], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is buttons[-1]
    bar = scroll.verticalScrollBar()
    assert bar.value() > bar.minimum()
    layout_check.scroll_to_top(window)
    assert bar.value() == bar.minimum()
    assert not buttons[0].visibleRegion().isEmpty()  # the first choice shows


def test_the_check_finds_an_elided_cell(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QListWidget, QTableWidget, QTableWidgetItem

    window = QWidget()
    row = QHBoxLayout(window)
    table = QTableWidget(2, 2)
    table.setAccessibleName("Runs")
    table.setWordWrap(False)
    table.setItem(0, 0, QTableWidgetItem("A session name far too long for its column"))
    table.setItem(0, 1, QTableWidgetItem("7:39"))
    table.setColumnWidth(0, 70)
    listing = QListWidget()
    listing.setAccessibleName("Sessions")
    listing.addItem("First walk-run\n20 min")
    row.addWidget(table)
    row.addWidget(listing)
    qtbot.addWidget(window)
    window.resize(800, 200)
    window.show()
    qtbot.waitExposed(window)
    found = layout_check.clipped_cells(window)
    assert len(found) == 1, found  # the two-line list item fits
    assert "far too long" in found[0]
    table.resizeColumnsToContents()
    assert layout_check.clipped_cells(window) == []
    table.setWordWrap(True)  # wrapped, the text must fit in the row's height instead
    table.setColumnWidth(0, 70)
    assert any("far too long" in p for p in layout_check.clipped_cells(window))
    listing.setFixedWidth(60)
    qtbot.waitUntil(lambda: listing.viewport().width() < 60)
    assert any("First walk-run" in p for p in layout_check.clipped_cells(window))

"""The Journal's mood strip on the demo data (a real SQLite journal of six weeks): one colour a day from the
palette, each day named in words, reached by Tab, walked with the arrow keys, Enter showing the day's entry;
and a kind sentence on an empty journal."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.core.clock import FakeClock
from runcompanion.core.mood import FEELING
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.services.journal_service import ChartPoint, MoodDays
from runcompanion.ui.common import palette
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.journal.mood_strip import EMPTY_TEXT, DayCell
from runcompanion.ui.journal.view_model import mood_days
from runcompanion.ui.shell.gui_app import GuiApp

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture(scope="module")
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
def demo(qtbot: QtBot, tmp_path: Path, demo_home: Path) -> Iterator[GuiApp]:
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    services = build_services(resolve_paths(home, env={}))
    gui = GuiApp(services.paths, ["runcompanion"], clock=FakeClock())
    gui.attach(services)
    # Closed here, not by qtbot: its close comes first and deleted the window under a journal read in flight.
    gui.window.resize(1280, 800)
    gui.window.show()
    qtbot.waitExposed(gui.window)
    gui.window.show_section("Journal")
    qtbot.waitUntil(lambda: len(gui.pages.journal.mood.cells) == 28, timeout=10_000)
    yield gui
    qtbot.waitUntil(lambda: gui.tasks.in_flight == 0, timeout=10_000)
    gui.window.close_guard = lambda: True
    gui.window.close()
    gui.shutdown()
    services.close()
    apply_theme(gui.qapp, Theme.LIGHT)


def _recent_points(gui: GuiApp) -> list[ChartPoint]:
    assert gui.services is not None
    first = dt.date.today() - dt.timedelta(days=27)
    return [p for p in gui.services.journal.chart_points() if p.local_date >= first]


def _centre(cell: DayCell) -> QColor:
    image = cell.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_each_day_has_its_feeling_in_the_palettes_colour_and_in_words(qtbot: QtBot, demo: GuiApp, theme: Theme) -> None:
    assert demo.shell is not None
    demo.shell.update_settings(demo.shell.settings.with_changes(theme=theme, welcomed=True))
    strip = demo.pages.journal.mood
    qtbot.waitUntil(lambda: palette.is_dark(strip.cells[0].palette()) == (theme is Theme.DARK))
    points = _recent_points(demo)
    assert len(points) >= 5  # the demo data runs about three times a week
    by_day = {p.local_date: p for p in points}  # the day's last run (oldest first)
    cells = {cell.day.day: cell for cell in strip.cells}
    assert sorted(cells) == [dt.date.today() - dt.timedelta(days=27 - i) for i in range(28)]
    assert [d for d, c in cells.items() if c.day.run_ids] == sorted(by_day)
    for day, cell in cells.items():
        name = cell.accessibleName()
        assert name == cell.toolTip()
        assert f"{day:%a} {day.day} {day:%b}" in name
        point = by_day.get(day)
        if point is None:
            assert name.endswith("no run")
            assert cell.day.feeling is None
            continue
        assert point.feeling_after is not None  # the demo's reflections all say how the run left you
        assert cell.day.feeling == point.feeling_after
        assert f"felt {FEELING.label(point.feeling_after).lower()}" in name
        expected = palette.mood_colour(point.feeling_after, dark=theme is Theme.DARK)
        assert _centre(cell) == expected, day
    assert cells[dt.date.today()].day.today


def test_tab_reaches_the_strip_arrows_walk_the_days_and_enter_shows_the_entry(qtbot: QtBot, demo: GuiApp) -> None:
    page = demo.pages.journal
    strip = page.mood
    demo.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo.window)
    page.lift.setFocus(Qt.FocusReason.TabFocusReason)  # the last filter box, just before the strip
    qtbot.keyClick(page.lift, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert isinstance(focused, DayCell)
    with_runs = [c for c in strip.cells if c.day.run_ids]
    assert focused is with_runs[-1]  # the strip starts on the latest day with a run

    qtbot.keyClick(focused, Qt.Key.Key_Home)
    assert QApplication.focusWidget() is strip.cells[0]
    qtbot.keyClick(strip.cells[0], Qt.Key.Key_Left)  # the first day stays the first
    assert QApplication.focusWidget() is strip.cells[0]
    target = with_runs[1]
    for _ in range(strip.cells.index(target)):
        current = QApplication.focusWidget()
        assert current is not None
        qtbot.keyClick(current, Qt.Key.Key_Right)
    assert QApplication.focusWidget() is target
    assert strip.current_day() == target.day
    # One Tab stop, as a radio group: only the current day takes Tab focus.
    assert [c for c in strip.cells if c.focusPolicy() & Qt.FocusPolicy.TabFocus] == [target]

    qtbot.keyClick(target, Qt.Key.Key_Return)
    run_id = target.day.run_ids[0]
    qtbot.waitUntil(lambda: page.current_run_id() == run_id)
    title = next(r.session for r in page.model.rows if r.run_id == run_id)
    qtbot.waitUntil(lambda: page.detail_title.text() == title and page.edit_button.isEnabled(), timeout=5_000)
    assert QApplication.focusWidget() is target  # the keyboard stays on the strip for the next day

    qtbot.keyClick(target, Qt.Key.Key_End)
    qtbot.keyClick(strip.cells[-1], Qt.Key.Key_Tab)
    assert not isinstance(QApplication.focusWidget(), DayCell)  # Tab leaves the strip in one press


def test_a_click_on_a_day_selects_its_entry(qtbot: QtBot, demo: GuiApp) -> None:
    page = demo.pages.journal
    cell = next(c for c in page.mood.cells if c.day.run_ids)
    page.table.clearSelection()
    qtbot.mouseClick(cell, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_run_id() == cell.day.run_ids[0])
    qtbot.waitUntil(page.edit_button.isEnabled, timeout=5_000)  # its detail is shown


def test_the_strip_follows_the_filter(qtbot: QtBot, demo: GuiApp) -> None:
    page = demo.pages.journal
    before = sum(1 for c in page.mood.cells if c.day.run_ids)
    session = page.session.findText("Mindful 30")
    assert session > 0
    page.session.setCurrentIndex(session)
    qtbot.waitUntil(lambda: all(r.session == "Mindful 30" for r in page.model.rows), timeout=5_000)
    qtbot.waitUntil(lambda: all("Mindful 30" in c.day.text for c in page.mood.cells if c.day.run_ids))
    after = sum(1 for c in page.mood.cells if c.day.run_ids)
    assert 0 < after < before


def test_an_empty_journal_gets_a_kind_sentence_not_an_empty_strip(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.show_section("Journal")
    strip = gui.pages.journal.mood
    qtbot.waitUntil(lambda: gui.tasks.in_flight == 0, timeout=10_000)
    assert strip.cells == []
    assert strip.empty.isVisible()
    assert strip.empty.text() == EMPTY_TEXT
    assert not strip.legend.isVisible()
    assert not strip.caption.isVisible()


def _point(run_id: int, day: dt.date, before: int | None, after: int | None) -> ChartPoint:
    return ChartPoint(run_id, day, 7, "easy-30", (), (), 1800.0, before, after, None)


def test_a_days_colour_is_its_last_feeling_and_a_busy_day_names_a_few_runs() -> None:
    first, last = dt.date(2026, 11, 9), dt.date(2026, 12, 6)
    busy = dt.date(2026, 12, 1)
    points = [
        _point(1, dt.date(2026, 11, 10), -2, None),  # only the feeling before: that is the day's colour
        _point(2, dt.date(2026, 11, 12), None, None),  # a run without any feeling
        *[_point(10 + i, busy, 0, i - 2) for i in range(5)],  # five runs: the last one's feeling counts
    ]
    days = mood_days(MoodDays(first, last, points), {"easy-30": "Easy 30"}, today=last)
    assert len(days) == 28
    by_day = {d.day: d for d in days}
    assert by_day[dt.date(2026, 11, 10)].feeling == -2
    assert "felt pretty bad (-2) before Easy 30" in by_day[dt.date(2026, 11, 10)].text
    assert by_day[dt.date(2026, 11, 12)].feeling is None
    assert by_day[dt.date(2026, 11, 12)].text == "Thu 12 Nov: Easy 30, no feeling noted"
    assert by_day[dt.date(2026, 11, 11)].text == "Wed 11 Nov: no run"
    crowded = by_day[busy]
    assert crowded.feeling == 2
    assert crowded.run_ids == (14, 13, 12, 11, 10)  # newest first: Enter shows the last run of the day
    assert crowded.text.startswith("Tue 1 Dec, 5 runs: felt pretty good (+2) after Easy 30;")
    assert crowded.text.endswith("; and 2 more")
    assert days[-1].today
    assert days[-1].text.startswith("Today, Sun 6 Dec")


def test_the_entry_chosen_in_the_list_is_outlined_on_the_strip_and_tab_lands_on_its_day(
    qtbot: QtBot, demo: GuiApp
) -> None:
    page = demo.pages.journal
    strip = page.mood
    older = [c for c in strip.cells if c.day.run_ids][-3]  # not the latest day with a run, where Tab lands anyway
    run_id = older.day.run_ids[0]
    row = next(i for i, r in enumerate(page.model.rows) if r.run_id == run_id)
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: page.current_run_id() == run_id)
    marked = [c for c in strip.cells if c.selected]
    assert marked == [older]
    before = marked[0].grab().toImage()
    marked[0].selected = False
    assert marked[0].grab().toImage() != before  # the outline is really painted
    marked[0].selected = True

    demo.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo.window)
    page.lift.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(page.lift, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is marked[0]  # the keyboard starts where the list is

    page.table.clearSelection()
    page.table.setCurrentIndex(page.model.index(-1, 0))
    qtbot.waitUntil(lambda: not any(c.selected for c in strip.cells))

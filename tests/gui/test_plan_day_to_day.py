"""The Plan page day to day: Skip can be undone and the skipped run stays on the calendar, done runs are marked,
clicking a day selects its run, the empty Move box says what to do, and 800x480 has no sideways scroll."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from runcompanion.storage.run_repository import RunRepository
from runcompanion.ui.common.palette import calendar_marks
from runcompanion.ui.shell.gui_app import GuiApp

DONE = calendar_marks(dark=False).done.background

START = dt.date.today() + dt.timedelta(days=1)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _enrolled(qtbot: QtBot, gui: GuiApp) -> list[int]:
    assert gui.services is not None
    enrolled = gui.services.plan.enrol("c25k", START, ("mon", "wed", "sat"), dt.time(18, 0))
    gui.window.show_section("Plan")
    qtbot.waitUntil(lambda: gui.pages.plan.upcoming.count() == 27, timeout=10_000)
    return [r.id for r in enrolled.runs]


def test_skip_can_be_undone_and_the_skipped_day_stays_marked(qtbot: QtBot, gui: GuiApp) -> None:
    _enrolled(qtbot, gui)
    page = gui.pages.plan
    page.upcoming.setCurrentRow(0)
    first = page.selected_run()
    assert first is not None
    page.skip_button.click()
    qtbot.waitUntil(lambda: page.upcoming.count() == 26 and page.undo_bar.isVisible(), timeout=10_000)
    assert page.undo_label.text() == f"Skipped {first.title}."
    qtbot.waitUntil(lambda: page.calendar.dateTextFormat(_qdate(first.due.date())).fontStrikeOut(), timeout=10_000)
    page.undo_button.click()
    qtbot.waitUntil(lambda: page.upcoming.count() == 27, timeout=10_000)
    assert not page.undo_bar.isVisible()
    assert gui.services is not None
    assert gui.services.plan.scheduled(status="skipped") == []


def test_done_runs_are_marked_and_a_click_on_a_day_selects_its_run(qtbot: QtBot, gui: GuiApp) -> None:
    ids = _enrolled(qtbot, gui)
    assert gui.services is not None
    first = gui.services.plan.get(ids[0])
    runs = RunRepository(gui.services.database)
    began = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    record = runs.start(first.session_id, first.title, (), first.duration_s, 1, first.id, "app", began)
    runs.finish(record.id, "finished", first.duration_s, 5, 5, [], began + dt.timedelta(minutes=30))
    gui.services.plan.mark_done(first.id, record.id)
    page = gui.pages.plan
    assert gui.plan is not None
    gui.plan.refresh()
    done_day = _qdate(first.due_at.date())
    qtbot.waitUntil(lambda: page.calendar.dateTextFormat(done_day).background().color() == QColor(DONE), timeout=10_000)
    third = gui.services.plan.get(ids[2])
    page.upcoming.setCurrentRow(-1)
    page.calendar.clicked.emit(_qdate(third.due_at.date()))
    selected = page.selected_run()
    assert selected is not None
    assert selected.scheduled_id == third.id


def test_the_move_box_says_choose_a_run_when_none_is_chosen(qtbot: QtBot, gui: GuiApp) -> None:
    _enrolled(qtbot, gui)
    page = gui.pages.plan
    page.upcoming.setCurrentRow(-1)
    assert page.move_to.text() == "choose a run"
    page.upcoming.setCurrentRow(0)
    assert page.move_to.text() != "choose a run"


def test_no_sideways_scroll_at_800x480_and_move_is_on_the_page(qtbot: QtBot, gui: GuiApp) -> None:
    _enrolled(qtbot, gui)
    gui.window.resize(800, 480)
    qtbot.waitUntil(lambda: gui.window.size().toTuple() == (800, 480))
    page = gui.pages.plan
    scroll = page.findChild(QScrollArea)
    assert scroll is not None
    content = scroll.widget()
    assert content is not None
    qtbot.waitUntil(lambda: content.width() <= scroll.viewport().width(), timeout=5_000)
    assert scroll.horizontalScrollBar().maximum() == 0
    right = page.move_button.mapTo(scroll.viewport(), QPoint(page.move_button.width(), 0)).x()
    assert right <= scroll.viewport().width()

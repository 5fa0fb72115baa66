"""Enrolling in a program through the Plan screen, and what the calendar and Today show afterwards."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from runcompanion.ui.common.palette import calendar_marks
from runcompanion.ui.shell.gui_app import GuiApp


def test_enrolling_fills_the_calendar_and_today(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.show_section("Plan")
    page = gui.pages.plan
    qtbot.waitUntil(lambda: page.program.count() == 4, timeout=10_000)
    assert page.upcoming.count() == 0
    page.program.setCurrentIndex(page.program.findData("c25k"))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    page.start_date.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    for day, box in page.days.items():
        box.setChecked(day in ("mon", "wed", "sat"))
    page.enrol_button.click()

    qtbot.waitUntil(lambda: page.upcoming.count() > 0, timeout=10_000)
    first = page.selected_run() or page._runs[0]
    assert first.title == "Couch to 5K · Week 1 · Run 1"
    assert first.due.date() >= tomorrow
    assert first.due.strftime("%a").lower() in ("mon", "wed", "sat")
    marked = page.calendar.dateTextFormat(QDate(first.due.year, first.due.month, first.due.day))
    assert marked.background().color() == QColor(calendar_marks(dark=False).planned.background)
    progress_item = page.progress_box.itemAt(0)
    assert progress_item is not None
    progress = progress_item.widget()
    assert progress is not None

    gui.window.show_section("Today")
    qtbot.waitUntil(lambda: gui.pages.today.next_title.text() == "Couch to 5K · Week 1 · Run 1", timeout=10_000)
    assert "min" in gui.pages.today.next_detail.text()


def test_skipping_a_planned_run_takes_it_off_the_list(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.services is not None
    gui.services.plan.schedule_once(
        "mindful-30", dt.datetime.now().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    )
    gui.window.show_section("Plan")
    page = gui.pages.plan
    qtbot.waitUntil(lambda: page.upcoming.count() == 1, timeout=10_000)
    page.upcoming.setCurrentRow(0)
    page.skip_button.click()
    qtbot.waitUntil(lambda: page.upcoming.count() == 0, timeout=10_000)
    assert gui.services.plan.scheduled(status="skipped")[0].session_id == "mindful-30"


def test_repeating_a_week_adds_its_runs_again(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.services is not None
    start = dt.date.today() + dt.timedelta(days=1)
    gui.services.plan.enrol("c25k", start, ("mon", "wed", "sat"), dt.time(18, 0))
    gui.window.show_section("Plan")
    page = gui.pages.plan
    qtbot.waitUntil(lambda: page.progress_box.count() == 1 and page.upcoming.count() > 0, timeout=10_000)
    total_before = gui.services.plan.all_progress()[0].total
    from PySide6.QtWidgets import QPushButton

    repeat = next(b for b in page.findChildren(QPushButton) if b.text().startswith("Repeat week"))
    repeat.click()
    qtbot.waitUntil(
        lambda: gui.services is not None and gui.services.plan.all_progress()[0].total == total_before + 3,
        timeout=10_000,
    )

"""Enrolling in a second program through the Plan screen: the app asks whether to replace the first, and never
books two runs on one day (before, both programs' runs landed on the same days without a word)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from runcompanion.ui.shell.gui_app import GuiApp

START = dt.date.today() + dt.timedelta(days=1)


def _ask_for(qtbot: QtBot, gui: GuiApp, program: str, days: tuple[str, ...]) -> QMessageBox:
    page = gui.pages.plan
    page.program.setCurrentIndex(page.program.findData(program))
    page.start_date.setDate(QDate(START.year, START.month, START.day))
    for day, box in page.days.items():
        box.setChecked(day in days)
    page.enrol_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=10_000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QMessageBox)
    assert dialog.objectName() == "replaceProgram"
    assert "You are following Couch to 5K" in dialog.text()
    return dialog


def _button(box: QMessageBox, text: str) -> QPushButton:
    found = next(b for b in box.findChildren(QPushButton) if b.text().startswith(text))
    assert isinstance(found, QPushButton)
    return found


def _planned_days(gui: GuiApp) -> list[dt.date]:
    assert gui.services is not None
    return [r.due_at.date() for r in gui.services.plan.scheduled(status="planned")]


def _enrolled_in_c25k(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.services is not None
    gui.services.plan.enrol("c25k", START, ("mon", "wed", "sat"), dt.time(18, 0))
    gui.window.show_section("Plan")
    qtbot.waitUntil(lambda: gui.pages.plan.program.count() == 4 and gui.pages.plan.upcoming.count() > 0, timeout=10_000)


def test_replacing_the_program_swaps_its_runs(qtbot: QtBot, gui: GuiApp) -> None:
    _enrolled_in_c25k(qtbot, gui)
    box = _ask_for(qtbot, gui, "mindful-running", ("mon", "wed", "sat"))
    assert box.defaultButton() is _button(box, "Replace with Mindful running")
    _button(box, "Replace with").click()
    assert gui.services is not None
    qtbot.waitUntil(
        lambda: (
            gui.services is not None
            and [(e.program_id, e.status) for e in gui.services.plan.enrolments()]
            == [("c25k", "cancelled"), ("mindful-running", "active")]
        ),
        timeout=10_000,
    )
    days = _planned_days(gui)
    assert len(days) == len(set(days)) == 12


def test_keeping_both_on_the_same_days_is_refused_with_the_clash_named(
    qtbot: QtBot, gui: GuiApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a, **_k: warned.append(text))
    _enrolled_in_c25k(qtbot, gui)
    before = _planned_days(gui)
    box = _ask_for(qtbot, gui, "mindful-running", ("mon", "thu", "sat"))
    _button(box, "Keep both").click()
    qtbot.waitUntil(lambda: bool(warned), timeout=10_000)
    assert "Couch to 5K already has runs on" in warned[0]
    assert _planned_days(gui) == before  # nothing booked


def test_keeping_both_on_other_days_adds_the_second(qtbot: QtBot, gui: GuiApp) -> None:
    _enrolled_in_c25k(qtbot, gui)
    box = _ask_for(qtbot, gui, "intervals-focus", ("tue", "fri"))
    _button(box, "Keep both").click()
    qtbot.waitUntil(lambda: len(_planned_days(gui)) == 27 + 12, timeout=10_000)
    days = _planned_days(gui)
    assert len(set(days)) == len(days)

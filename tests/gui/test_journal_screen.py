"""The journal through its screens: the reflection dialog, search, filters, delete with undo, charts."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCharts import QLineSeries
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from runcompanion.storage.records import CheckIn, ReflectionInput
from runcompanion.storage.run_repository import RunRepository
from runcompanion.ui.shell.gui_app import GuiApp


def _finished_run(gui: GuiApp, days_ago: int, text: str, *, before: int, after: int, tags: tuple[str, ...]) -> int:
    assert gui.services is not None
    runs = RunRepository(gui.services.database)
    started = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    record = runs.start("mindful-30", "Mindful 30", ("mindful",), 1800.0, 1, None, "app", started)
    runs.finish(record.id, "finished", 1800.0, 4, 5, [], started + dt.timedelta(minutes=30))
    gui.services.journal.complete(
        record.id, ReflectionInput(feeling_after=after, effort=4, text=text, tags=tags), check_in=CheckIn(before)
    )
    return record.id


@pytest.fixture
def journal(qtbot: QtBot, gui: GuiApp) -> GuiApp:
    _finished_run(gui, 3, "Calm after a hard day at work", before=-2, after=2, tags=("evening",))
    _finished_run(gui, 2, "Legs heavy but proud", before=0, after=1, tags=("treadmill",))
    _finished_run(gui, 1, "Ran with Sam in the park", before=1, after=4, tags=("with sam",))
    gui.window.show_section("Journal")
    qtbot.waitUntil(lambda: gui.pages.journal.model.rowCount() == 3, timeout=10_000)
    return gui


def test_the_list_shows_feelings_and_lift(journal: GuiApp) -> None:
    rows = journal.pages.journal.model.rows
    assert [r.session for r in rows] == ["Mindful 30"] * 3
    assert (rows[0].before, rows[0].after, rows[0].lift) == ("+1", "+4", "+3")  # newest first
    assert rows[2].lift == "+4"


def test_search_and_filters_narrow_the_list(qtbot: QtBot, journal: GuiApp) -> None:
    page = journal.pages.journal
    page.search.setText("heavy")  # a word of one reflection (prompts are searched too: "proud" is in one)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    assert page.model.rows[0].lift == "+1"
    page.search.setText("")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5_000)
    page.tag.setCurrentIndex(page.tag.findData("with sam"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    page.tag.setCurrentIndex(0)
    page.lift.setCurrentIndex(page.lift.findData("up"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5_000)
    page.search.setText('"sam(')  # quotes and brackets are not search syntax here: never an error
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)


def test_delete_and_undo_bring_back_the_same_entry(qtbot: QtBot, journal: GuiApp) -> None:
    page = journal.pages.journal
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: "Ran with Sam" in page.detail_text.text(), timeout=5_000)
    page.delete_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5_000)
    assert page.undo_bar.isVisible()
    page.undo_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5_000)
    assert journal.services is not None
    assert any(
        "Ran with Sam" in (e.reflection.text if e.reflection else "")
        for e in journal.services.journal.entries().entries
    )


def test_the_reflection_dialog_saves_a_draft_then_the_reflection(qtbot: QtBot, journal: GuiApp) -> None:
    assert journal.services is not None
    assert journal.journal is not None
    runs = RunRepository(journal.services.database)
    started = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    record = runs.start("mindful-30", "Mindful 30", ("mindful",), 1800.0, 1, None, "app", started)
    runs.finish(record.id, "finished", 1800.0, 4, 5, [], started + dt.timedelta(minutes=30))
    run_id = record.id  # a run not yet reflected on: its reflection is kept as a draft while it is written
    journal.journal.open_reflection(run_id)
    qtbot.waitUntil(lambda: journal.journal is not None and journal.journal.dialog is not None, timeout=5_000)
    dialog = journal.journal.dialog
    assert dialog is not None
    dialog.text.setPlainText("Rewritten: the park was lovely")
    dialog.effort.button(7).click()
    dialog.save_draft_now()
    qtbot.waitUntil(
        lambda: (
            journal.services is not None
            and (r := journal.services.journal.detail(run_id).reflection) is not None
            and r.text.startswith("Rewritten")
            and r.is_draft
        ),
        timeout=5_000,
    )
    dialog.save_button.click()
    qtbot.waitUntil(
        lambda: (
            journal.services is not None
            and (r := journal.services.journal.detail(run_id).reflection) is not None
            and not r.is_draft
            and r.effort == 7
        ),
        timeout=5_000,
    )


def test_a_run_can_be_logged_by_hand(qtbot: QtBot, journal: GuiApp) -> None:
    assert journal.journal is not None
    journal.pages.journal.log_button.click()
    qtbot.waitUntil(lambda: journal.journal is not None and journal.journal.dialog is not None, timeout=5_000)
    dialog = journal.journal.dialog
    assert dialog is not None
    assert dialog.manual_box is not None
    dialog.run_title.setText("Outdoor loop")
    dialog.minutes.setValue(42)
    dialog.feeling_before.button(-1).click()
    dialog.feeling_after.button(3).click()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: journal.pages.journal.model.rowCount() == 4, timeout=5_000)
    logged = [r for r in journal.pages.journal.model.rows if r.session == "Outdoor loop"]
    assert logged
    assert logged[0].duration == "42:00"
    assert logged[0].lift == "+4"


def test_charts_and_insights_draw(qtbot: QtBot, journal: GuiApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a: pytest.fail("no error expected"))
    page = journal.pages.journal
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.charts_holder.count() == 2, timeout=10_000)
    charts = page.charts_holder.currentWidget()
    from runcompanion.ui.journal.charts import JournalCharts

    assert isinstance(charts, JournalCharts)
    before, after = charts.feelings.chart().series()[0], charts.feelings.chart().series()[1]
    assert isinstance(before, QLineSeries)
    assert isinstance(after, QLineSeries)
    assert before.count() == 3
    assert after.count() == 3

"""Today shows the program being followed: its week, a tick for each run of the week done, and what is next."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from runcompanion.storage.run_repository import RunRepository
from runcompanion.ui.shell.gui_app import GuiApp


def test_today_shows_the_program_week_ticks_and_next(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.services is not None
    today = gui.pages.today
    gui.window.show_section("Today")
    qtbot.waitUntil(lambda: gui.tasks.in_flight == 0, timeout=10_000)
    assert not today.program_card.isVisible()  # no program followed: no card

    start = dt.date.today() + dt.timedelta(days=1)
    enrolled = gui.services.plan.enrol("c25k", start, ("mon", "wed", "sat"), dt.time(18, 0))
    first, second = enrolled.runs[0], enrolled.runs[1]
    runs = RunRepository(gui.services.database)
    began = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    done = runs.start(first.session_id, first.title, (), first.duration_s, 1, first.id, "app", began)
    runs.finish(done.id, "finished", first.duration_s, 5, 5, [], began + dt.timedelta(minutes=30))
    gui.services.plan.mark_done(first.id, done.id)
    gui.services.plan.skip(second.id)

    assert gui.shell is not None
    gui.shell.refresh()
    qtbot.waitUntil(today.program_card.isVisible, timeout=10_000)
    assert today.program_title.text() == "Couch to 5K · week 1 of 9"
    assert today.program_ticks.text() == "✓ Run 1   – Run 2   ○ Run 3"
    assert today.program_ticks.accessibleName() == "Week 1: run 1 done, run 2 skipped, run 3 to do"
    assert today.program_next.text().startswith("Next: Couch to 5K · Week 1 · Run 3, ")
    assert (today.program_bar.value(), today.program_bar.maximum()) == (1, 27)

"""The first-run welcome: a choice that cannot become a plan is not lost, a greyed-out "Let's go" says why, and a
runner who enrolled on the command line is not welcomed again."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from runcompanion.ui.shell.gui_app import GuiApp
from runcompanion.ui.shell.welcome_dialog import WelcomeDialog


def _welcome(qtbot: QtBot, gui: GuiApp) -> WelcomeDialog:
    gui.offer_welcome()
    qtbot.waitUntil(lambda: isinstance(gui.welcome, WelcomeDialog) and gui.welcome.isVisible(), timeout=10_000)
    assert isinstance(gui.welcome, WelcomeDialog)
    return gui.welcome


def test_one_day_ticked_keeps_the_dialog_and_says_why_then_makes_the_plan(qtbot: QtBot, gui: GuiApp) -> None:
    dialog = _welcome(qtbot, gui)
    dialog.choose("start")
    for day, box in dialog._days.items():
        box.setChecked(day == "tue")
    assert not dialog.ok_button.isEnabled()
    assert dialog.why.isVisible()
    assert dialog.why.text() == "Start running has 3 runs a week: tick at least 3 days (1 ticked)."
    assert dialog.ok_button.toolTip() == dialog.why.text()
    dialog.choose("intervals")  # two runs a week
    assert dialog.why.text() == "Train intervals has 2 runs a week: tick at least 2 days (1 ticked)."
    dialog._days["fri"].setChecked(True)
    assert dialog.ok_button.isEnabled()
    assert not dialog.why.isVisible()
    dialog.choose("explore")
    assert dialog.ok_button.isEnabled()
    dialog.choose("start")
    dialog._days["sun"].setChecked(True)
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert gui.services is not None
    qtbot.waitUntil(
        lambda: gui.services is not None and [e.program_id for e in gui.services.plan.enrolments()] == ["c25k"],
        timeout=10_000,
    )
    assert gui.services.plan.enrolments()[0].days == ("tue", "fri", "sun")


def test_no_day_ticked_says_so(qtbot: QtBot, gui: GuiApp) -> None:
    dialog = _welcome(qtbot, gui)
    dialog.choose("mindful")
    for box in dialog._days.values():
        box.setChecked(False)
    assert not dialog.ok_button.isEnabled()
    assert dialog.why.text() == "Run mindfully has 3 runs a week: tick at least 3 days (0 ticked)."


def test_no_welcome_after_enrolling_on_the_command_line(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.services is not None
    assert gui.shell is not None
    gui.services.plan.enrol("c25k", dt.date.today(), ("mon", "wed", "sat"), dt.time(7, 0))  # as `plan enrol` does
    gui.offer_welcome()
    qtbot.waitUntil(lambda: gui.shell is not None and gui.shell.settings.welcomed, timeout=10_000)
    assert gui.welcome is None

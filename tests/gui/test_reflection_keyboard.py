"""The reflection dialog by keyboard alone and on a small screen, and what its second button says."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.storage.records import CheckIn, ReflectionInput
from runcompanion.storage.run_repository import RunRepository
from runcompanion.ui.journal.reflection_dialog import ReflectionDialog
from runcompanion.ui.shell.gui_app import GuiApp


def _run(gui: GuiApp, *, reflected: bool) -> int:
    assert gui.services is not None
    runs = RunRepository(gui.services.database)
    started = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    record = runs.start("mindful-30", "Mindful 30", ("mindful",), 1800.0, 1, None, "app", started)
    runs.finish(record.id, "finished", 1800.0, 4, 5, [], started + dt.timedelta(minutes=30))
    if reflected:
        gui.services.journal.complete(record.id, ReflectionInput(feeling_after=2, text="Good"), check_in=CheckIn(0))
    return record.id


def _open(qtbot: QtBot, gui: GuiApp, run_id: int) -> ReflectionDialog:
    assert gui.journal is not None
    gui.journal.open_reflection(run_id)
    qtbot.waitUntil(lambda: gui.journal is not None and gui.journal.dialog is not None, timeout=5_000)
    dialog = gui.journal.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _tab(qtbot: QtBot, backwards: bool = False) -> QWidget:
    focused = QApplication.focusWidget()
    assert focused is not None
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(focused, Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab, modifier)
    after = QApplication.focusWidget()
    assert after is not None
    return after


def test_a_reflection_written_with_the_keyboard_alone(qtbot: QtBot, gui: GuiApp) -> None:
    run_id = _run(gui, reflected=False)
    dialog = _open(qtbot, gui, run_id)
    assert QApplication.focusWidget() is dialog.text
    qtbot.keyClicks(dialog.text, "Slow and kind")
    assert _tab(qtbot) is dialog.tags  # Tab leaves the note instead of typing a tab into it
    qtbot.keyClicks(dialog.tags, "morning")
    # Backwards from the note: the four scales, one stop each, chosen with digits and arrows.
    dialog.text.setFocus()
    qtbot.waitUntil(dialog.text.hasFocus)
    assert _tab(qtbot, backwards=True) is dialog.arousal_after.button(1)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_End)
    assert _tab(qtbot, backwards=True) is dialog.effort.button(0)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_6)
    assert _tab(qtbot, backwards=True) is dialog.feeling_after.button(-5)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    assert _tab(qtbot, backwards=True) is dialog.feeling_before.button(-5)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Minus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    form = dialog.form()
    assert (form.feeling_before, form.feeling_after, form.effort, form.arousal_after) == (-1, 3, 6, 6)
    # Forward to Save and press it.
    dialog.tags.setFocus()
    qtbot.waitUntil(dialog.tags.hasFocus)
    assert _tab(qtbot) is dialog.distance
    assert _tab(qtbot) is dialog.save_button
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    assert gui.services is not None

    def saved() -> bool:
        assert gui.services is not None
        r = gui.services.journal.detail(run_id).reflection
        return r is not None and not r.is_draft and r.text == "Slow and kind" and r.tags == ("morning",)

    qtbot.waitUntil(saved, timeout=5_000)
    r = gui.services.journal.detail(run_id).reflection
    assert r is not None
    assert (r.feeling_before, r.feeling_after, r.effort, r.arousal_after) == (-1, 3, 6, 6)


@pytest.mark.parametrize("manual", [False, True], ids=["after a run", "logged by hand"])
def test_save_is_on_screen_at_480_pixels_high(qtbot: QtBot, gui: GuiApp, manual: bool) -> None:
    if manual:
        assert gui.journal is not None
        gui.window.show_section("Journal")
        gui.pages.journal.log_button.click()
        qtbot.waitUntil(lambda: gui.journal is not None and gui.journal.dialog is not None, timeout=5_000)
        dialog = gui.journal.dialog
        assert dialog is not None
    else:
        dialog = _open(qtbot, gui, _run(gui, reflected=False))
    dialog.resize(dialog.minimumWidth(), 480 - 40)  # a 480 px screen less the title bar
    qtbot.waitUntil(lambda: dialog.height() <= 440)
    for button in (dialog.save_button, dialog.later_button):
        corner = button.mapTo(dialog, QPoint(button.width(), button.height()))
        assert dialog.rect().contains(corner), f"{button.text()} ends at {corner.toTuple()} in {dialog.size()}"
        assert button.isVisible()


def test_the_second_button_says_what_it_does(qtbot: QtBot, gui: GuiApp) -> None:
    fresh = _open(qtbot, gui, _run(gui, reflected=False))
    assert fresh.later_button.text() == "Finish later"
    fresh.reject()
    qtbot.waitUntil(lambda: gui.journal is not None and gui.journal.dialog is None)

    done = _run(gui, reflected=True)
    editing = _open(qtbot, gui, done)
    assert editing.later_button.text() == "Cancel"
    editing.text.setPlainText("Changed my mind")
    editing.reject()  # Cancel: the finished reflection stays as it was, and is not turned into a draft
    assert gui.services is not None
    r = gui.services.journal.detail(done).reflection
    assert r is not None
    assert (r.text, r.is_draft) == ("Good", False)

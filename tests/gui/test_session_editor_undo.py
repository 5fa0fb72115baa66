"""Ctrl+Z in the session editor, pressed on the real widgets as a person does.

What a user expects (Qt's convention, and what most editors do): in a text box that has typing of its own to
undo, Ctrl+Z undoes that typing, and the session follows what the box shows. Anywhere else, or in a box with
nothing of its own to undo, Ctrl+Z is the editor's undo. Once the box lost the focus, the typing done in it is
one change of the editor's: one Ctrl+Z takes it back whole, Ctrl+Shift+Z (or Ctrl+Y) brings it back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.session_draft import SegmentDraft, SessionDraft
from runcompanion.ui.sessions.session_editor import SessionEditor
from tests.gui.test_session_editor import _click, _select

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
DRAFT = SessionDraft(
    name="Tempo",
    items=(SegmentDraft(kind="warmup", duration="5:00", label="Easy"), SegmentDraft(duration="10:00")),
)


def _editor(qtbot: QtBot) -> SessionEditor:
    editor = SessionEditor(DRAFT, "Edit session")
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    return editor


def _press(qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = CTRL) -> None:
    """A key press goes to the widget with the focus, as a real one does."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifiers)


def _append(qtbot: QtBot, box: QLineEdit, text: str) -> None:
    _click(qtbot, box)
    box.end(False)
    qtbot.keyClicks(box, text)


def _name(editor: SessionEditor) -> str:
    return editor.draft.name  # read afresh: every key press above may change it


def _count(editor: SessionEditor) -> int:
    return len(editor.draft.items)


def _leave(qtbot: QtBot, editor: SessionEditor) -> QWidget:
    _click(qtbot, editor.tree)
    assert QApplication.focusWidget() is editor.tree
    return editor.tree


def test_ctrl_z_in_a_box_undoes_its_typing_then_the_editors_changes(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    _click(qtbot, editor.add_segment_button)  # an editor change before the typing
    assert _count(editor) == 3
    _append(qtbot, editor.name, " day")
    assert _name(editor) == "Tempo day"
    _press(qtbot, Qt.Key.Key_Z)
    assert QApplication.focusWidget() is editor.name
    assert editor.name.text() == "Tempo"  # the box's own typing is undone ...
    assert _name(editor) == "Tempo"  # ... and the session is what the box shows
    # The box has nothing more of its own to undo: Ctrl+Z is the editor's (it did nothing at all before).
    _press(qtbot, Qt.Key.Key_Z)
    assert _count(editor) == 2
    assert _name(editor) == "Tempo"
    _press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert _count(editor) == 3


def test_typing_in_a_box_is_one_change_once_the_box_lost_the_focus(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    _append(qtbot, editor.name, " day")
    _leave(qtbot, editor)
    _press(qtbot, Qt.Key.Key_Z)
    assert _name(editor) == "Tempo"  # whole: it took " day" back one letter a press before
    assert editor.name.text() == "Tempo"
    _press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)  # the documented redo; only Ctrl+Y worked on some platforms
    assert _name(editor) == "Tempo day"
    _press(qtbot, Qt.Key.Key_Z)
    _press(qtbot, Qt.Key.Key_Y)
    assert _name(editor) == "Tempo day"

    # Coming back to the box and typing again is a change of its own.
    _append(qtbot, editor.name, "s")
    _leave(qtbot, editor)
    _press(qtbot, Qt.Key.Key_Z)
    assert _name(editor) == "Tempo day"
    _press(qtbot, Qt.Key.Key_Z)
    assert _name(editor) == "Tempo"
    assert not editor.history.can_undo()


def test_a_segment_fields_typing_is_undone_whole_from_the_list(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    _select(editor, (0,))
    _append(qtbot, editor.form.label, " and slow")
    _append(qtbot, editor.form.duration, "0")  # 5:000 is not a duration: the box says so
    assert editor.draft.segment((0,)).duration == "5:000"
    assert not editor.save_button.isEnabled()
    _leave(qtbot, editor)
    _press(qtbot, Qt.Key.Key_Z)
    assert editor.draft.segment((0,)).duration == "5:00"
    assert editor.draft.segment((0,)).label == "Easy and slow"
    assert editor.save_button.isEnabled()
    _press(qtbot, Qt.Key.Key_Z)
    assert editor.draft.segment((0,)).label == "Easy"
    assert editor.form.label.text() == "Easy"
    assert editor.draft == DRAFT

"""Ctrl+Z in the session editor: a text box's own undo while it has typing to undo, the editor's otherwise.

Qt's convention is kept: in a focused text box Ctrl+Z undoes that box's typing, and the editor follows what the
box shows, as it does for any typing. Two things were wrong (tests/gui/test_session_editor_undo.py). A box with
nothing of its own to undo (just clicked, or refilled by the editor's undo) still took the key, so Ctrl+Z did
nothing at all; it now lets the editor's undo have it (and Ctrl+Shift+Z likewise for redo). And the editor's
history had a step per letter, so once the box lost the focus Ctrl+Z took the typing back one letter at a
time; a run of typing in one box is now one step (``UndoHistory.push(typing=True)``), ended when the focus moves.
GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from runcompanion.core.undo_history import UndoHistory


class TypingUndo(QObject):
    """Watches the focus for ``editor``, whose changes ``history`` keeps."""

    def __init__(self, editor: QWidget, history: UndoHistory[Any]) -> None:
        super().__init__(editor)
        self._editor = editor
        self._history = history
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)  # let go of when this object goes, with the editor

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._history.seal()
        # Every text box, the notes table's cell editors too (made afresh for each edit).
        if isinstance(new, (QLineEdit, QPlainTextEdit)) and self._editor.isAncestorOf(new):
            new.removeEventFilter(self)  # once per box, however often it gets the focus
            new.installEventFilter(self)

    def forget_boxes(self) -> None:
        """After the editor's own undo or redo: what the boxes could still undo or redo of their own is in the
        editor's history now. Left in the box, Ctrl+Shift+Z there replayed old typing over the editor's redo
        (and so lost it) instead of redoing what the runner had just undone."""
        for box in self._editor.findChildren(QLineEdit):
            if box.isUndoAvailable() or box.isRedoAvailable():
                at = box.cursorPosition()
                with QSignalBlocker(box):
                    box.setText(box.text())  # the one way to clear a line edit's own history
                box.setCursorPosition(at)
        for text in self._editor.findChildren(QPlainTextEdit):
            text.document().clearUndoRedoStacks()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            undo = event.matches(QKeySequence.StandardKey.Undo)
            redo = event.matches(QKeySequence.StandardKey.Redo)
            if (undo and not _can(watched, undo=True)) or (redo and not _can(watched, undo=False)):
                event.ignore()  # not the box's: the editor's shortcut takes it
                return True
        return False


def _can(box: QObject, *, undo: bool) -> bool:
    if isinstance(box, QLineEdit):
        return box.isUndoAvailable() if undo else box.isRedoAvailable()
    if isinstance(box, QPlainTextEdit):
        document = box.document()
        return document.isUndoAvailable() if undo else document.isRedoAvailable()
    return True

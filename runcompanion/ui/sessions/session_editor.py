"""The session editor: build a session from nothing, or change an own one or a copy of a built-in one.

Left, the session's items: segments and "repeat N ×" blocks with their segments, reordered by dragging or by
Alt+Up / Alt+Down, removed with Delete. Right, the selected item's fields (``SegmentForm``). Above, the name,
description and tags; below, a live preview: total time, the coloured segment bar and what the coach will
say when (the spoken timeline, timed by estimated speech lengths). Every field is checked as it is typed by
the rules the file importer uses, with the message next to the field; Save stays off while anything is wrong.
Ctrl+Z / Ctrl+Shift+Z undo and redo every change while editing; in a text box with typing of its own to undo,
they undo that typing first (ui/sessions/typing_undo.py).

The model is ``core.session_draft``; this module only shows it. ``save_requested`` carries the ``SessionPlan``;
the caller stores it (on its worker) and closes the dialog with ``accept`` once stored. ``preview_requested``
carries a valid plan whose cue timeline the caller works out and hands back with ``show_timeline``.
GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from runcompanion.core.session_draft import (
    ItemDraft,
    Path,
    Problem,
    RepeatDraft,
    SegmentDraft,
    SessionDraft,
)
from runcompanion.core.undo_history import UndoHistory
from runcompanion.ui.common.widgets import format_clock, muted
from runcompanion.ui.run.segment_bar import SegmentBar
from runcompanion.ui.sessions.segment_form import SegmentForm, error_label, show_problem
from runcompanion.ui.sessions.segment_tree import SegmentTree
from runcompanion.ui.sessions.typing_undo import TypingUndo

PREVIEW_DELAY_MS = 250
"""The spoken timeline waits for a pause in typing, so it is worked out once per burst of keys, not per key."""


class SessionEditor(QDialog):
    save_requested = Signal(object)  # SessionPlan
    preview_requested = Signal(object)  # SessionPlan
    open_file_requested = Signal()  # fill the editor from a .toml, .zwo or .fit file

    def __init__(self, draft: SessionDraft, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(1000, 720)
        self.history = UndoHistory(draft)
        self._selected: Path = ()
        self._rebuilding = False
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._request_preview)

        outer = QVBoxLayout(self)
        top = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Session name")
        self.name_error = error_label()
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        self.description.setMaximumHeight(60)
        self.description_error = error_label()
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("optional, separated by commas: intervals, mindful")
        self.tags.setAccessibleName("Tags")
        self.tags_error = error_label()
        for title_text, widget, error in (
            ("Name", self.name, self.name_error),
            ("Description", self.description, self.description_error),
            ("Tags", self.tags, self.tags_error),
        ):
            top.addRow(title_text, widget)
            top.addRow("", error)
        outer.addLayout(top)
        self.name.textEdited.connect(lambda text: self._type(self.history.current.with_fields(name=text)))
        self.tags.textEdited.connect(lambda text: self._type(self.history.current.with_fields(tags=text)))
        self.description.textChanged.connect(self._description_changed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.tree = SegmentTree()
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.order_changed.connect(self._reordered)
        left_layout.addWidget(self.tree, 1)
        self.items_error = error_label()
        left_layout.addWidget(self.items_error)
        buttons = QHBoxLayout()
        self.add_segment_button = QPushButton("Add segment")
        self.add_repeat_button = QPushButton("Add repeat block")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Up")
        self.down_button = QPushButton("Down")
        self.up_button.setToolTip("Move up (Alt+Up)")
        self.down_button.setToolTip("Move down (Alt+Down)")
        self.remove_button.setToolTip("Remove (Delete)")
        for button in (self.add_segment_button, self.add_repeat_button, self.remove_button, self.up_button):
            buttons.addWidget(button)
        buttons.addWidget(self.down_button)
        left_layout.addLayout(buttons)
        self.add_segment_button.clicked.connect(self.add_segment)
        self.add_repeat_button.clicked.connect(self.add_repeat)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        splitter.addWidget(left)
        self.form = SegmentForm()
        self.form.set_units(draft.units)
        self.form.segment_edited.connect(self._segment_edited)
        self.form.times_edited.connect(self._times_edited)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        outer.addWidget(splitter, 1)

        self.total = QLabel("")
        self.total.setAccessibleName("Total time")
        self.bar = SegmentBar()
        self.timeline = QTableWidget(0, 3)
        self.timeline.setHorizontalHeaderLabels(["At", "Kind", "What the voice says"])
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.timeline.setAccessibleName("Spoken timeline")
        self.timeline.setMaximumHeight(160)
        outer.addWidget(self.total)
        outer.addWidget(self.bar)
        outer.addWidget(self.timeline)

        bottom = QHBoxLayout()
        self.status = muted("")
        self.open_file_button = QPushButton("From a file…")
        self.open_file_button.setToolTip("Fill the editor from a .toml, a Zwift run workout (.zwo) or a FIT workout")
        self.open_file_button.clicked.connect(self.open_file_requested)
        self.undo_button = QPushButton("Undo")
        self.redo_button = QPushButton("Redo")
        self.cancel_button = QPushButton("Cancel")
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        bottom.addWidget(self.status, 1)
        for button in (self.open_file_button, self.undo_button, self.redo_button, self.cancel_button, self.save_button):
            bottom.addWidget(button)
        outer.addLayout(bottom)

        # A standard key as such, not as a QKeySequence, binds all its keys: Ctrl+Shift+Z and Ctrl+Y both redo.
        shortcuts: list[tuple[QKeySequence | QKeySequence.StandardKey, QWidget, Callable[[], None]]] = [
            (QKeySequence.StandardKey.Undo, self, self.undo),
            (QKeySequence.StandardKey.Redo, self, self.redo),
            (QKeySequence.StandardKey.Save, self, self.save),
            (QKeySequence("Alt+Up"), self, lambda: self.move_selected(-1)),
            (QKeySequence("Alt+Down"), self, lambda: self.move_selected(1)),
            (QKeySequence(Qt.Key.Key_Delete), self.tree, self.remove_selected),
            (QKeySequence("Ctrl+Shift+N"), self, self.add_segment),
        ]
        for keys, owner, slot in shortcuts:
            QShortcut(keys, owner).activated.connect(slot)
        self._typing = TypingUndo(self, self.history)

        self._show(draft, select=(0,) if draft.items else ())

    # -- public actions (buttons, keys and tests) ---------------------------------------------------------------

    @property
    def draft(self) -> SessionDraft:
        return self.history.current

    def add_segment(self) -> None:
        kind = "cooldown" if self.draft.items else "warmup"
        path = self._selected
        new = SegmentDraft(kind=kind, duration="5:00") if len(path) < 2 else SegmentDraft()
        draft, at = self.draft.inserted(path, new)
        self._push(draft, select=at)

    def add_repeat(self) -> None:
        draft, at = self.draft.inserted(self._selected[:1], RepeatDraft())
        self._push(draft, select=at)

    def remove_selected(self) -> None:
        path = self._selected
        if not path:
            return
        draft = self.draft.removed(path)
        count = len(draft.items)
        if (
            len(path) == 2
            and isinstance(draft.items[path[0]], RepeatDraft)
            and len(draft.items) == len(self.draft.items)
        ):
            block = draft.items[path[0]]
            assert isinstance(block, RepeatDraft)
            select: Path = (path[0], min(path[1], len(block.segments) - 1))
        else:
            select = (min(path[0], count - 1),) if count else ()
        self._push(draft, select=select)

    def move_selected(self, delta: int) -> None:
        if self._selected:
            draft, at = self.draft.moved(self._selected, delta)
            self._push(draft, select=at)

    def undo(self) -> None:
        if self.history.can_undo():
            self._show(self.history.undo(), select=self._selected)
            self._typing.forget_boxes()

    def redo(self) -> None:
        if self.history.can_redo():
            self._show(self.history.redo(), select=self._selected)
            self._typing.forget_boxes()

    def save(self) -> None:
        problems = self.draft.problems()
        if problems:
            self.status.setText(_problem_count(problems))
            return
        self.save_button.setEnabled(False)
        self.status.setText("Saving…")
        self.save_requested.emit(self.draft.to_plan(self.draft.session_id or None))

    def load(self, draft: SessionDraft, message: str) -> None:
        """Replace what is shown by ``draft`` (read from a file), keeping this session's id; undo brings it back."""
        self._push(replace(draft, session_id=self.draft.session_id, units=self.draft.units), select=(0,))
        self.status.setText(message)

    def save_failed(self, message: str) -> None:
        """The caller could not store it (an id taken meanwhile, a full disk): say so and let them try again."""
        self.save_button.setEnabled(True)
        self.status.setText(message)

    def show_timeline(self, rows: list[tuple[float, str, str]]) -> None:
        """``(offset_s, kind, text)`` per spoken cue of the plan last requested."""
        self.timeline.setRowCount(len(rows))
        for row, (offset, kind, text) in enumerate(rows):
            self.timeline.setItem(row, 0, QTableWidgetItem(format_clock(offset)))
            self.timeline.setItem(row, 1, QTableWidgetItem(kind))
            self.timeline.setItem(row, 2, QTableWidgetItem(text))
        self.timeline.resizeColumnToContents(0)
        self.timeline.resizeColumnToContents(1)

    def timeline_texts(self) -> list[str]:
        items = (self.timeline.item(row, 2) for row in range(self.timeline.rowCount()))
        return [item.text() for item in items if item is not None]

    # -- keeping the view and the draft together ----------------------------------------------------------------

    def _type(self, draft: SessionDraft) -> None:
        """A change typed into a text box: the typing in one box is one step until it loses the focus."""
        self._push(draft, typing=True)

    def _push(self, draft: SessionDraft, select: Path | None = None, *, typing: bool = False) -> None:
        if self._rebuilding:
            return
        structure_changed = _structure(draft) != _structure(self.draft) or select is not None
        self.history.push(draft, typing=typing)
        if structure_changed:
            self._show(draft, select=self._selected if select is None else select)
        else:
            self._refresh(draft)

    def _show(self, draft: SessionDraft, select: Path) -> None:
        """Rebuild the whole view from ``draft`` (after undo, or a change of structure)."""
        self._rebuilding = True
        try:
            with QSignalBlocker(self.name), QSignalBlocker(self.tags), QSignalBlocker(self.description):
                if self.name.text() != draft.name:
                    self.name.setText(draft.name)
                if self.tags.text() != draft.tags:
                    self.tags.setText(draft.tags)
                if self.description.toPlainText() != draft.description:
                    self.description.setPlainText(draft.description)
            self._selected = ()
            self._selected = self.tree.show_draft(draft, select)
        finally:
            self._rebuilding = False
        self._refresh(draft)

    def _refresh(self, draft: SessionDraft) -> None:
        """Texts, problems and the preview, without rebuilding the list (the runner is typing)."""
        problems = draft.problems()
        top = [p for p in problems if not p.path]
        for field_name, label in (("name", self.name_error), ("description", self.description_error)):
            show_problem(label, next((p.message for p in top if p.field == field_name), ""))
        show_problem(self.tags_error, " ".join(p.message for p in top if p.field == "tags"))
        show_problem(self.items_error, " ".join(p.message for p in top if p.field == "items"))
        self.tree.refresh_texts(draft)
        path = self._selected
        mine = [p for p in problems if p.path == path]
        if not path:
            self.form.show_nothing()
        elif len(path) == 1 and isinstance(draft.items[path[0]], RepeatDraft):
            block = draft.items[path[0]]
            assert isinstance(block, RepeatDraft)
            self.form.show_block(block.times, mine)
        else:
            self.form.show_segment(draft.segment(path), mine)
        self.total.setText(f"Total {format_clock(draft.total_s())}")
        self.undo_button.setEnabled(self.history.can_undo())
        self.redo_button.setEnabled(self.history.can_redo())
        self.save_button.setEnabled(not problems)
        self.status.setText(_problem_count(problems) if problems else "Ready to save.")
        if not problems:
            plan = draft.to_plan(draft.session_id or "preview")
            self.bar.set_segments([(s.kind.value, s.duration_s) for s in plan.segments])
            self._preview_timer.start()

    def _request_preview(self) -> None:
        if not self.draft.problems():
            self.preview_requested.emit(self.draft.to_plan(self.draft.session_id or "preview"))

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if self._rebuilding or self.tree.filling:
            return
        self._selected = self.tree.path_of(current)
        self._refresh(self.draft)

    def _reordered(self, items: tuple[ItemDraft, ...], selected: Path) -> None:
        self._push(replace(self.draft, items=items), select=selected)

    def _segment_edited(self, segment: SegmentDraft) -> None:
        if len(self._selected) >= 1 and not (
            len(self._selected) == 1 and isinstance(self.draft.items[self._selected[0]], RepeatDraft)
        ):
            change = self.draft.with_segment(self._selected, **_fields(segment))
            # Typed into one of the form's boxes, or chosen in its kind list (a step of its own).
            self._push(change, typing=isinstance(self.focusWidget(), QLineEdit))

    def _times_edited(self, times: str) -> None:
        if len(self._selected) == 1:
            self._type(self.draft.with_times(self._selected[0], times))

    def _description_changed(self) -> None:
        text = self.description.toPlainText()
        if text != self.draft.description:
            self._type(self.draft.with_fields(description=text))


def _fields(segment: SegmentDraft) -> dict[str, object]:
    return {name: getattr(segment, name) for name in SegmentDraft.__dataclass_fields__}


def _structure(draft: SessionDraft) -> tuple[int, ...]:
    return tuple(len(i.segments) if isinstance(i, RepeatDraft) else -1 for i in draft.items)


def _problem_count(problems: list[Problem]) -> str:
    first = problems[0]
    where = f"segment {'.'.join(str(p + 1) for p in first.path)}: " if first.path else ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"Not saved yet: {where}{first.message}{more}."

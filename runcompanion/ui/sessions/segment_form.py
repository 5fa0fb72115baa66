"""The editor's right-hand form: one segment's fields (or a repeat block's count), each with its problem below it.

The form shows a ``SegmentDraft`` and reports every keystroke as a changed draft (``segment_edited``); it never
checks anything itself: the editor passes back the problems ``SessionDraft.problems`` found, and each appears
under its field in plain words. GUI thread only.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from runcompanion.core.session_draft import NoteDraft, Problem, SegmentDraft
from runcompanion.core.session_plan import SegmentKind
from runcompanion.core.units import SpeedUnit
from runcompanion.ui.common.widgets import error_text


def error_label() -> QLabel:
    label = error_text()
    label.setAccessibleName("Problem")
    label.hide()
    return label


def show_problem(label: QLabel, message: str) -> None:
    label.setText(message[:1].upper() + message[1:] + ("" if message.endswith(".") else "."))
    label.setVisible(bool(message))


class SegmentForm(QWidget):
    """``segment_edited`` carries the new draft of the segment shown; ``times_edited`` a block's new count."""

    segment_edited = Signal(object)
    times_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = SegmentDraft()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.block_box = QWidget()
        block_form = QFormLayout(self.block_box)
        self.times = QLineEdit()
        self.times.setAccessibleName("Repeat how many times")
        self.times_error = error_label()
        block_form.addRow("Repeat, times", self.times)
        block_form.addRow("", self.times_error)
        self.times.textEdited.connect(self.times_edited)
        layout.addWidget(self.block_box)

        self.segment_box = QWidget()
        form = QFormLayout(self.segment_box)
        self.kind = QComboBox()
        for kind in SegmentKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.setAccessibleName("Kind")
        self.duration = QLineEdit()
        self.duration.setPlaceholderText("m:ss, or seconds")
        self.label = QLineEdit()
        self.label.setPlaceholderText("optional: what the screen shows")
        self.effort = QLineEdit()
        self.effort.setPlaceholderText("optional: 0 (rest) to 10 (all out)")
        self.speed = QLineEdit()
        self.incline = QLineEdit()
        self.incline.setPlaceholderText("optional, %")
        self.errors: dict[str, QLabel] = {}
        rows = (
            ("kind", "Kind", self.kind),
            ("duration", "Duration", self.duration),
            ("label", "Label", self.label),
            ("effort", "Effort", self.effort),
            ("speed", "Speed", self.speed),
            ("incline", "Incline", self.incline),
        )
        for name, title, widget in rows:
            widget.setAccessibleName(title)
            self.errors[name] = error_label()
            form.addRow(title, widget)
            form.addRow("", self.errors[name])
        self.kind.currentIndexChanged.connect(lambda _i: self._edited(kind=str(self.kind.currentData())))
        self.duration.textEdited.connect(lambda text: self._edited(duration=text))
        self.label.textEdited.connect(lambda text: self._edited(label=text))
        self.effort.textEdited.connect(lambda text: self._edited(effort=text))
        self.speed.textEdited.connect(lambda text: self._edited(speed=text))
        self.incline.textEdited.connect(lambda text: self._edited(incline=text))

        notes_title = QLabel("Spoken notes: said by the coach this far into the segment")
        notes_title.setWordWrap(True)
        form.addRow(notes_title)
        self.notes = QTableWidget(0, 2)
        self.notes.setHorizontalHeaderLabels(["At", "What the voice says"])
        self.notes.verticalHeader().setVisible(False)
        self.notes.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.notes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.notes.setAccessibleName("Spoken notes")
        self.notes.setMinimumHeight(90)
        self.notes.itemChanged.connect(self._note_changed)
        form.addRow(self.notes)
        self.notes_error = error_label()
        form.addRow(self.notes_error)
        note_buttons = QHBoxLayout()
        self.add_note_button = QPushButton("Add note")
        self.remove_note_button = QPushButton("Remove note")
        self.add_note_button.clicked.connect(self._add_note)
        self.remove_note_button.clicked.connect(self._remove_note)
        note_buttons.addWidget(self.add_note_button)
        note_buttons.addWidget(self.remove_note_button)
        note_buttons.addStretch(1)
        form.addRow(note_buttons)
        layout.addWidget(self.segment_box)
        layout.addStretch(1)
        self.show_nothing()

    # -- showing ------------------------------------------------------------------------------------------------

    def set_units(self, units: SpeedUnit) -> None:
        self.speed.setPlaceholderText(f"optional, {units.short}")

    def show_nothing(self) -> None:
        self.block_box.hide()
        self.segment_box.hide()

    def show_block(self, times: str, problems: list[Problem]) -> None:
        self.segment_box.hide()
        self.block_box.show()
        if self.times.text() != times:
            with QSignalBlocker(self.times):
                self.times.setText(times)
        show_problem(self.times_error, next((p.message for p in problems if p.field == "times"), ""))

    def show_segment(self, draft: SegmentDraft, problems: list[Problem]) -> None:
        self.block_box.hide()
        self.segment_box.show()
        self._draft = draft
        blockers = [QSignalBlocker(w) for w in (self.kind, self.duration, self.label, self.effort, self.speed)]
        blockers += [QSignalBlocker(self.incline), QSignalBlocker(self.notes)]
        index = self.kind.findData(draft.kind)
        if index >= 0:
            self.kind.setCurrentIndex(index)
        for name in ("duration", "label", "effort", "speed", "incline"):
            box: QLineEdit = getattr(self, name)
            if box.text() != getattr(draft, name):  # keeps the cursor where the runner is typing
                box.setText(getattr(draft, name))
        if self.notes.rowCount() != len(draft.notes) or any(
            self._cell(row, 0) != note.at or self._cell(row, 1) != note.text for row, note in enumerate(draft.notes)
        ):
            self.notes.setRowCount(len(draft.notes))
            for row, note in enumerate(draft.notes):
                self.notes.setItem(row, 0, QTableWidgetItem(note.at))
                self.notes.setItem(row, 1, QTableWidgetItem(note.text))
        del blockers
        for name, label in self.errors.items():
            show_problem(label, next((p.message for p in problems if p.field == name), ""))
        note_problems = [
            f"Note {p.note + 1}: {p.message}" for p in problems if p.note is not None and p.field.startswith("note")
        ]
        show_problem(self.notes_error, " ".join(note_problems))

    # -- editing ------------------------------------------------------------------------------------------------

    def _edited(self, **changes: str) -> None:
        self._draft = replace(self._draft, **changes)  # type: ignore[arg-type]
        self.segment_edited.emit(self._draft)

    def _cell(self, row: int, column: int) -> str:
        item = self.notes.item(row, column)
        return item.text() if item is not None else ""

    def _note_changed(self, _item: QTableWidgetItem) -> None:
        notes = tuple(NoteDraft(self._cell(r, 0), self._cell(r, 1)) for r in range(self.notes.rowCount()))
        self._edited_notes(notes)

    def _edited_notes(self, notes: tuple[NoteDraft, ...]) -> None:
        self._draft = replace(self._draft, notes=notes)
        self.segment_edited.emit(self._draft)

    def _add_note(self) -> None:
        self._edited_notes((*self._draft.notes, NoteDraft("0:00", "")))
        row = len(self._draft.notes) - 1
        self.notes.setCurrentCell(row, 1)
        item = self.notes.item(row, 1)
        if item is not None:
            self.notes.editItem(item)

    def _remove_note(self) -> None:
        row = self.notes.currentRow()
        if 0 <= row < len(self._draft.notes):
            self._edited_notes(self._draft.notes[:row] + self._draft.notes[row + 1 :])

"""The Journal page's list as a Qt model, and the plain values the page shows and hands back.

A model, not a widget of items, so ten thousand entries open as fast as ten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from runcompanion.core.run_samples import RunSample

STATUS_WORDS = {
    "finished": "Finished",
    "stopped": "Stopped early",
    "interrupted": "Interrupted",
    "in_progress": "In progress",
}
LIFT_CHOICES = (("any", "Any change"), ("up", "Felt better"), ("same", "Felt the same"), ("down", "Felt worse"))


@dataclass(frozen=True, slots=True)
class JournalRow:
    run_id: int
    when: str
    session: str
    duration: str
    before: str
    after: str
    lift: str
    status: str
    draft: bool = False


@dataclass(frozen=True, slots=True)
class JournalDetail:
    run_id: int
    title: str
    facts: list[str]
    prompt: str
    text: str
    tags: str
    has_reflection: bool
    draft: bool
    samples: tuple[RunSample, ...] = ()
    """The run's figures over time, for its chart (ui/journal/run_chart.py); empty without devices."""


@dataclass(frozen=True, slots=True)
class FilterChoice:
    text: str
    date_from: dt.date | None
    date_to: dt.date | None
    tag: str | None
    session_id: str | None
    lift: str  # one of LIFT_CHOICES' keys


_COLUMNS = ("When", "Session", "Time", "Before", "After", "Lift", "")


class JournalModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[JournalRow] = []

    def set_rows(self, rows: list[JournalRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            status = "Draft" if row.draft else STATUS_WORDS.get(row.status, row.status)
            values = (row.when, row.session, row.duration, row.before, row.after, row.lift, status)
            return values[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= index.column() <= 5:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.run_id
        return None

"""Journal: every run, newest first, with how it ended. Reflections, search and charts build on this list."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from runcompanion.ui.widgets import heading, muted

STATUS_WORDS = {
    "finished": "Finished",
    "stopped": "Stopped early",
    "interrupted": "Interrupted",
    "in_progress": "In progress",
}


@dataclass(frozen=True, slots=True)
class JournalRow:
    when: str
    session: str
    duration: str
    status: str


class JournalPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.addWidget(heading("Journal"))
        self.empty = muted("No runs yet. After your first run, it shows up here with how it went.")
        outer.addWidget(self.empty)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["When", "Session", "Time", "How it ended"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        outer.addWidget(self.table, 1)

    def show_rows(self, rows: list[JournalRow]) -> None:
        self.empty.setVisible(not rows)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for col, text in enumerate((row.when, row.session, row.duration, STATUS_WORDS.get(row.status, row.status))):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)

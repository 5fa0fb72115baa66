"""Plan: a calendar with the run days marked and the list of upcoming runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QListWidget, QVBoxLayout, QWidget

from runcompanion.ui.widgets import Card, heading, muted


@dataclass(frozen=True, slots=True)
class UpcomingRun:
    due: dt.datetime
    title: str
    detail: str


class PlanPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.addWidget(heading("Plan"))
        row = QHBoxLayout()
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        row.addWidget(self.calendar, 3)
        card = Card("Upcoming")
        self.empty = muted("Nothing planned yet. Choose a session and start whenever you like.")
        self.upcoming = QListWidget()
        card.body.addWidget(self.empty)
        card.body.addWidget(self.upcoming, 1)
        row.addWidget(card, 2)
        outer.addLayout(row, 1)
        self._marked: list[QDate] = []

    def show_upcoming(self, runs: list[UpcomingRun]) -> None:
        self.upcoming.clear()
        for old in self._marked:
            self.calendar.setDateTextFormat(old, QTextCharFormat())
        self._marked = []
        mark = QTextCharFormat()
        mark.setBackground(QColor("#D55E00"))
        mark.setForeground(QColor("#ffffff"))
        for run in runs:
            self.upcoming.addItem(f"{run.due:%a %d %b, %H:%M}  ·  {run.title}\n{run.detail}")
            day = QDate(run.due.year, run.due.month, run.due.day)
            self.calendar.setDateTextFormat(day, mark)
            self._marked.append(day)
        self.empty.setVisible(not runs)
        self.upcoming.setVisible(bool(runs))

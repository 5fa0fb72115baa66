"""Plan: the calendar with run days marked, what is coming up, progress through programs, and enrolment.

A pure view over plain values; ``ui.plan.controller`` fills it and carries out what its buttons ask.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime, Signal, SignalInstance
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from runcompanion.ui.common.item_views import current_follows_selection, name_calendar
from runcompanion.ui.common.palette import is_dark
from runcompanion.ui.common.widgets import Card, heading, muted, named, wrapped
from runcompanion.ui.plan.calendar_days import paint_days

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class UpcomingRun:
    scheduled_id: int
    session_id: str
    due: dt.datetime
    title: str
    detail: str


@dataclass(frozen=True, slots=True)
class ProgressLine:
    enrolment_id: int
    title: str
    detail: str
    fraction: float
    current_week: int | None = None


@dataclass(frozen=True, slots=True)
class EnrolRequest:
    program_id: str
    start: dt.date
    days: tuple[str, ...]
    time: dt.time


@dataclass(frozen=True, slots=True)
class AddRunRequest:
    session_id: str
    when: dt.datetime
    weekly_weeks: int  # 0: once


class PlanPage(QWidget):
    enrol_requested = Signal(object)  # EnrolRequest
    add_run_requested = Signal(object)  # AddRunRequest
    start_requested = Signal(int, str)  # scheduled id, session id
    skip_requested = Signal(int)
    undo_skip_requested = Signal(int)
    move_requested = Signal(int, object)  # scheduled id, new datetime
    cancel_requested = Signal(int)  # enrolment id
    repeat_week_requested = Signal(int, int)  # enrolment id, week
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        scroll = named(QScrollArea(self), "Plan")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        scroll.setWidget(inner)
        outer_layout = QVBoxLayout(self)
        outer_layout.setContentsMargins(0, 0, 0, 0)
        outer_layout.addWidget(scroll)
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(24, 20, 24, 20)
        top = QHBoxLayout()
        top.addWidget(heading("Plan"))
        top.addStretch(1)
        self.export_button = QPushButton("Export to calendar (.ics)…")
        self.export_button.clicked.connect(self.export_requested)
        top.addWidget(self.export_button)
        outer.addLayout(top)

        grid = QGridLayout()
        grid.setSpacing(16)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMinimumHeight(260)
        name_calendar(self.calendar, "Calendar of planned runs")
        grid.addWidget(self.calendar, 0, 0)

        upcoming = Card("Coming up")
        self.empty = muted("Nothing planned yet. Enrol in a program below, or add a run.")
        self.upcoming = QListWidget()
        self.upcoming.setAccessibleName("Runs coming up")
        self.upcoming.setMinimumHeight(200)
        row = QHBoxLayout()
        self.start_button = QPushButton("Start now")
        self.skip_button = QPushButton("Skip")
        self.move_to = QDateTimeEdit()
        self.move_to.setCalendarPopup(True)
        self.move_to.setDisplayFormat("ddd d MMM, HH:mm")
        self.move_to.setAccessibleName("Move to")
        # With no run chosen the box says so, instead of "Sat 1 Jan, 00:00".
        self.move_to.setMinimumDateTime(QDateTime(QDate(2000, 1, 1), QTime(0, 0)))
        self.move_to.setSpecialValueText("choose a run")
        self.move_button = QPushButton("Move")
        for w in (self.start_button, self.skip_button, self.move_to, self.move_button):
            row.addWidget(w)
        upcoming.body.addWidget(self.empty)
        upcoming.body.addWidget(self.upcoming, 1)
        # Skip acts at once, and can be taken back here for a while.
        self.undo_bar = QWidget()
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        self.undo_label = muted("")
        self.undo_button = QPushButton("Undo")
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        self._undo_id: int | None = None
        self.undo_button.clicked.connect(self._undo_skip)
        upcoming.body.addWidget(self.undo_bar)
        upcoming.body.addLayout(row)
        grid.addWidget(upcoming, 0, 1)
        self.calendar.clicked.connect(self._day_clicked)
        self.upcoming.currentRowChanged.connect(self._selected)
        current_follows_selection(self.upcoming)  # a screen reader picks a run by selecting it
        self.start_button.clicked.connect(self._start)
        self.skip_button.clicked.connect(lambda: self._emit_selected(self.skip_requested))
        self.move_button.clicked.connect(self._move)

        self.progress_card = Card("Your programs")
        self.progress_box = QVBoxLayout()
        self.progress_card.body.addLayout(self.progress_box)
        self.progress_card.body.addStretch(1)
        grid.addWidget(self.progress_card, 1, 0)

        enrol = Card("Start a program")
        form = QFormLayout()
        self.program = QComboBox()
        self.program_detail = wrapped("")
        self.start_date = QDateEdit(QDate.currentDate())
        self.start_date.setCalendarPopup(True)
        self.start_date.setDisplayFormat("ddd d MMM yyyy")
        days = QHBoxLayout()
        self.days: dict[str, QCheckBox] = {}
        for day in WEEKDAYS:
            box = QCheckBox(day.capitalize())
            box.setChecked(day in ("mon", "wed", "sat"))
            self.days[day] = box
            days.addWidget(box)
        self.time = QTimeEdit(QTime(18, 0))
        self.time.setDisplayFormat("HH:mm")
        self.enrol_button = QPushButton("Enrol")
        form.addRow("Program", self.program)
        form.addRow("", self.program_detail)
        form.addRow("First day", self.start_date)
        form.addRow("Run on", days)
        form.addRow("At", self.time)
        enrol.body.addLayout(form)
        enrol.body.addWidget(self.enrol_button)
        grid.addWidget(enrol, 1, 1)
        self.enrol_button.clicked.connect(self._enrol)
        self.program.currentIndexChanged.connect(self._program_changed)
        self._program_details: dict[str, str] = {}

        add = Card("Add a run")
        form2 = QFormLayout()
        self.session = QComboBox()
        self.when = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.weeks = QSpinBox()
        self.weeks.setRange(0, 52)
        self.weeks.setSpecialValueText("just once")
        self.weeks.setSuffix(" weeks, every week")
        self.add_button = QPushButton("Add to plan")
        form2.addRow("Session", self.session)
        form2.addRow("When", self.when)
        form2.addRow("Repeat", self.weeks)
        add.body.addLayout(form2)
        add.body.addWidget(self.add_button)
        grid.addWidget(add, 2, 1)
        self.add_button.clicked.connect(self._add)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._grid = grid
        self._cards = [(self.calendar, 0, 0), (upcoming, 0, 1), (self.progress_card, 1, 0), (enrol, 1, 1), (add, 2, 1)]
        self._narrow: bool | None = None
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addLayout(grid)
        outer.addStretch(1)
        self._runs: list[UpcomingRun] = []
        self._marked: list[QDate] = []
        self._days: tuple[list[dt.date], list[dt.date]] = ([], [])  # done, skipped
        self._selected(-1)

    # --- filled by the controller ---------------------------------------------------------------------------
    def set_choices(self, programs: list[tuple[str, str, str]], sessions: list[tuple[str, str]]) -> None:
        """``(id, name, description)`` per program and ``(id, name)`` per session."""
        current = self.program.currentData()
        self.program.blockSignals(True)
        self.program.clear()
        self._program_details = {}
        for program_id, name, description in programs:
            self.program.addItem(name, program_id)
            self._program_details[program_id] = description
        self.program.setCurrentIndex(max(self.program.findData(current), 0))
        self.program.blockSignals(False)
        self._program_changed()
        chosen = self.session.currentData()
        self.session.clear()
        for session_id, name in sessions:
            self.session.addItem(name, session_id)
        self.session.setCurrentIndex(max(self.session.findData(chosen), 0))

    def show_upcoming(self, runs: list[UpcomingRun]) -> None:
        self._runs = runs
        self.upcoming.clear()
        for run in runs:
            self.upcoming.addItem(QListWidgetItem(f"{run.due:%a %d %b, %H:%M}  ·  {run.title}\n{run.detail}"))
        self._paint_marks()
        self.empty.setVisible(not runs)
        self._selected(self.upcoming.currentRow())

    def show_progress(self, lines: list[ProgressLine]) -> None:
        while self.progress_box.count():
            item = self.progress_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not lines:
            self.progress_box.addWidget(muted("No program yet. Couch to 5K is a good first one."))
        for line in lines:
            box = QWidget()
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 4, 0, 4)
            title = QHBoxLayout()
            title.addWidget(QLabel(f"<b>{line.title}</b>"), 1)
            if line.current_week is not None:
                repeat = QPushButton(f"Repeat week {line.current_week}")
                repeat.setToolTip("Do this week again before moving on: the rest of the plan moves a week later.")
                week = line.current_week
                repeat.clicked.connect(
                    lambda _c=False, i=line.enrolment_id, w=week: self.repeat_week_requested.emit(i, w)
                )
                title.addWidget(repeat)
            cancel = QPushButton("Leave")
            cancel.setToolTip("Leave this program: its planned runs are removed, the done ones stay.")
            cancel.clicked.connect(lambda _c=False, i=line.enrolment_id: self.cancel_requested.emit(i))
            title.addWidget(cancel)
            layout.addLayout(title)
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(round(line.fraction * 100))
            layout.addWidget(bar)
            layout.addWidget(muted(line.detail))
            self.progress_box.addWidget(box)

    # --- user actions ---------------------------------------------------------------------------------------
    def _program_changed(self) -> None:
        self.program_detail.setText(self._program_details.get(str(self.program.currentData()), ""))

    def _selected(self, row: int) -> None:
        has = 0 <= row < len(self._runs)
        for w in (self.start_button, self.skip_button, self.move_button, self.move_to):
            w.setEnabled(has)
        if has:
            due = self._runs[row].due
            self.move_to.setDateTime(QDateTime(QDate(due.year, due.month, due.day), QTime(due.hour, due.minute)))
        else:
            self.move_to.setDateTime(self.move_to.minimumDateTime())

    def selected_run(self) -> UpcomingRun | None:
        row = self.upcoming.currentRow()
        return self._runs[row] if 0 <= row < len(self._runs) else None

    def _emit_selected(self, signal: SignalInstance) -> None:
        run = self.selected_run()
        if run is not None:
            signal.emit(run.scheduled_id)

    def _start(self) -> None:
        run = self.selected_run()
        if run is not None:
            self.start_requested.emit(run.scheduled_id, run.session_id)

    def _move(self) -> None:
        run = self.selected_run()
        moved = self.move_to.dateTime().toPython()
        if run is not None and isinstance(moved, dt.datetime):
            self.move_requested.emit(run.scheduled_id, moved.replace(second=0, microsecond=0))

    def _enrol(self) -> None:
        start = self.start_date.date().toPython()
        qtime = self.time.time()
        if self.program.currentData() is None or not isinstance(start, dt.date):
            return
        self.enrol_requested.emit(
            EnrolRequest(
                program_id=str(self.program.currentData()),
                start=start,
                days=tuple(d for d in WEEKDAYS if self.days[d].isChecked()),
                time=dt.time(qtime.hour(), qtime.minute()),
            )
        )

    def _add(self) -> None:
        when = self.when.dateTime().toPython()
        if self.session.currentData() is None or not isinstance(when, dt.datetime):
            return
        # Plans are kept to the minute; the editor shows no seconds, so none may slip in unseen.
        when = when.replace(second=0, microsecond=0)
        self.add_run_requested.emit(AddRunRequest(str(self.session.currentData()), when, self.weeks.value()))

    # --- skip with undo, days on the calendar, narrow windows ----------------------------------------------
    def show_skipped(self, scheduled_id: int, title: str) -> None:
        self._undo_id = scheduled_id
        self.undo_label.setText(f"Skipped {title}.")
        self.undo_bar.show()

    def _undo_skip(self) -> None:
        if self._undo_id is not None:
            self.undo_skip_requested.emit(self._undo_id)
        self._undo_id = None
        self.undo_bar.hide()

    def mark_days(self, done: list[dt.date], skipped: list[dt.date]) -> None:
        """Done runs in green, skipped ones struck through: the plan keeps its history."""
        self._days = (done, skipped)
        self._paint_marks()

    def _paint_marks(self) -> None:
        done, skipped = self._days
        planned = [r.due.date() for r in self._runs]
        self._marked = paint_days(
            self.calendar,
            planned=planned,
            done=done,
            skipped=skipped,
            previous=self._marked,
            dark=is_dark(self.palette()),
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_marks()  # a theme switch: the marks were painted in the other theme's colours

    def _day_clicked(self, day: QDate) -> None:
        for row, run in enumerate(self._runs):
            if (run.due.year, run.due.month, run.due.day) == (day.year(), day.month(), day.day()):
                self.upcoming.setCurrentRow(row)
                return

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Below 1000 px the cards stack in one column: side by side they made the page scroll sideways at
        # 800x480 and hid the Move button.
        narrow = self.width() < 1000
        if narrow != self._narrow:
            self._narrow = narrow
            for i, (widget, r, c) in enumerate(self._cards):
                self._grid.removeWidget(widget)
                if narrow:
                    self._grid.addWidget(widget, i, 0, 1, 2)
                else:
                    self._grid.addWidget(widget, r, c)

"""The first-run welcome: what do you want from running? One choice and one click set up a plan.

It also says, once and plainly, what the app is and is not: it supports wellbeing and does not replace
professional mental-health care. A pure view: the caller reads ``choice()`` and ``schedule()`` after accept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from runcompanion.core.notices import CARE_NOTICE, PRIVACY_NOTICE
from runcompanion.ui.common.widgets import heading, muted, named, wrapped


@dataclass(frozen=True, slots=True)
class Goal:
    key: str
    title: str
    detail: str
    program_id: str | None  # None: just explore, no plan


GOALS = (
    Goal("start", "Start running", "Couch to 5K: nine weeks from walking to 30 minutes of running.", "c25k"),
    Goal(
        "mindful", "Run mindfully", "Four weeks of easy runs with breath, rhythm and body-scan cues.", "mindful-running"
    ),
    Goal("intervals", "Train intervals", "Six weeks of short, fast repeats, built up gently.", "intervals-focus"),
    Goal("explore", "Just explore", "No plan for now: look around and start any session you like.", None),
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_DAYS = ("mon", "wed", "sat")


@dataclass(frozen=True, slots=True)
class Schedule:
    days: tuple[str, ...]
    time: dt.time


class WelcomeDialog(QDialog):
    """``runs_per_week`` by program id: "Let's go" waits until that many days are ticked, and says so, so the
    dialog never closes on a choice that cannot become a plan."""

    def __init__(self, parent: QWidget | None = None, *, runs_per_week: dict[str, int] | None = None) -> None:
        super().__init__(parent)
        self._runs_per_week = runs_per_week or {}
        self.setWindowTitle("Welcome to RunCompanion")
        self.setMinimumWidth(560)
        # The choices scroll and "Let's go" stays: the whole dialog is taller than a 480 px screen.
        outer = QVBoxLayout(self)
        scroll = named(QScrollArea(), "Choices")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)
        layout.addWidget(heading("Welcome", 20))
        layout.addWidget(wrapped("What would you like running to do for you? You can change this any time in Plan."))

        self._group = QButtonGroup(self)
        self._radios: dict[str, QRadioButton] = {}
        for goal in GOALS:
            radio = QRadioButton(goal.title)
            radio.setStyleSheet("font-weight: bold;")
            self._group.addButton(radio)
            self._radios[goal.key] = radio
            layout.addWidget(radio)
            detail = muted(goal.detail)
            detail.setContentsMargins(24, 0, 0, 6)
            layout.addWidget(detail)
        self._radios["start"].setChecked(True)

        layout.addWidget(QLabel("Run on:"))
        days_row = QHBoxLayout()
        self._days: dict[str, QCheckBox] = {}
        for day in WEEKDAYS:
            box = QCheckBox(day.capitalize())
            box.setChecked(day in DEFAULT_DAYS)
            self._days[day] = box
            days_row.addWidget(box)
        self.time = QTimeEdit(QTime(18, 0))
        self.time.setAccessibleName("Time of day")
        self.time.setDisplayFormat("HH:mm")
        days_row.addSpacing(12)
        days_row.addWidget(QLabel("at"))
        days_row.addWidget(self.time)
        days_row.addStretch(1)
        layout.addLayout(days_row)
        self.why = muted("")
        self.why.setObjectName("whyNotYet")
        layout.addWidget(self.why)
        for box in self._days.values():
            box.toggled.connect(self._update)
        self._group.buttonToggled.connect(lambda *_: self._update())

        care = wrapped(CARE_NOTICE)
        care.setObjectName("careNotice")
        care.setStyleSheet("font-weight: bold; margin-top: 10px;")
        layout.addWidget(care)
        layout.addWidget(muted(PRIVACY_NOTICE))

        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Let's go", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        outer.addWidget(buttons)
        self._update()
        room = self.screen().availableGeometry().height() - 60
        self.resize(max(560, content.sizeHint().width() + 40), min(content.sizeHint().height() + 70, room))

    def choice(self) -> Goal:
        for goal in GOALS:
            if self._radios[goal.key].isChecked():
                return goal
        return GOALS[-1]

    def choose(self, key: str) -> None:
        self._radios[key].setChecked(True)

    def schedule(self) -> Schedule:
        qtime = self.time.time()
        return Schedule(
            days=tuple(d for d in WEEKDAYS if self._days[d].isChecked()),
            time=dt.time(qtime.hour(), qtime.minute()),
        )

    def _update(self) -> None:
        planning = self.choice().program_id is not None
        for box in self._days.values():
            box.setEnabled(planning)
        self.time.setEnabled(planning)
        goal = self.choice()
        needed = max(self._runs_per_week.get(goal.program_id or "", 1), 1) if planning else 0
        ticked = len(self.schedule().days)
        ready = ticked >= needed
        self.ok_button.setEnabled(ready)
        if ready:
            reason = ""
        elif needed == 1:
            reason = "Tick a day of the week to run on."
        else:
            reason = f"{goal.title} has {needed} runs a week: tick at least {needed} days ({ticked} ticked)."
        self.why.setText(reason)
        self.why.setVisible(bool(reason))
        self.ok_button.setToolTip(reason)
        self.ok_button.setAccessibleDescription(reason)

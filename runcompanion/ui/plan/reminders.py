"""Reminders while the app runs: a tray icon, a notification before a planned run and when it is due, and a
click on the notification starts that run. The window can close to the tray so reminders keep coming.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from runcompanion.ui.common.tasks import TaskRunner

if TYPE_CHECKING:
    from runcompanion.services.plan_service import PlanService
    from runcompanion.storage.records import ScheduledRunRecord

CHECK_EVERY_MS = 30_000


@dataclass(frozen=True, slots=True)
class Reminder:
    scheduled_id: int
    session_id: str
    title: str
    text: str
    key: tuple[int, str]  # (scheduled id, "soon" | "due"): each is said once


def reminders_due(
    runs: Sequence[tuple[int, str, str, dt.datetime]], now: dt.datetime, before_min: int, said: set[tuple[int, str]]
) -> list[Reminder]:
    """Which notifications to show now for ``(id, session id, title, due)`` runs (local, naive times)."""
    out: list[Reminder] = []
    for scheduled_id, session_id, title, due in runs:
        if due <= now < due + dt.timedelta(minutes=30):
            key = (scheduled_id, "due")
            text = f"Time for {title}. Click to start."
        elif before_min and due - dt.timedelta(minutes=before_min) <= now < due:
            key = (scheduled_id, "soon")
            text = f"{title} at {due:%H:%M}. Click to start when you are ready."
        else:
            continue
        if key not in said:
            out.append(Reminder(scheduled_id, session_id, "Your run", text, key))
    return out


class Reminders(QObject):
    """Must be used from the GUI thread."""

    def __init__(
        self,
        *,
        window: QWidget,
        tasks: TaskRunner,
        plan: PlanService,
        icon: QIcon,
        before_min: Callable[[], int],
        start_run: Callable[[str, int], object],
        quit_app: Callable[[], object],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = tasks
        self._plan = plan
        self._before_min = before_min
        self._start_run = start_run
        self._said: set[tuple[int, str]] = set()
        self._last: Reminder | None = None
        self.shown: list[Reminder] = []
        self.tray = QSystemTrayIcon(icon, self)
        self.tray.setToolTip("RunCompanion")
        menu = QMenu(window)
        show = QAction("Open RunCompanion", menu)
        show.triggered.connect(self.show_window)
        leave = QAction("Quit", menu)
        leave.triggered.connect(quit_app)
        menu.addAction(show)
        menu.addAction(leave)
        self.tray.setContextMenu(menu)
        self.tray.activated.connect(lambda _reason: self.show_window())
        self.tray.messageClicked.connect(self._clicked)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        QTimer.singleShot(0, self.check)

    @property
    def available(self) -> bool:
        return self.tray.isVisible()

    def show_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def check(self, now: dt.datetime | None = None) -> None:
        moment = now or dt.datetime.now()

        def load() -> list[ScheduledRunRecord]:
            # From half an hour ago: a run that just came due still gets its "time to run".
            return self._plan.scheduled(
                status="planned",
                start=moment - dt.timedelta(minutes=30),
                end=moment + dt.timedelta(minutes=self._before_min() + 1),
            )

        def show(runs: list[ScheduledRunRecord]) -> None:
            rows = [(r.id, r.session_id, r.title, r.due_at) for r in runs]
            for reminder in reminders_due(rows, moment, self._before_min(), self._said):
                self._said.add(reminder.key)
                self._last = reminder
                self.shown.append(reminder)
                self.tray.showMessage(reminder.title, reminder.text, QSystemTrayIcon.MessageIcon.Information, 20_000)

        self._tasks.run(load, show, lambda _exc: None)

    def _clicked(self) -> None:
        if self._last is not None:
            self.show_window()
            self._start_run(self._last.session_id, self._last.scheduled_id)

"""Wires the plan service to the Plan page: enrol, the runs coming up (start, skip, move), progress, .ics export.

Runs on the GUI thread; every database touch goes through the TaskRunner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from runcompanion.storage.records import ScheduledRunRecord
from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.common.widgets import format_minutes
from runcompanion.ui.plan.plan_page import AddRunRequest, EnrolRequest, PlanPage, ProgressLine, UpcomingRun
from runcompanion.ui.shell.controller import show_error

if TYPE_CHECKING:
    from runcompanion.core.session_plan import SessionPlan
    from runcompanion.services.plan_service import EnrolmentProgress, PlanService

_Loaded = tuple[
    list["ScheduledRunRecord"], list["EnrolmentProgress"], list[tuple[str, str, str]], list[tuple[str, str]]
]


class PlanController(QObject):
    """``changed`` fires after the plan was written (Today shows the next run)."""

    changed = Signal()

    def __init__(
        self,
        *,
        window: QWidget,
        tasks: TaskRunner,
        plan: PlanService,
        sessions: Callable[[], list[SessionPlan]],
        start_run: Callable[[str, int | None], object],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = tasks
        self._plan = plan
        self._sessions = sessions
        self._start_run = start_run
        self.page: PlanPage | None = None

    def attach_page(self, page: PlanPage) -> None:
        self.page = page
        page.enrol_requested.connect(self.enrol)
        page.add_run_requested.connect(self.add_run)
        page.start_requested.connect(lambda scheduled_id, session_id: self._start_run(session_id, scheduled_id))
        page.skip_requested.connect(self.skip)
        page.undo_skip_requested.connect(
            lambda i: self._write(lambda: self._plan.unskip(i), "Could not bring the run back")
        )
        page.move_requested.connect(
            lambda i, when: self._write(lambda: self._plan.move(i, when), "Could not move the run")
        )
        page.cancel_requested.connect(self.leave_program)
        page.repeat_week_requested.connect(
            lambda enrolment_id, week: self._write(
                lambda: self._plan.repeat_week(enrolment_id, week), "Could not repeat the week"
            )
        )
        page.export_requested.connect(self.export)
        self.refresh()

    def refresh(self) -> None:
        if self.page is None:
            return

        def load() -> _Loaded:
            programs = [(p.id, p.name, p.description) for p in self._plan.programs.all()]
            sessions = [(s.id, s.name) for s in self._sessions()]
            return self._plan.upcoming(60), self._plan.all_progress(), programs, sessions

        def days() -> tuple[list[dt.date], list[dt.date]]:
            done = [r.due_at.date() for r in self._plan.scheduled(status="done")]
            return done, [r.due_at.date() for r in self._plan.scheduled(status="skipped")]

        def show(loaded: _Loaded) -> None:
            self._show(loaded)
            self._tasks.run(days, lambda d: self.page.mark_days(*d) if self.page is not None else None, log_failure)

        def log_failure(exc: BaseException) -> None:
            show_error(self._window, "Could not read your plan", exc)

        self._tasks.run(load, show, log_failure)

    def _show(self, loaded: _Loaded) -> None:
        upcoming, progress, programs, sessions = loaded
        if self.page is None:
            return
        self.page.set_choices(programs, sessions)
        self.page.show_upcoming(
            [
                UpcomingRun(
                    scheduled_id=r.id,
                    session_id=r.session_id,
                    due=r.due_at,
                    title=r.title,
                    detail=format_minutes(r.duration_s) + (f" · week {r.week}" if r.week else ""),
                )
                for r in upcoming
            ]
        )
        lines = []
        for p in progress:
            if p.enrolment.status != "active":
                continue
            week = f"week {p.current_week} of {p.weeks}" if p.current_week else f"{p.weeks} weeks"
            lines.append(
                ProgressLine(
                    enrolment_id=p.enrolment.id,
                    title=p.program_name,
                    detail=f"{week} · {p.done} of {p.total} runs done"
                    + (f", {p.skipped} skipped" if p.skipped else ""),
                    fraction=p.fraction_done,
                    current_week=p.current_week,
                )
            )
        self.page.show_progress(lines)

    def _write(
        self, action: Callable[[], object], failure_title: str, done: Callable[[object], object] | None = None
    ) -> None:
        def finished(result: object) -> None:
            self.refresh()
            self.changed.emit()
            if done is not None:
                done(result)

        self._tasks.run(action, finished, lambda e: show_error(self._window, failure_title, e))

    def skip(self, scheduled_id: int) -> None:
        def skipped(record: object) -> None:
            if self.page is not None and isinstance(record, ScheduledRunRecord):
                self.page.show_skipped(record.id, record.title)

        self._write(lambda: self._plan.skip(scheduled_id), "Could not skip the run", skipped)

    def enrol(self, request: EnrolRequest) -> None:
        if not request.days:
            QMessageBox.information(self._window, "Choose your days", "Tick at least one day of the week to run on.")
            return

        def enrol(replace: bool) -> None:
            self._write(
                lambda: self._plan.enrol(
                    request.program_id, request.start, request.days, request.time, replace=replace
                ),
                "Could not enrol",
            )

        def checked(active: list[str]) -> None:
            if active:
                self._ask_replace(active, request.program_id, enrol)
            else:
                enrol(False)

        self._tasks.run(
            self._plan.active_programs, checked, lambda e: show_error(self._window, "Could not read your plan", e)
        )

    def _ask_replace(self, active: list[str], program_id: str, enrol: Callable[[bool], None]) -> None:
        """A runner follows one program at a time, as the phone apps have it: Replace is the default. Keep both
        is there for a runner who wants two (on different days: a clash is refused with the days named)."""
        name = self._plan.programs.get(program_id).name
        current = " and ".join(active)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace your program?",
            f"You are following {current}. Replace it with {name}?\n\n"
            f"Its planned runs leave your calendar; runs you have done stay in your journal. "
            f"Keep both adds {name} beside it, on days it has no run.",
            QMessageBox.StandardButton.NoButton,
            self._window,
        )
        replace = box.addButton(f"Replace with {name}", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep both", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(replace)
        box.setObjectName("replaceProgram")

        def answered() -> None:
            clicked = box.clickedButton()
            if clicked is replace:
                enrol(True)
            elif clicked is keep:
                enrol(False)

        box.finished.connect(answered)
        box.open()

    def enrol_now(self, program_id: str, days: tuple[str, ...], at: dt.time) -> None:
        """The welcome's two-click plan: this program, from today."""
        self.enrol(EnrolRequest(program_id, dt.date.today(), days, at))

    def add_run(self, request: AddRunRequest) -> None:
        if request.weekly_weeks:
            when = request.when
            self._write(
                lambda: self._plan.schedule_weekly(
                    request.session_id, when.strftime("%a").lower(), when.time(), weeks=request.weekly_weeks
                ),
                "Could not add the runs",
            )
        else:
            self._write(lambda: self._plan.schedule_once(request.session_id, request.when), "Could not add the run")

    def leave_program(self, enrolment_id: int) -> None:
        answer = QMessageBox.question(
            self._window,
            "Leave this program?",
            "Its planned runs are removed from your plan. Runs you have done stay in your journal.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._write(lambda: self._plan.cancel_enrolment(enrolment_id), "Could not leave the program")

    def reload(self, *_ignored: object) -> None:
        """Something else changed the plan (a run's end marked its scheduled run done): show it again."""
        self.refresh()
        self.changed.emit()

    def export(self) -> None:
        default = Path.home() / "runcompanion-plan.ics"
        name, _ = QFileDialog.getSaveFileName(self._window, "Export your plan", str(default), "Calendar (*.ics)")
        if name:
            out = Path(name)
            self._write(
                lambda: self._plan.export_ics(out),
                "Could not export your plan",
                lambda count: QMessageBox.information(
                    self._window, "Plan exported", f"Wrote {count} runs to {out}. Open it with your calendar app."
                ),
            )

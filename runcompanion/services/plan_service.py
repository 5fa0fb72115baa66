"""The plan: enrolling in programs, the runs on the calendar, and what the runner does with them.

``PlanService`` is what the Plan and Today screens and the ``plan`` command call. It lays runs out with the
pure ``core.plan_layout`` and keeps them with ``storage.schedule_repository``. Due times are naive local
wall-clock times (see ``storage.records``).

Threads: like the repositories, every method does its own transactions; call it from one thread at a time,
a worker in the GUI, never the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from runcompanion.core.errors import UserError
from runcompanion.core.plan_layout import (
    MAX_FUTURE_START_DAYS,
    PlacedRun,
    check_due,
    check_start_date,
    layout_enrolment,
    one_year_before,
    repeat_week,
    weekly_dates,
)
from runcompanion.core.programs import Program, ProgramLibrary
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.units import SpeedUnit
from runcompanion.services.calendar_export import DEFAULT_REMINDER, build_calendar, write_ics
from runcompanion.storage.records import (
    EnrolmentRecord,
    NewScheduledRun,
    ScheduledRunRecord,
    ScheduledRunStatus,
)
from runcompanion.storage.schedule_repository import (
    EnrolmentNotFoundError,
    ScheduledRunNotFoundError,
    ScheduleRepository,
)

DEFAULT_WEEKLY_OCCURRENCES = 4


class EnrolmentClashError(UserError):
    """A new program's runs would fall on days that another program already has runs on."""

    def __init__(self, other: str, days: int, first: dt.date) -> None:
        more = f" and {days - 1} more day{'s' if days > 2 else ''}" if days > 1 else ""
        super().__init__(
            f"{other} already has runs on {first:%a %d %b %Y}{more}: choose other days, or replace {other}."
        )
        self.other = other
        self.days = days


@dataclass(frozen=True, slots=True)
class Enrolled:
    """A new enrolment with the runs it put on the calendar, soonest first."""

    enrolment: EnrolmentRecord
    program: Program
    runs: list[ScheduledRunRecord]


@dataclass(frozen=True, slots=True)
class EnrolmentProgress:
    """How far an enrolment has come. ``total`` counts every run it has on the calendar (a repeated week adds
    runs); ``current_week`` is the program week of the next planned run, None when none is left."""

    enrolment: EnrolmentRecord
    program_name: str
    weeks: int
    total: int
    done: int
    skipped: int
    planned: int
    current_week: int | None
    next_run: ScheduledRunRecord | None

    @property
    def fraction_done(self) -> float:
        return self.done / self.total if self.total else 0.0


def local_wall_clock() -> dt.datetime:
    """Now, as naive local wall-clock time (what due times are)."""
    return dt.datetime.now()


def new_uid() -> str:
    """A fresh iCalendar UID for a scheduled run: a random UUID (RFC 7986 recommends one)."""
    return str(uuid.uuid4())


class PlanService:
    """Enrol, lay out, skip, move and repeat runs; progress; one-off and weekly runs; calendar export.

    ``find_session`` resolves a built-in or own session id (``SessionCatalog.get``: raises ``UserError`` for
    an unknown id); program session ids are resolved through ``programs`` first. ``now`` gives naive local
    time, ``stamp`` aware time for calendar exports, ``new_uid`` the UID of each new scheduled run.
    """

    def __init__(
        self,
        repository: ScheduleRepository,
        programs: ProgramLibrary,
        find_session: Callable[[str], SessionPlan],
        *,
        now: Callable[[], dt.datetime] = local_wall_clock,
        stamp: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        uid_factory: Callable[[], str] = new_uid,
    ) -> None:
        self._repository = repository
        self._programs = programs
        self._find_session = find_session
        self._now = now
        self._stamp = stamp
        self._new_uid = uid_factory

    @property
    def programs(self) -> ProgramLibrary:
        return self._programs

    # ------------------------------------------------------------------------------------------ sessions

    def session(self, session_id: str) -> SessionPlan:
        """Any session by id: a program run, a built-in or an own session. ``UserError`` if there is none."""
        return self._programs.session(session_id) or self._find_session(session_id)

    def find_session(self, session_id: str) -> SessionPlan | None:
        """Like ``session`` but None when the session no longer exists (an own session was deleted)."""
        try:
            return self.session(session_id)
        except UserError:
            return None

    # ------------------------------------------------------------------------------------------ enrolment

    def enrol(
        self, program_id: str, start: dt.date, days: Sequence[str], at: dt.time, *, replace: bool = False
    ) -> Enrolled:
        """Enrol in a program from ``start`` on ``days`` at ``at`` and put all its runs on the calendar.

        ``UserError`` for an unknown program, a start more than a year ago (or two years ahead), fewer days
        than the program has runs a week, or when already enrolled in the program (leave that first).
        ``EnrolmentClashError`` when a run would fall on a day another program already has a run on: two
        programs never book two runs on one day. With ``replace`` every program followed now is cancelled in
        the same transaction instead (its planned runs go; runs done stay in the journal).
        """
        program = self._programs.get(program_id)
        check_start_date(start, self._now().date())
        active = [e for e in self._repository.list_enrolments() if e.status == "active"]
        if not replace:
            for enrolment in active:
                if enrolment.program_id == program.id:
                    raise UserError(
                        f"You are already following {program.name} (since {enrolment.start_date.isoformat()}); "
                        "leave it first to start again (Leave on the Plan page, or "
                        f"runcompanion plan cancel {enrolment.id})."
                    )
        slots = layout_enrolment(start, days, at, program.runs_per_week)
        if not replace:
            self._refuse_clashes(active, {slot.due_at.date() for slot in slots})
        runs = [
            self._new_run(program.run(slot.week, slot.run_number), slot.due_at, week=slot.week, run=slot.run_number)
            for slot in slots
        ]
        enrolment = self._repository.add_enrolment(
            program.id, start, days, at, runs, replacing=[e.id for e in active] if replace else ()
        )
        return Enrolled(enrolment, program, self._repository.list_scheduled(enrolment_id=enrolment.id))

    def _refuse_clashes(self, active: Sequence[EnrolmentRecord], new_days: set[dt.date]) -> None:
        for enrolment in active:
            planned = self._repository.list_scheduled(enrolment_id=enrolment.id)
            shared = sorted({r.due_at.date() for r in planned if r.status == "planned"} & new_days)
            if shared:
                name = self._programs.get(enrolment.program_id).name
                raise EnrolmentClashError(name, len(shared), shared[0])

    def active_programs(self) -> list[str]:
        """The names of the programs followed now (the GUI asks whether to replace them)."""
        names = []
        for enrolment in self._repository.list_enrolments():
            if enrolment.status == "active":
                names.append(self._programs.get(enrolment.program_id).name)
        return names

    def enrolments(self) -> list[EnrolmentRecord]:
        """Every enrolment, oldest first."""
        return self._repository.list_enrolments()

    def cancel_enrolment(self, enrolment_id: int) -> EnrolmentRecord:
        """Stop following a program: its planned runs leave the calendar; done and skipped ones stay."""
        return self._repository.set_enrolment_status(enrolment_id, "cancelled", drop_planned=True)

    def progress(self, enrolment_id: int) -> EnrolmentProgress:
        enrolment = self._repository.get_enrolment(enrolment_id)
        if enrolment is None:
            raise EnrolmentNotFoundError(enrolment_id)
        return self._progress(enrolment)

    def all_progress(self) -> list[EnrolmentProgress]:
        """Progress of every enrolment, oldest first."""
        return [self._progress(e) for e in self._repository.list_enrolments()]

    def repeat_week(self, enrolment_id: int, week: int) -> list[ScheduledRunRecord]:
        """Do a program week again: later weeks move one week on and the week's runs are added after it.

        Returns the added runs. ``UserError`` if the enrolment is not active or has no runs in that week.
        """
        enrolment = self._active_enrolment(enrolment_id)
        program = self._programs.get(enrolment.program_id)
        scheduled = self._repository.list_scheduled(enrolment_id=enrolment_id)
        placed = [
            PlacedRun(r.id, r.week, r.run_number, r.due_at)
            for r in scheduled
            if r.week is not None and r.run_number is not None
        ]
        layout = repeat_week(placed, week)
        runs = [
            self._new_run(
                program.run(slot.week, slot.run_number),
                slot.due_at,
                week=slot.week,
                run=slot.run_number,
                enrolment_id=enrolment_id,
            )
            for slot in layout.added
        ]
        return self._repository.shift_and_add(layout.moved, runs)

    # ------------------------------------------------------------------------------------------ the runs

    def upcoming(self, limit: int = 10) -> list[ScheduledRunRecord]:
        """Planned runs from now on (local time), soonest first."""
        return self._repository.upcoming(self._now().replace(second=0, microsecond=0), limit)

    def scheduled(
        self,
        *,
        enrolment_id: int | None = None,
        status: ScheduledRunStatus | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> list[ScheduledRunRecord]:
        """Scheduled runs by due time, optionally of one enrolment, with one status, or due in [start, end)."""
        return self._repository.list_scheduled(start=start, end=end, enrolment_id=enrolment_id, status=status)

    def get(self, scheduled_run_id: int) -> ScheduledRunRecord:
        record = self._repository.get_scheduled(scheduled_run_id)
        if record is None:
            raise ScheduledRunNotFoundError(scheduled_run_id)
        return record

    def skip(self, scheduled_run_id: int) -> ScheduledRunRecord:
        """Mark a planned run skipped. ``UserError`` if it was already done."""
        record = self.get(scheduled_run_id)
        if record.status == "done":
            raise UserError(f"“{record.title}” is already done, so it cannot be skipped.")
        updated = self._repository.set_status(scheduled_run_id, "skipped")
        self._settle_enrolment(updated.enrolment_id)
        return updated

    def unskip(self, scheduled_run_id: int) -> ScheduledRunRecord:
        """Put a skipped run back on the plan, at the time it had."""
        record = self.get(scheduled_run_id)
        if record.status != "skipped":
            return record
        updated = self._repository.set_status(scheduled_run_id, "planned")
        self._settle_enrolment(updated.enrolment_id)
        return updated

    def move(self, scheduled_run_id: int, when: dt.datetime) -> ScheduledRunRecord:
        """Move a run to a new day and time (naive local, whole minutes). A skipped run becomes planned again.

        ``UserError`` if it was already done, or for a time more than a year back or two years ahead.
        """
        record = self.get(scheduled_run_id)
        if record.status == "done":
            raise UserError(f"“{record.title}” is already done, so it cannot be moved.")
        self._check_date(when)
        updated = self._repository.move_scheduled(scheduled_run_id, check_due(when))
        self._settle_enrolment(updated.enrolment_id)
        return updated

    def mark_done(self, scheduled_run_id: int, run_id: int) -> ScheduledRunRecord:
        """A run that came from this scheduled run ended finished: mark it done and link the run; the last
        planned run of an enrolment done (or skipped) finishes it. A guided run does this as it ends."""
        return self._repository.mark_done(scheduled_run_id, run_id)

    def schedule_once(self, session_id: str, when: dt.datetime) -> ScheduledRunRecord:
        """Put one run of any session on the calendar. ``UserError`` for an unknown session or a past time."""
        plan = self.session(session_id)
        check_due(when)
        if when < self._now():
            raise UserError(f"{when:%Y-%m-%d %H:%M} has already passed; choose a later time.")
        self._check_date(when)
        return self._repository.add_scheduled_runs([self._new_run(plan, when)])[0]

    def schedule_weekly(
        self, session_id: str, weekday: str, at: dt.time, weeks: int = DEFAULT_WEEKLY_OCCURRENCES
    ) -> list[ScheduledRunRecord]:
        """The same session every week on ``weekday`` at ``at``, ``weeks`` times, from the next such day on."""
        plan = self.session(session_id)
        dates = weekly_dates(self._now().replace(second=0, microsecond=0), weekday, at, weeks)
        return self._repository.add_scheduled_runs([self._new_run(plan, d, recurrence=True) for d in dates])

    # -------------------------------------------------------------------------------------- calendar

    def export_ics(
        self,
        path: Path,
        *,
        reminder: dt.timedelta | None = DEFAULT_REMINDER,
        unit: SpeedUnit = SpeedUnit.KMH,
    ) -> int:
        """Write every planned run to an iCalendar file (atomically, 0600). Returns how many runs it holds."""
        runs = self._repository.list_scheduled(status="planned")
        calendar = build_calendar(runs, self.find_session, stamp=self._stamp(), reminder=reminder, unit=unit)
        write_ics(path, calendar)
        return len(runs)

    # -------------------------------------------------------------------------------------- internals

    def _new_run(
        self,
        plan: SessionPlan,
        due_at: dt.datetime,
        *,
        week: int | None = None,
        run: int | None = None,
        recurrence: bool = False,
        enrolment_id: int | None = None,
    ) -> NewScheduledRun:
        return NewScheduledRun(
            uid=self._new_uid(),
            session_id=plan.id,
            title=plan.name,
            due_at=check_due(due_at),
            duration_s=plan.total_s,
            week=week,
            run_number=run,
            recurrence="weekly" if recurrence else None,
            enrolment_id=enrolment_id,
        )

    def _check_date(self, when: dt.datetime) -> None:
        today = self._now().date()
        if when.date() < one_year_before(today) or when.date() > today + dt.timedelta(days=MAX_FUTURE_START_DAYS):
            raise UserError(f"{when:%Y-%m-%d} is too far away; choose a day between a year ago and two years from now.")

    def _active_enrolment(self, enrolment_id: int) -> EnrolmentRecord:
        enrolment = self._repository.get_enrolment(enrolment_id)
        if enrolment is None:
            raise EnrolmentNotFoundError(enrolment_id)
        if enrolment.status == "cancelled":
            raise UserError(f"That enrolment in {self._program_name(enrolment)} was cancelled.")
        return enrolment

    def _settle_enrolment(self, enrolment_id: int | None) -> None:
        """Finished when nothing is left planned; active again when something is (after unskip or a move)."""
        if enrolment_id is None:
            return
        enrolment = self._repository.get_enrolment(enrolment_id)
        if enrolment is None or enrolment.status == "cancelled":
            return
        left = self._repository.count_planned(enrolment_id)
        if enrolment.status == "active" and left == 0:
            self._repository.set_enrolment_status(enrolment_id, "finished")
        elif enrolment.status == "finished" and left > 0:
            self._repository.set_enrolment_status(enrolment_id, "active")

    def _progress(self, enrolment: EnrolmentRecord) -> EnrolmentProgress:
        runs = self._repository.list_scheduled(enrolment_id=enrolment.id)
        planned = [r for r in runs if r.status == "planned"]
        program = self._programs.find(enrolment.program_id)
        next_run = planned[0] if planned else None
        return EnrolmentProgress(
            enrolment=enrolment,
            program_name=self._program_name(enrolment),
            weeks=len(program.weeks) if program else max((r.week or 0 for r in runs), default=0),
            total=len(runs),
            done=sum(r.status == "done" for r in runs),
            skipped=sum(r.status == "skipped" for r in runs),
            planned=len(planned),
            current_week=next_run.week if next_run else None,
            next_run=next_run,
        )

    def _program_name(self, enrolment: EnrolmentRecord) -> str:
        program = self._programs.find(enrolment.program_id)
        return program.name if program else enrolment.program_id

"""The plan: program enrolments and the runs they (or the runner) put on the calendar."""

from __future__ import annotations

import builtins
import datetime as dt
import math
from collections.abc import Callable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from runcompanion.core.errors import UserError
from runcompanion.core.plan_layout import check_due
from runcompanion.storage.database import Database
from runcompanion.storage.models import EnrolmentRow, ScheduledRunRow, require_aware, utc_now
from runcompanion.storage.records import (
    ENROLMENT_STATUSES,
    RECURRENCES,
    SCHEDULED_RUN_STATUSES,
    WEEKDAYS,
    EnrolmentRecord,
    EnrolmentStatus,
    NewScheduledRun,
    Recurrence,
    ScheduledRunRecord,
    ScheduledRunStatus,
    as_one_of,
)

_DAY_SEPARATOR = ","
_DUE_ORDER = (ScheduledRunRow.due_at, ScheduledRunRow.id)


def mark_done_in(session: Session, scheduled_run_id: int, run_id: int) -> bool:
    """Within the caller's transaction: the scheduled run is done by ``run_id``, and its enrolment is finished
    when nothing of it is left planned. False, changing nothing, when the scheduled run is gone (its plan was
    cancelled during the run): the run itself still ends."""
    row = session.get(ScheduledRunRow, scheduled_run_id)
    if row is None:
        return False
    row.status = "done"
    row.run_id = run_id
    session.flush()
    if row.enrolment_id is not None:
        enrolment = session.get(EnrolmentRow, row.enrolment_id)
        planned = select(func.count(ScheduledRunRow.id)).where(
            ScheduledRunRow.enrolment_id == row.enrolment_id, ScheduledRunRow.status == "planned"
        )
        if enrolment is not None and enrolment.status == "active" and not session.scalar(planned):
            enrolment.status = "finished"
    return True


class EnrolmentNotFoundError(UserError):
    """No enrolment has this id."""

    def __init__(self, enrolment_id: int) -> None:
        super().__init__(f"There is no enrolment with the id {enrolment_id}.")
        self.enrolment_id = enrolment_id


class ScheduledRunNotFoundError(UserError):
    """No scheduled run has this id."""

    def __init__(self, scheduled_run_id: int) -> None:
        super().__init__(f"There is no scheduled run with the id {scheduled_run_id}.")
        self.scheduled_run_id = scheduled_run_id


class ScheduleRepository:
    """Saves and reads enrolments and scheduled runs. Hands out records only.

    Threads: every method is one transaction of its own. Call it from one thread at a time; the app calls it
    from its storage worker thread, never from the GUI thread.
    """

    def __init__(self, database: Database, *, now: Callable[[], dt.datetime] = utc_now) -> None:
        """``now`` gives the current aware time for ``created_at`` (a fixed clock in tests)."""
        self._database = database
        self._now = now

    def add_enrolment(
        self,
        program_id: str,
        start_date: dt.date,
        days: Sequence[str],
        time: dt.time,
        scheduled_runs: Sequence[NewScheduledRun] = (),
        *,
        replacing: Sequence[int] = (),
    ) -> EnrolmentRecord:
        """Enrol in a program (status ``active``) and add its scheduled runs, all in one transaction.

        ``days`` are names from ``WEEKDAYS`` (stored in week order); ``time`` is a local time in whole
        minutes. The runs must not name an enrolment: each gets the new one's id. The enrolments in
        ``replacing`` are cancelled in the same transaction (their planned runs deleted, done and skipped ones
        kept), so a program replaced by another is never half swapped.
        """
        if not program_id:
            raise ValueError("an enrolment needs a program id")
        days_text = _encode_days(days)
        time_text = _encode_time(time)
        if any(run.enrolment_id is not None for run in scheduled_runs):
            raise ValueError("runs added with a new enrolment must not name an enrolment already")
        created_at = self._stamp()
        with self._database.transaction() as session:
            for old_id in replacing:
                old = session.get(EnrolmentRow, old_id)
                if old is None:
                    raise ValueError(f"there is no enrolment {old_id} to replace")
                old.status = "cancelled"
                session.execute(
                    delete(ScheduledRunRow).where(
                        ScheduledRunRow.enrolment_id == old_id, ScheduledRunRow.status == "planned"
                    )
                )
            row = EnrolmentRow(
                program_id=program_id,
                start_date=start_date,
                days=days_text,
                time=time_text,
                status="active",
                created_at=created_at,
            )
            session.add(row)
            session.flush()
            self._insert_scheduled_runs(session, scheduled_runs, enrolment_id=row.id)
            return _enrolment_record(row)

    def add_scheduled_runs(self, runs: Sequence[NewScheduledRun]) -> builtins.list[ScheduledRunRecord]:
        """Put runs on the calendar (status ``planned``), all or none; return them in the order given.

        Raises ValueError if a ``uid`` repeats, within ``runs`` or against runs already saved.
        """
        with self._database.transaction() as session:
            rows = self._insert_scheduled_runs(session, runs, enrolment_id=None)
            return [_scheduled_run_record(row) for row in rows]

    def get_scheduled(self, scheduled_run_id: int) -> ScheduledRunRecord | None:
        """The scheduled run with this id, or None."""
        with self._database.transaction(write=False) as session:
            row = session.get(ScheduledRunRow, scheduled_run_id)
            return None if row is None else _scheduled_run_record(row)

    def upcoming(self, after: dt.datetime, limit: int = 10) -> builtins.list[ScheduledRunRecord]:
        """Planned runs due at or after ``after`` (naive local time), soonest first, at most ``limit``."""
        if limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        query = (
            select(ScheduledRunRow)
            .order_by(*_DUE_ORDER)
            .where(ScheduledRunRow.status == "planned", ScheduledRunRow.due_at >= _wall_clock(after, "after"))
            .limit(limit)
        )
        with self._database.transaction(write=False) as session:
            return [_scheduled_run_record(row) for row in session.scalars(query)]

    def list_scheduled(
        self,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        enrolment_id: int | None = None,
        status: ScheduledRunStatus | None = None,
    ) -> builtins.list[ScheduledRunRecord]:
        """Scheduled runs by due time, optionally only those due in ``[start, end)`` (naive local times), of
        one enrolment, or with one status."""
        query = select(ScheduledRunRow).order_by(*_DUE_ORDER)
        if start is not None:
            query = query.where(ScheduledRunRow.due_at >= _wall_clock(start, "start"))
        if end is not None:
            query = query.where(ScheduledRunRow.due_at < _wall_clock(end, "end"))
        if enrolment_id is not None:
            query = query.where(ScheduledRunRow.enrolment_id == enrolment_id)
        if status is not None:
            wanted = as_one_of(status, SCHEDULED_RUN_STATUSES, "a scheduled run's status")
            query = query.where(ScheduledRunRow.status == wanted)
        with self._database.transaction(write=False) as session:
            return [_scheduled_run_record(row) for row in session.scalars(query)]

    def mark_done(self, scheduled_run_id: int, run_id: int) -> ScheduledRunRecord:
        """``mark_done_in`` in a transaction of its own. Raises ``ScheduledRunNotFoundError`` for an unknown id."""
        with self._database.transaction() as session:
            if not mark_done_in(session, scheduled_run_id, run_id):
                raise ScheduledRunNotFoundError(scheduled_run_id)
        return self._require_scheduled(scheduled_run_id)

    def set_status(
        self, scheduled_run_id: int, status: ScheduledRunStatus, run_id: int | None = None
    ) -> ScheduledRunRecord:
        """Mark a scheduled run planned, done or skipped, and link the run that did it (``run_id``, or none).

        Raises ``ScheduledRunNotFoundError`` for an unknown id; ValueError for ``planned`` with a ``run_id``.
        """
        new_status = as_one_of(status, SCHEDULED_RUN_STATUSES, "a scheduled run's status")
        if new_status == "planned" and run_id is not None:
            raise ValueError("a planned run has not been run yet, so it cannot link a run")
        with self._database.transaction() as session:
            row = session.get(ScheduledRunRow, scheduled_run_id)
            if row is None:
                raise ScheduledRunNotFoundError(scheduled_run_id)
            row.status = new_status
            row.run_id = run_id
            session.flush()
            return _scheduled_run_record(row)

    def list_enrolments(self) -> builtins.list[EnrolmentRecord]:
        """Every enrolment, oldest first."""
        query = select(EnrolmentRow).order_by(EnrolmentRow.created_at, EnrolmentRow.id)
        with self._database.transaction(write=False) as session:
            return [_enrolment_record(row) for row in session.scalars(query)]

    def move_scheduled(self, scheduled_run_id: int, due_at: dt.datetime) -> ScheduledRunRecord:
        """Give a run a new due time (naive local); a skipped run becomes planned again. Returns it."""
        with self._database.transaction() as session:
            row = session.get(ScheduledRunRow, scheduled_run_id)
            if row is None:
                raise ScheduledRunNotFoundError(scheduled_run_id)
            row.due_at = check_due(due_at)
            if row.status == "skipped":
                row.status = "planned"
        return self._require_scheduled(scheduled_run_id)

    def shift_and_add(
        self, moves: Sequence[tuple[int, dt.datetime]], runs: Sequence[NewScheduledRun]
    ) -> builtins.list[ScheduledRunRecord]:
        """Move runs (id, new due time) and add ``runs`` (which name their enrolment), all in one transaction."""
        with self._database.transaction() as session:
            for scheduled_run_id, due_at in moves:
                row = session.get(ScheduledRunRow, scheduled_run_id)
                if row is None:
                    raise ScheduledRunNotFoundError(scheduled_run_id)
                row.due_at = check_due(due_at)
            rows = self._insert_scheduled_runs(session, runs, enrolment_id=None)
            ids = [row.id for row in rows]
        return [self._require_scheduled(i) for i in ids]

    def get_enrolment(self, enrolment_id: int) -> EnrolmentRecord | None:
        return next((e for e in self.list_enrolments() if e.id == enrolment_id), None)

    def set_enrolment_status(
        self, enrolment_id: int, status: EnrolmentStatus, *, drop_planned: bool = False
    ) -> EnrolmentRecord:
        """Mark an enrolment active, finished or cancelled; ``drop_planned`` also deletes its planned runs
        (done and skipped ones stay, as history)."""
        with self._database.transaction() as session:
            row = session.get(EnrolmentRow, enrolment_id)
            if row is None:
                raise EnrolmentNotFoundError(enrolment_id)
            row.status = status
            if drop_planned:
                session.execute(
                    delete(ScheduledRunRow).where(
                        ScheduledRunRow.enrolment_id == enrolment_id, ScheduledRunRow.status == "planned"
                    )
                )
        record = self.get_enrolment(enrolment_id)
        if record is None:  # pragma: no cover - it was there a moment ago, and nothing deletes enrolments
            raise EnrolmentNotFoundError(enrolment_id)
        return record

    def count_planned(self, enrolment_id: int) -> int:
        query = select(func.count(ScheduledRunRow.id)).where(
            ScheduledRunRow.enrolment_id == enrolment_id, ScheduledRunRow.status == "planned"
        )
        with self._database.transaction(write=False) as session:
            return session.scalar(query) or 0

    def _require_scheduled(self, scheduled_run_id: int) -> ScheduledRunRecord:
        record = self.get_scheduled(scheduled_run_id)
        if record is None:
            raise ScheduledRunNotFoundError(scheduled_run_id)
        return record

    def _insert_scheduled_runs(
        self, session: Session, runs: Sequence[NewScheduledRun], *, enrolment_id: int | None
    ) -> builtins.list[ScheduledRunRow]:
        uids = [run.uid for run in runs]
        repeated = sorted({uid for uid in uids if uids.count(uid) > 1})
        if repeated:
            raise ValueError(f"scheduled run uids must be unique; repeated: {', '.join(repeated)}")
        taken = sorted(session.scalars(select(ScheduledRunRow.uid).where(ScheduledRunRow.uid.in_(uids))))
        if taken:
            raise ValueError(f"scheduled run uids already in use: {', '.join(taken)}")
        created_at = self._stamp()
        rows = [
            ScheduledRunRow(
                uid=_non_empty(run.uid, "uid"),
                enrolment_id=run.enrolment_id if enrolment_id is None else enrolment_id,
                session_id=_non_empty(run.session_id, "session_id"),
                title=run.title,
                due_at=_wall_clock(run.due_at, "due_at"),
                duration_s=_seconds(run.duration_s, "duration_s"),
                week=run.week,
                run_number=run.run_number,
                recurrence=_recurrence(run.recurrence),
                status="planned",
                run_id=None,
                created_at=created_at,
            )
            for run in runs
        ]
        session.add_all(rows)
        session.flush()
        return rows

    def _stamp(self) -> dt.datetime:
        return require_aware(self._now(), "the repository clock").astimezone(dt.UTC)


def _wall_clock(value: dt.datetime, what: str) -> dt.datetime:
    if value.tzinfo is not None:
        raise ValueError(f"{what} is a local wall-clock time and must be naive; got {value.isoformat()}")
    return value


def _non_empty(value: str, what: str) -> str:
    if not value:
        raise ValueError(f"a scheduled run needs a non-empty {what}")
    return value


def _seconds(value: float, what: str) -> float:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number of seconds, not negative; got {value}")
    return float(value)


def _recurrence(value: str | None) -> Recurrence | None:
    return None if value is None else as_one_of(value, RECURRENCES, "a scheduled run's recurrence")


def _encode_days(days: Sequence[str]) -> str:
    if isinstance(days, str):
        raise TypeError("days must be a sequence of day names such as ('mon', 'wed'), not a string")
    unknown = [day for day in days if day not in WEEKDAYS]
    if unknown or not days:
        raise ValueError(f"days must be one or more of {', '.join(WEEKDAYS)}; got {list(days)}")
    if len(set(days)) != len(days):
        raise ValueError(f"days must not repeat; got {list(days)}")
    return _DAY_SEPARATOR.join(sorted(days, key=WEEKDAYS.index))


def _encode_time(time: dt.time) -> str:
    if time.tzinfo is not None or time.second or time.microsecond:
        raise ValueError(f"an enrolment's time is a naive local time in whole minutes; got {time.isoformat()}")
    return time.strftime("%H:%M")


def _enrolment_record(row: EnrolmentRow) -> EnrolmentRecord:
    return EnrolmentRecord(
        id=row.id,
        program_id=row.program_id,
        start_date=row.start_date,
        days=tuple(row.days.split(_DAY_SEPARATOR)),
        time=dt.time.fromisoformat(row.time),
        status=as_one_of(row.status, ENROLMENT_STATUSES, "an enrolment's status"),
        created_at=row.created_at,
    )


def _scheduled_run_record(row: ScheduledRunRow) -> ScheduledRunRecord:
    return ScheduledRunRecord(
        id=row.id,
        uid=row.uid,
        enrolment_id=row.enrolment_id,
        session_id=row.session_id,
        title=row.title,
        due_at=row.due_at,
        duration_s=row.duration_s,
        week=row.week,
        run_number=row.run_number,
        recurrence=_recurrence(row.recurrence),
        status=as_one_of(row.status, SCHEDULED_RUN_STATUSES, "a scheduled run's status"),
        run_id=row.run_id,
        created_at=row.created_at,
    )

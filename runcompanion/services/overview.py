"""What the Today, Plan and Journal screens show, gathered in one pass so the GUI can load it in the background."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from runcompanion.core.errors import UserError
from runcompanion.core.session_plan import SessionPlan
from runcompanion.services.plan_service import EnrolmentProgress
from runcompanion.services.run_service import RunService
from runcompanion.services.session_catalog import SessionCatalog
from runcompanion.storage.records import RunRecord, ScheduledRunRecord
from runcompanion.storage.schedule_repository import ScheduleRepository

FIRST_SESSION = "first-walk-run"


@dataclass(frozen=True, slots=True)
class Overview:
    sessions: list[SessionPlan]
    runs: list[RunRecord]
    upcoming: list[ScheduledRunRecord]
    suggested: SessionPlan | None
    suggested_scheduled: ScheduledRunRecord | None
    week_seconds: float
    week_runs: int
    streak_weeks: int  # weeks in a row, up to this one, with at least one run
    missed: int  # planned runs whose time has passed without a run
    programs: list[EnrolmentProgress] = field(default_factory=list)  # the programs followed now
    program_weeks: dict[int, list[ScheduledRunRecord]] = field(default_factory=dict)
    """By enrolment id: the runs of its current week (done, skipped or planned), for Today's ticks."""


def streak_weeks(run_days: list[dt.date], today: dt.date) -> int:
    """Weeks in a row (Monday to Sunday) with a run, counting back from this week, or from last week when this
    week has none yet: a week just begun does not break a streak."""
    weeks = {d - dt.timedelta(days=d.weekday()) for d in run_days}
    monday = today - dt.timedelta(days=today.weekday())
    if monday not in weeks:
        monday -= dt.timedelta(weeks=1)
    count = 0
    while monday in weeks:
        count += 1
        monday -= dt.timedelta(weeks=1)
    return count


class OverviewService:
    """Any single thread at a time; meant to be called from a worker."""

    def __init__(
        self,
        catalog: SessionCatalog,
        runs: RunService,
        schedule: ScheduleRepository,
        now: Callable[[], dt.datetime],
        *,
        progress: Callable[[], list[EnrolmentProgress]] = list,
    ) -> None:
        self._catalog = catalog
        self._progress = progress
        self._runs = runs
        self._schedule = schedule
        self._now = now

    def _find(self, session_id: str) -> SessionPlan | None:
        try:
            return self._catalog.get(session_id)
        except UserError:
            return None  # a planned run whose own session was deleted: skip it

    def gather(self, history_limit: int = 200) -> Overview:
        now = self._now()
        sessions = self._catalog.all()
        runs = self._runs.history(history_limit)
        upcoming = self._schedule.upcoming(now.replace(tzinfo=None), 30)
        by_id = {p.id: p for p in sessions}

        suggested: SessionPlan | None = None
        suggested_scheduled = None
        for scheduled in upcoming:
            # Program sessions are not in the Sessions list, but the catalog finds them by id.
            suggested = self._find(scheduled.session_id)
            if suggested is not None:
                suggested_scheduled = scheduled
                break
        if suggested is None and runs and runs[0].session_id in by_id:
            suggested = by_id[runs[0].session_id]
        elif suggested is None:
            suggested = by_id.get(FIRST_SESSION) or (sessions[0] if sessions else None)

        week_start = (now - dt.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        this_week = [r for r in runs if r.started_at >= week_start and r.status != "in_progress"]
        moved = [r for r in runs if r.status != "in_progress" and r.elapsed_s >= 60]
        naive_now = now.replace(tzinfo=None)
        missed = [
            s
            for s in self._schedule.list_scheduled(
                start=naive_now - dt.timedelta(days=14), end=naive_now, status="planned"
            )
            if s.due_at + dt.timedelta(hours=2) < naive_now
        ]
        programs = [p for p in self._progress() if p.enrolment.status == "active"]
        return Overview(
            sessions=sessions,
            runs=runs,
            upcoming=upcoming,
            suggested=suggested,
            suggested_scheduled=suggested_scheduled,
            week_seconds=sum(r.elapsed_s for r in this_week),
            week_runs=len(this_week),
            streak_weeks=streak_weeks([r.started_at.astimezone(now.tzinfo).date() for r in moved], now.date()),
            missed=len(missed),
            programs=programs,
            program_weeks={
                p.enrolment.id: [
                    r for r in self._schedule.list_scheduled(enrolment_id=p.enrolment.id) if r.week == p.current_week
                ]
                for p in programs
                if p.current_week is not None
            },
        )

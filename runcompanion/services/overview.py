"""What the Today, Plan and Journal screens show, gathered in one pass so the GUI can load it in the background."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from runcompanion.core.session_plan import SessionPlan
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


class OverviewService:
    """Any single thread at a time; meant to be called from a worker."""

    def __init__(
        self,
        catalog: SessionCatalog,
        runs: RunService,
        schedule: ScheduleRepository,
        now: Callable[[], dt.datetime],
    ) -> None:
        self._catalog = catalog
        self._runs = runs
        self._schedule = schedule
        self._now = now

    def gather(self, history_limit: int = 200) -> Overview:
        now = self._now()
        sessions = self._catalog.all()
        runs = self._runs.history(history_limit)
        upcoming = self._schedule.upcoming(now.replace(tzinfo=None), 30)
        by_id = {p.id: p for p in sessions}

        suggested_scheduled = next((s for s in upcoming if s.session_id in by_id), None)
        if suggested_scheduled is not None:
            suggested: SessionPlan | None = by_id[suggested_scheduled.session_id]
        elif runs and runs[0].session_id in by_id:
            suggested = by_id[runs[0].session_id]
        else:
            suggested = by_id.get(FIRST_SESSION) or (sessions[0] if sessions else None)

        week_start = (now - dt.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        this_week = [r for r in runs if r.started_at >= week_start and r.status != "in_progress"]
        return Overview(
            sessions=sessions,
            runs=runs,
            upcoming=upcoming,
            suggested=suggested,
            suggested_scheduled=suggested_scheduled,
            week_seconds=sum(r.elapsed_s for r in this_week),
            week_runs=len(this_week),
        )

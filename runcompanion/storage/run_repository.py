"""Runs: started, checkpointed while they go, finished or stopped, and marked interrupted after a crash."""

from __future__ import annotations

import builtins
import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select

from runcompanion.core.errors import UserError
from runcompanion.storage.database import Database
from runcompanion.storage.models import RunRow, require_aware, utc_now
from runcompanion.storage.records import (
    RUN_END_STATUSES,
    RUN_SOURCES,
    RUN_STATUSES,
    RunEndStatus,
    RunRecord,
    RunSource,
    RunStatus,
    as_one_of,
)
from runcompanion.storage.schedule_repository import mark_done_in

_TAG_SEPARATOR = ","
_FINISHABLE: tuple[RunStatus, ...] = ("in_progress", "interrupted")
"""An interrupted run can still be finished: the runner may confirm how far they got after a crash."""


class RunNotFoundError(UserError):
    """No run has this id (it was deleted, or never existed)."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"There is no run with the id {run_id}.")
        self.run_id = run_id


class RunRepository:
    """Saves and reads runs. Hands out ``RunRecord``s only.

    Threads: every method is one transaction of its own. Call it from one thread at a time; the app calls it
    from its storage worker thread, never from the GUI thread.
    """

    def __init__(self, database: Database, *, now: Callable[[], dt.datetime] = utc_now) -> None:
        """``now`` gives the current aware time for timestamps the caller leaves out (fixed in tests)."""
        self._database = database
        self._now = now

    def start(  # noqa: PLR0917 - positional order is the storage contract services already call
        self,
        session_id: str,
        session_name: str,
        session_tags: Sequence[str],
        planned_s: float,
        seed: int | None,
        scheduled_run_id: int | None = None,
        source: RunSource = "app",
        started_at: dt.datetime | None = None,
    ) -> RunRecord:
        """Record that a run has started (status ``in_progress``) and return it with its new id."""
        row = RunRow(
            session_id=session_id,
            session_name=session_name,
            session_tags=_encode_tags(session_tags),
            planned_s=_seconds(planned_s, "planned_s"),
            seed=seed,
            scheduled_run_id=scheduled_run_id,
            source=as_one_of(source, RUN_SOURCES, "a run's source"),
            status="in_progress",
            started_at=self._instant(started_at, "started_at"),
            ended_at=None,
            elapsed_s=0.0,
            segment_index=0,
            segments_done=0,
            segment_log_json="[]",
            checkpoint_at=None,
        )
        with self._database.transaction() as session:
            session.add(row)
            session.flush()
            return _run_record(row)

    def checkpoint(
        self,
        run_id: int,
        elapsed_s: float,
        segment_index: int,
        segments_done: int,
        at: dt.datetime | None = None,
    ) -> None:
        """Save how far a run in progress has got, so a crash loses at most the time since the last call."""
        with self._database.transaction() as session:
            row = _existing(session.get(RunRow, run_id), run_id)
            if row.status != "in_progress":
                raise ValueError(f"run {run_id} is {row.status}, so it cannot be checkpointed")
            row.elapsed_s = _seconds(elapsed_s, "elapsed_s")
            row.segment_index = _count(segment_index, "segment_index")
            row.segments_done = _count(segments_done, "segments_done")
            row.checkpoint_at = self._instant(at, "at")

    def change_plan(self, run_id: int, session_name: str, planned_s: float) -> RunRecord:
        """A run in progress goes on with another plan of its session (the shorter version a low check-in
        offers): its name and planned length change; its session, start and progress stay."""
        with self._database.transaction() as session:
            row = _existing(session.get(RunRow, run_id), run_id)
            if row.status != "in_progress":
                raise ValueError(f"run {run_id} is {row.status}, so its plan cannot change")
            row.session_name = session_name
            row.planned_s = _seconds(planned_s, "planned_s")
            return _run_record(row)

    def finish(  # noqa: PLR0917 - positional order is the storage contract services already call
        self,
        run_id: int,
        status: RunEndStatus,
        elapsed_s: float,
        segment_index: int,
        segments_done: int,
        segment_log: Sequence[Mapping[str, Any]],
        ended_at: dt.datetime | None = None,
        *,
        mark_scheduled_done: bool = False,
    ) -> RunRecord:
        """End a run in progress (or an interrupted one) as ``finished`` or ``stopped``; return the saved run.

        ``mark_scheduled_done``: the scheduled run this run came from is marked done by it in the same
        transaction, so the journal and the plan never disagree about it.
        Raises ValueError for any other status, for a run that has already ended, or an end before its start.
        """
        end_status = as_one_of(status, RUN_END_STATUSES, "a run's end status")
        ended = self._instant(ended_at, "ended_at")
        log_json = json.dumps([dict(entry) for entry in segment_log], ensure_ascii=False, allow_nan=False)
        with self._database.transaction() as session:
            row = _existing(session.get(RunRow, run_id), run_id)
            if row.status not in _FINISHABLE:
                raise ValueError(f"run {run_id} is already {row.status}; only a run in progress can end")
            if ended < row.started_at:
                raise ValueError(f"run {run_id} cannot end ({ended}) before it started ({row.started_at})")
            row.status = end_status
            row.ended_at = ended
            row.elapsed_s = _seconds(elapsed_s, "elapsed_s")
            row.segment_index = _count(segment_index, "segment_index")
            row.segments_done = _count(segments_done, "segments_done")
            row.segment_log_json = log_json
            if mark_scheduled_done and row.scheduled_run_id is not None:
                mark_done_in(session, row.scheduled_run_id, run_id)
            return _run_record(row)

    def get(self, run_id: int) -> RunRecord | None:
        """The run with this id, or None."""
        with self._database.transaction(write=False) as session:
            row = session.get(RunRow, run_id)
            return None if row is None else _run_record(row)

    def list(self, limit: int | None = None) -> builtins.list[RunRecord]:
        """Runs newest first (by start time), at most ``limit`` of them (all when None)."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        query = select(RunRow).order_by(RunRow.started_at.desc(), RunRow.id.desc()).limit(limit)
        with self._database.transaction(write=False) as session:
            return [_run_record(row) for row in session.scalars(query)]

    def mark_interrupted(self) -> builtins.list[RunRecord]:
        """Mark every run still ``in_progress`` as ``interrupted`` and return them, oldest first.

        Call once at start-up, before any run starts: no run can really be in progress then, so any such row
        was left by a crash or a power cut. Its last checkpoint (elapsed time, segment) is kept; ``ended_at``
        stays empty because nobody knows when it stopped.
        """
        query = select(RunRow).where(RunRow.status == "in_progress").order_by(RunRow.started_at, RunRow.id)
        with self._database.transaction() as session:
            rows = builtins.list(session.scalars(query))
            for row in rows:
                row.status = "interrupted"
            return [_run_record(row) for row in rows]

    def delete(self, run_id: int) -> bool:
        """Delete a run and (by cascade) its reflection. False when there was no such run."""
        with self._database.transaction() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                return False
            session.delete(row)
            return True

    def _instant(self, value: dt.datetime | None, what: str) -> dt.datetime:
        # Normalised to UTC here so the record returned now equals the one read back later.
        return require_aware(self._now() if value is None else value, what).astimezone(dt.UTC)


def _existing(row: RunRow | None, run_id: int) -> RunRow:
    if row is None:
        raise RunNotFoundError(run_id)
    return row


def _seconds(value: float, what: str) -> float:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number of seconds, not negative; got {value}")
    return float(value)


def _count(value: int, what: str) -> int:
    if value < 0:
        raise ValueError(f"{what} must not be negative; got {value}")
    return value


def _encode_tags(tags: Sequence[str]) -> str:
    if isinstance(tags, str):
        # A bare string is a sequence of one-letter tags: certainly a mistake.
        raise TypeError("session_tags must be a sequence of tags, not a string")
    for tag in tags:
        if not tag or _TAG_SEPARATOR in tag:
            raise ValueError(f"a session tag must be non-empty and contain no {_TAG_SEPARATOR!r}; got {tag!r}")
    return _TAG_SEPARATOR.join(tags)


def _decode_tags(text: str) -> tuple[str, ...]:
    return tuple(text.split(_TAG_SEPARATOR)) if text else ()


def _run_record(row: RunRow) -> RunRecord:
    segment_log: builtins.list[dict[str, Any]] = json.loads(row.segment_log_json)
    return RunRecord(
        id=row.id,
        session_id=row.session_id,
        session_name=row.session_name,
        session_tags=_decode_tags(row.session_tags),
        planned_s=row.planned_s,
        seed=row.seed,
        scheduled_run_id=row.scheduled_run_id,
        source=as_one_of(row.source, RUN_SOURCES, "a run's source"),
        status=as_one_of(row.status, RUN_STATUSES, "a run's status"),
        started_at=row.started_at,
        ended_at=row.ended_at,
        elapsed_s=row.elapsed_s,
        segment_index=row.segment_index,
        segments_done=row.segments_done,
        segment_log=segment_log,
        checkpoint_at=row.checkpoint_at,
    )

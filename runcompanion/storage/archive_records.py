"""The journal as a backup holds it: records without database ids, keyed so two data folders can be merged.

Split from ``records.py`` (the records of one data folder); both are plain frozen dataclasses that storage hands
out, and nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from runcompanion.core.run_samples import RunSample
from runcompanion.storage.records import (
    EnrolmentStatus,
    OwnSessionRecord,
    Recurrence,
    RunSource,
    RunStatus,
    ScheduledRunStatus,
)


@dataclass(frozen=True, slots=True)
class RunKey:
    """What makes a run the same run in two data folders: when it started, which session, guided or logged.

    Database ids differ between folders, so exports and imports recognise runs by this key instead.
    """

    started_at: dt.datetime
    session_id: str
    source: RunSource


@dataclass(frozen=True, slots=True)
class EnrolmentKey:
    """What makes an enrolment the same in two data folders: its program and the instant it was made."""

    program_id: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ArchivedReflection:
    """A reflection in a backup: a ``ReflectionRecord`` without database ids."""

    feeling_before: int | None
    arousal_before: int | None
    feeling_after: int | None
    arousal_after: int | None
    effort: int | None
    prompt: str
    text: str
    tags: tuple[str, ...]
    distance_km: float | None
    is_draft: bool
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ArchivedSegmentFigures:
    segment_index: int
    distance_m: float
    speed_kmh: float | None
    incline_pct: float | None


@dataclass(frozen=True, slots=True)
class ArchivedFigures:
    """What a run's treadmill and strap measured (``run_figures``), without database ids."""

    distance_m: float | None
    avg_heart_rate: int | None
    max_heart_rate: int | None
    zone_max_heart_rate: int | None
    zone_s: tuple[float, ...] | None
    devices: str
    segments: tuple[ArchivedSegmentFigures, ...] = ()


@dataclass(frozen=True, slots=True)
class ArchivedRun:
    """A run in a backup, with its reflection. Links to a scheduled run go by the scheduled run's ``uid``."""

    started_at: dt.datetime
    session_id: str
    source: RunSource
    session_name: str
    session_tags: tuple[str, ...]
    planned_s: float
    seed: int | None
    status: RunStatus
    ended_at: dt.datetime | None
    elapsed_s: float
    segment_index: int
    segments_done: int
    segment_log: list[dict[str, Any]]
    checkpoint_at: dt.datetime | None
    scheduled_run_uid: str | None
    reflection: ArchivedReflection | None
    figures: ArchivedFigures | None = None
    samples: tuple[RunSample, ...] = ()
    """The devices' figures over time (``run_samples``), oldest first."""

    @property
    def key(self) -> RunKey:
        return RunKey(self.started_at, self.session_id, self.source)


@dataclass(frozen=True, slots=True)
class ArchivedEnrolment:
    """An enrolment in a backup."""

    program_id: str
    start_date: dt.date
    days: tuple[str, ...]
    time: dt.time
    status: EnrolmentStatus
    created_at: dt.datetime

    @property
    def key(self) -> EnrolmentKey:
        return EnrolmentKey(self.program_id, self.created_at)


@dataclass(frozen=True, slots=True)
class ArchivedScheduledRun:
    """A scheduled run in a backup. Its enrolment and the run that did it are named by their keys."""

    uid: str
    enrolment: EnrolmentKey | None
    session_id: str
    title: str
    due_at: dt.datetime
    duration_s: float
    week: int | None
    run_number: int | None
    recurrence: Recurrence | None
    status: ScheduledRunStatus
    run: RunKey | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class JournalArchive:
    """Everything a full backup holds: runs with reflections, own sessions and the plan.

    Export reads one from the database; import writes one into it. Runs are ordered by start, own sessions
    by id, enrolments by creation and scheduled runs by due time (then uid), so the same data always gives
    the same archive.
    """

    runs: tuple[ArchivedRun, ...]
    own_sessions: tuple[OwnSessionRecord, ...]
    enrolments: tuple[ArchivedEnrolment, ...]
    scheduled_runs: tuple[ArchivedScheduledRun, ...]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import added, and what it found already there (and so left as it was)."""

    runs_added: int = 0
    reflections_added: int = 0
    own_sessions_added: int = 0
    enrolments_added: int = 0
    scheduled_runs_added: int = 0
    runs_present: int = 0
    own_sessions_present: int = 0
    enrolments_present: int = 0
    scheduled_runs_present: int = 0

    @property
    def added_anything(self) -> bool:
        return bool(self.runs_added + self.own_sessions_added + self.enrolments_added + self.scheduled_runs_added)

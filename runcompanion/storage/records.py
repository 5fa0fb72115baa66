"""Plain, immutable records that storage hands to the rest of the app.

ORM objects never leave ``runcompanion.storage``: repositories copy each row into one of these frozen
dataclasses inside the transaction, so callers on any thread can keep and pass them around without touching
the database.
Timestamps (``*_at`` except ``due_at``) are timezone-aware UTC datetimes; ``due_at`` is the runner's local
wall-clock time, naive, because a run planned for 07:00 stays at 07:00 when the clocks change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias, TypeVar

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"
"""A value that survives a round trip through JSON: what settings hold."""

RunStatus = Literal["in_progress", "finished", "stopped", "interrupted"]
RUN_STATUSES: Final[tuple[RunStatus, ...]] = ("in_progress", "finished", "stopped", "interrupted")

RunEndStatus = Literal["finished", "stopped"]
"""How a run that the runner saw through ends: completed, or stopped early."""
RUN_END_STATUSES: Final[tuple[RunEndStatus, ...]] = ("finished", "stopped")

RunSource = Literal["app", "manual"]
"""``app``: guided by RunCompanion; ``manual``: a run the runner logged by hand."""
RUN_SOURCES: Final[tuple[RunSource, ...]] = ("app", "manual")

EnrolmentStatus = Literal["active", "finished", "cancelled"]
ENROLMENT_STATUSES: Final[tuple[EnrolmentStatus, ...]] = ("active", "finished", "cancelled")

ScheduledRunStatus = Literal["planned", "done", "skipped"]
SCHEDULED_RUN_STATUSES: Final[tuple[ScheduledRunStatus, ...]] = ("planned", "done", "skipped")

Recurrence = Literal["weekly"]
RECURRENCES: Final[tuple[Recurrence, ...]] = ("weekly",)

WEEKDAYS: Final[tuple[str, ...]] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names as enrolments store them, in week order (Monday first, as ``date.weekday()`` counts)."""


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One guided or logged run, as saved. ``segment_log`` is the per-segment log the run screen wrote."""

    id: int
    session_id: str
    session_name: str
    session_tags: tuple[str, ...]
    planned_s: float
    seed: int | None
    scheduled_run_id: int | None
    source: RunSource
    status: RunStatus
    started_at: dt.datetime
    ended_at: dt.datetime | None
    elapsed_s: float
    segment_index: int
    segments_done: int
    segment_log: list[dict[str, Any]]
    checkpoint_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class OwnSessionRecord:
    """A session the runner built or imported. ``definition`` is the session as JSON-ready data."""

    id: str
    name: str
    definition: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class EnrolmentRecord:
    """A program the runner enrolled in: which days of the week, at what local time, from which date."""

    id: int
    program_id: str
    start_date: dt.date
    days: tuple[str, ...]
    time: dt.time
    status: EnrolmentStatus
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NewScheduledRun:
    """What a caller gives to put a run on the calendar; storage adds the id, status and creation time.

    ``uid`` is the stable identifier a calendar export uses (iCalendar UID), unique across all scheduled runs.
    ``due_at`` is naive local wall-clock time.
    """

    uid: str
    session_id: str
    title: str
    due_at: dt.datetime
    duration_s: float
    week: int | None = None
    run_number: int | None = None
    recurrence: Recurrence | None = None
    enrolment_id: int | None = None


@dataclass(frozen=True, slots=True)
class ScheduledRunRecord:
    """A run on the calendar. ``run_id`` points at the run that did it, once there is one."""

    id: int
    uid: str
    enrolment_id: int | None
    session_id: str
    title: str
    due_at: dt.datetime
    duration_s: float
    week: int | None
    run_number: int | None
    recurrence: Recurrence | None
    status: ScheduledRunStatus
    run_id: int | None
    created_at: dt.datetime


_Choice = TypeVar("_Choice", bound=str)


def as_one_of(value: str, choices: tuple[_Choice, ...], what: str) -> _Choice:
    """``value`` as one of ``choices`` (typed as their Literal); ValueError naming ``what`` if it is not."""
    for choice in choices:
        if choice == value:
            return choice
    raise ValueError(f"{what} must be one of {', '.join(choices)}; got {value!r}")

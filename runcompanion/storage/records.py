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


# ------------------------------------------------------------------------------------------------- journal

MAX_REFLECTION_CHARS: Final = 100_000
"""The free text of one reflection: long enough for anything a person writes after a run."""
MAX_PROMPT_CHARS: Final = 500
MAX_TAG_CHARS: Final = 40
MAX_TAGS: Final = 20
MAX_DISTANCE_KM: Final = 1000.0
"""Further than any single run; a larger number is a typing mistake (metres typed as kilometres)."""
MAX_MANUAL_RUN_S: Final = 72 * 3600.0
MAX_SESSION_NAME_CHARS: Final = 200


@dataclass(frozen=True, slots=True)
class CheckIn:
    """The ten-second check-in before a run: Feeling Scale -5..+5 and, optionally, Felt Arousal 1..6.

    Either may be None (not answered yet): the check-in is saved as the runner taps, in any order.
    """

    feeling: int | None
    arousal: int | None = None


@dataclass(frozen=True, slots=True)
class ReflectionInput:
    """What the runner writes after a run. In a draft every field may still be empty.

    ``tags`` are the runner's own words ("outdoors", "with Sam"); storage trims them, folds them to lower
    case and drops repeats. ``prompt`` is the question the text answers.
    """

    feeling_after: int | None = None
    effort: int | None = None
    text: str = ""
    prompt: str = ""
    tags: tuple[str, ...] = ()
    distance_km: float | None = None
    arousal_after: int | None = None


@dataclass(frozen=True, slots=True)
class ManualRun:
    """A run done without the app (outdoors, at the gym), logged by hand. It is saved as ``finished``."""

    started_at: dt.datetime
    elapsed_s: float
    session_name: str = "Run"
    session_id: str = "manual"
    session_tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReflectionRecord:
    """The check-in and reflection of one run, as saved. ``tags`` are sorted."""

    id: int
    run_id: int
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

    @property
    def lift(self) -> int | None:
        """Feeling after minus feeling before; None unless both were given."""
        if self.feeling_before is None or self.feeling_after is None:
            return None
        return self.feeling_after - self.feeling_before


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line of the journal: a run with its reflection (None when none was written yet).

    ``program_id`` is the program whose scheduled run this run did, if any.
    """

    run: RunRecord
    reflection: ReflectionRecord | None
    program_id: str | None = None

    @property
    def run_id(self) -> int:
        return self.run.id

    @property
    def feeling_before(self) -> int | None:
        return None if self.reflection is None else self.reflection.feeling_before

    @property
    def feeling_after(self) -> int | None:
        return None if self.reflection is None else self.reflection.feeling_after

    @property
    def lift(self) -> int | None:
        return None if self.reflection is None else self.reflection.lift


@dataclass(frozen=True, slots=True)
class JournalFilter:
    """Which journal entries to show. Every criterion given must hold; the defaults show everything.

    ``text`` is searched as the runner typed it (every word must occur, as a word or the start of one) in the
    reflection text, its prompt, its tags and the session's name and tags. ``started_from`` (inclusive) and
    ``started_before`` (exclusive) are aware instants. ``tag`` is one of the runner's reflection tags.
    ``program_id`` matches runs that did a scheduled run of that program. ``min_lift``/``max_lift`` keep
    entries whose lift is known and within them. A run still in progress is never a journal entry.
    """

    text: str = ""
    started_from: dt.datetime | None = None
    started_before: dt.datetime | None = None
    tag: str | None = None
    session_id: str | None = None
    program_id: str | None = None
    min_lift: int | None = None
    max_lift: int | None = None
    drafts_only: bool = False


@dataclass(frozen=True, slots=True)
class JournalPage:
    """One page of journal entries, newest first, and how many entries match in all."""

    entries: tuple[JournalEntry, ...]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.entries) < self.total


@dataclass(frozen=True, slots=True)
class MoodPoint:
    """The numbers of one journal entry that charts and insights use (no text), oldest first."""

    run_id: int
    started_at: dt.datetime
    session_id: str
    session_tags: tuple[str, ...]
    tags: tuple[str, ...]
    elapsed_s: float
    feeling_before: int | None
    feeling_after: int | None
    effort: int | None
    is_draft: bool


@dataclass(frozen=True, slots=True)
class DeletedEntry:
    """Everything that deleting a journal entry removed, so that it can be put back exactly.

    ``scheduled_run_ids`` are the scheduled runs that pointed at the run (their link was cleared).
    """

    run: RunRecord
    reflection: ReflectionRecord | None
    scheduled_run_ids: tuple[int, ...]

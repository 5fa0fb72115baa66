"""SQLAlchemy models: the tables as the code sees them. Never handed out of ``runcompanion.storage``.

Every change here needs a migration in ``migrations/versions`` that produces exactly the same schema; a test
compares the migrated database with this metadata.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar, Final

from sqlalchemy import (
    REAL,
    Boolean,
    CheckConstraint,
    Date,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Text,
    TypeDecorator,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from runcompanion.storage.records import (
    ENROLMENT_STATUSES,
    RECURRENCES,
    RUN_SOURCES,
    RUN_STATUSES,
    SCHEDULED_RUN_STATUSES,
)

NAMING_CONVENTION: Final[dict[str, str]] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names are part of the schema: batch migrations can only drop or alter a constraint by name."""

JOURNAL_SEARCH_TABLE: Final = "journal_search"
"""The FTS5 index of the journal (migration 0002): one row per run, rowid = runs.id, columns ``session``,
``prompt``, ``text`` and ``tags``. Only triggers write it. It is not in these models: SQLAlchemy has no notion
of a virtual table, and FTS5 adds shadow tables of its own (``journal_search_data``, ``..._idx`` and so on)."""


def is_journal_search_table(name: str) -> bool:
    """Whether ``name`` is the journal's FTS5 table or one of its shadow tables, which the models leave out.

    Schema comparisons (the tests, Alembic autogenerate through ``include_name``) skip these names.
    """
    return name == JOURNAL_SEARCH_TABLE or name.startswith(f"{JOURNAL_SEARCH_TABLE}_")


def utc_now() -> dt.datetime:
    """The current time as an aware UTC datetime: the default clock of the repositories."""
    return dt.datetime.now(dt.UTC)


def require_aware(value: dt.datetime, what: str) -> dt.datetime:
    """Return ``value`` if it carries a time zone; refuse a naive one, whose zone could only be guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} needs a time zone, got the naive datetime {value.isoformat()}")
    return value


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An instant, stored as ISO 8601 text in UTC with microseconds, read back as an aware UTC datetime.

    The text is fixed-width with the same offset everywhere, so comparing and sorting the strings in SQL
    orders the instants correctly. Naive datetimes are refused: a guess at their zone would be silently
    wrong.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return require_aware(value, "a stored instant").astimezone(dt.UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: str | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        parsed = dt.datetime.fromisoformat(value)
        # Only RunCompanion writes these columns and it always writes UTC; text without an offset (edited by
        # hand) is read as UTC rather than refused, so one odd row cannot lock the runner out of the journal.
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=dt.UTC)
        return parsed.astimezone(dt.UTC)


class WallClockDateTime(TypeDecorator[dt.datetime]):
    """A local wall-clock time (naive), stored as fixed-width ISO 8601 text so SQL comparisons order it.

    Aware datetimes are refused: a scheduled run at 07:00 means 07:00 wherever and whenever the runner is.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            raise ValueError(f"a wall-clock time must be naive, got {value.isoformat()}")
        return value.isoformat(timespec="microseconds")

    def process_result_value(self, value: str | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)


def one_of(column: str, values: Iterable[str]) -> str:
    """SQL for a CHECK that ``column`` holds one of ``values``. NULL passes: CHECK lets "unknown" through."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"


class Base(DeclarativeBase):
    """Declarative base: Python types map to the SQLite column types the schema uses (TEXT, REAL, ...)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        str: Text(),
        int: Integer(),
        float: REAL(),
        bool: Boolean(),
        dt.date: Date(),
        dt.datetime: UtcDateTime(),
    }


class SettingRow(Base):
    """One setting: its value as JSON text."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(primary_key=True)
    value_json: Mapped[str]
    updated_at: Mapped[dt.datetime]


class OwnSessionRow(Base):
    """A session the runner built or imported; ``definition_json`` is the whole session."""

    __tablename__ = "own_sessions"

    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    definition_json: Mapped[str]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class RunRow(Base):
    """A run. The session's id, name and tags are copied in so history survives the session being deleted."""

    __tablename__ = "runs"
    __table_args__ = (
        CheckConstraint(one_of("source", RUN_SOURCES), name="source"),
        CheckConstraint(one_of("status", RUN_STATUSES), name="status"),
        CheckConstraint("planned_s >= 0", name="planned_s_not_negative"),
        CheckConstraint("elapsed_s >= 0", name="elapsed_s_not_negative"),
        Index(None, "started_at"),
        Index(None, "status"),
        Index(None, "scheduled_run_id"),
        Index(None, "session_id"),  # the journal's filter by session (0002)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str]
    session_name: Mapped[str]
    session_tags: Mapped[str] = mapped_column(server_default="")
    planned_s: Mapped[float]
    seed: Mapped[int | None]
    # runs and scheduled_runs point at each other; use_alter marks this side of the cycle so that SQLAlchemy
    # can order the tables (SQLite itself creates both foreign keys inline).
    scheduled_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("scheduled_runs.id", ondelete="SET NULL", use_alter=True)
    )
    source: Mapped[str]
    status: Mapped[str]
    started_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]
    elapsed_s: Mapped[float] = mapped_column(server_default=sql_text("0"))
    segment_index: Mapped[int] = mapped_column(server_default=sql_text("0"))
    segments_done: Mapped[int] = mapped_column(server_default=sql_text("0"))
    segment_log_json: Mapped[str] = mapped_column(server_default="[]")
    checkpoint_at: Mapped[dt.datetime | None]


class ReflectionRow(Base):
    """The check-in before and the reflection after a run (the scales are in core/mood.py)."""

    __tablename__ = "reflections"
    __table_args__ = (
        CheckConstraint("feeling_before BETWEEN -5 AND 5", name="feeling_before_range"),
        CheckConstraint("arousal_before BETWEEN 1 AND 6", name="arousal_before_range"),
        CheckConstraint("feeling_after BETWEEN -5 AND 5", name="feeling_after_range"),
        CheckConstraint("arousal_after BETWEEN 1 AND 6", name="arousal_after_range"),
        CheckConstraint("effort BETWEEN 0 AND 10", name="effort_range"),
        CheckConstraint("distance_km >= 0", name="distance_km_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), unique=True)
    feeling_before: Mapped[int | None]
    arousal_before: Mapped[int | None]
    feeling_after: Mapped[int | None]
    arousal_after: Mapped[int | None]
    effort: Mapped[int | None]
    prompt: Mapped[str] = mapped_column(server_default="")
    text: Mapped[str] = mapped_column(server_default="")
    distance_km: Mapped[float | None]
    is_draft: Mapped[bool] = mapped_column(server_default=sql_text("1"))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class ReflectionTagRow(Base):
    """One tag on one reflection."""

    __tablename__ = "reflection_tags"
    __table_args__ = (
        PrimaryKeyConstraint("reflection_id", "tag"),
        Index(None, "tag"),
    )

    reflection_id: Mapped[int] = mapped_column(ForeignKey("reflections.id", ondelete="CASCADE"))
    tag: Mapped[str]


class EnrolmentRow(Base):
    """A program enrolment. ``days`` is like ``mon,wed,sat``; ``time`` is local ``HH:MM``."""

    __tablename__ = "enrolments"
    __table_args__ = (CheckConstraint(one_of("status", ENROLMENT_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[str]
    start_date: Mapped[dt.date]
    days: Mapped[str]
    time: Mapped[str]
    status: Mapped[str]
    created_at: Mapped[dt.datetime]


class ScheduledRunRow(Base):
    """A run on the calendar, from an enrolment or added by hand. ``due_at`` is naive local time."""

    __tablename__ = "scheduled_runs"
    __table_args__ = (
        CheckConstraint(f"recurrence IS NULL OR {one_of('recurrence', RECURRENCES)}", name="recurrence"),
        CheckConstraint(one_of("status", SCHEDULED_RUN_STATUSES), name="status"),
        CheckConstraint("duration_s >= 0", name="duration_s_not_negative"),
        Index(None, "due_at"),
        Index(None, "enrolment_id"),
        Index(None, "run_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(unique=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    session_id: Mapped[str]
    title: Mapped[str]
    due_at: Mapped[dt.datetime] = mapped_column(WallClockDateTime())
    duration_s: Mapped[float]
    week: Mapped[int | None]
    run_number: Mapped[int | None]
    recurrence: Mapped[str | None]
    status: Mapped[str]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]


class RunFiguresRow(Base):
    """What a run's devices measured (0003): distance and heart rate. No row: the run had no devices."""

    __tablename__ = "run_figures"
    __table_args__ = (
        CheckConstraint("distance_m IS NULL OR distance_m >= 0", name="distance_m_not_negative"),
        CheckConstraint("avg_heart_rate IS NULL OR avg_heart_rate BETWEEN 25 AND 240", name="avg_heart_rate_range"),
        CheckConstraint("max_heart_rate IS NULL OR max_heart_rate BETWEEN 25 AND 240", name="max_heart_rate_range"),
    )

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    distance_m: Mapped[float | None]
    avg_heart_rate: Mapped[int | None]
    max_heart_rate: Mapped[int | None]
    zone_max_heart_rate: Mapped[int | None]  # the maximum the zones were measured against
    zone_s_json: Mapped[str | None]  # seconds in zones 1-5, a JSON list
    devices: Mapped[str] = mapped_column(server_default="")


class RunSegmentFiguresRow(Base):
    """One segment's actual belt figures (0003): time-weighted mean speed and incline while running."""

    __tablename__ = "run_segment_figures"
    __table_args__ = (
        CheckConstraint("distance_m >= 0", name="distance_m_not_negative"),
        CheckConstraint("speed_kmh IS NULL OR speed_kmh BETWEEN 0 AND 40", name="speed_kmh_range"),
        CheckConstraint("incline_pct IS NULL OR incline_pct BETWEEN -15 AND 45", name="incline_pct_range"),
    )

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    segment_index: Mapped[int] = mapped_column(primary_key=True)
    distance_m: Mapped[float]
    speed_kmh: Mapped[float | None]
    incline_pct: Mapped[float | None]


class RunCueRow(Base):
    """One library cue a run said (0004): the coach's memory of what this runner has heard."""

    __tablename__ = "run_cues"
    __table_args__ = (
        CheckConstraint("offset_s >= 0", name="offset_s_not_negative"),
        CheckConstraint("length(cue_id) BETWEEN 1 AND 64", name="cue_id_length"),
    )

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    cue_id: Mapped[str]
    offset_s: Mapped[float]


class RunSampleRow(Base):
    """The devices' figures every few seconds of a run (0005): running time, belt, distance, heart rate."""

    __tablename__ = "run_samples"
    __table_args__ = (
        CheckConstraint("elapsed_s >= 0", name="elapsed_s_not_negative"),
        CheckConstraint("speed_kmh IS NULL OR speed_kmh BETWEEN 0 AND 40", name="speed_kmh_range"),
        CheckConstraint("incline_pct IS NULL OR incline_pct BETWEEN -15 AND 45", name="incline_pct_range"),
        CheckConstraint("distance_m IS NULL OR distance_m >= 0", name="distance_m_not_negative"),
        CheckConstraint("heart_rate IS NULL OR heart_rate BETWEEN 25 AND 240", name="heart_rate_range"),
    )

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    elapsed_s: Mapped[float] = mapped_column(primary_key=True)
    speed_kmh: Mapped[float | None]
    incline_pct: Mapped[float | None]
    distance_m: Mapped[float | None]
    heart_rate: Mapped[int | None]

"""The journal's reading side: entries (a run joined with its reflection), full-text search, filters, paging,
the numbers behind charts and insights; the whole journal as a ``JournalArchive`` comes from
``storage/journal_archive.py``.

Search runs on the FTS5 table ``journal_search`` (migration 0002). What the runner types is never passed to
MATCH as it is: ``match_expression`` turns it into quoted prefix terms, so quotes, ``AND(``, ``*`` or ``NEAR``
are searched for as words and can never be a syntax error.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from runcompanion.storage.archive_records import JournalArchive
from runcompanion.storage.database import Database
from runcompanion.storage.id_lists import among
from runcompanion.storage.journal_archive import read_archive
from runcompanion.storage.models import (
    JOURNAL_SEARCH_TABLE,
    EnrolmentRow,
    ReflectionRow,
    ReflectionTagRow,
    RunRow,
    ScheduledRunRow,
)
from runcompanion.storage.records import JournalEntry, JournalFilter, JournalPage, MoodPoint
from runcompanion.storage.reflection_rows import reflection_record_from_row

# The run repository's own row conversion, so an entry's run equals what RunRepository hands out.
from runcompanion.storage.run_repository import _decode_tags, _run_record

MAX_PAGE: Final = 1000
"""The most entries one page may ask for; the list shows far fewer, and an export reads ``archive``."""

_SEARCH = table(JOURNAL_SEARCH_TABLE, column("rowid"))
_EVERYTHING: Final = JournalFilter()


def match_expression(text: str) -> str | None:
    """An FTS5 query for what the runner typed: every word must occur, as a word or the start of one.

    Each whitespace-separated word becomes a quoted string with a prefix star (``"calm"*``), double quotes
    inside doubled, so FTS5 reads it as text and never as syntax. Control characters separate words; words
    without a letter or digit (``"``, ``(``) are dropped. None when nothing searchable is left: then there is
    no text filter at all.
    """
    # A NUL would end the query string early inside SQLite (a syntax error); no control character is a word.
    printable = "".join(" " if unicodedata.category(char) in ("Cc", "Cs") else char for char in text)
    terms = [word for word in printable.split() if any(char.isalnum() for char in word)]
    if not terms:
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in terms)


class JournalQueries:
    """Reads the journal. Hands out records only.

    Threads: every method is one read transaction of its own (a consistent snapshot that never blocks a
    writer). Call it from one thread at a time; the app calls it from a worker, never from the GUI thread.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    def page(self, journal_filter: JournalFilter = _EVERYTHING, *, limit: int = 50, offset: int = 0) -> JournalPage:
        """Entries that pass ``journal_filter``, newest first, ``limit`` of them from ``offset``, and the total."""
        if not 0 <= limit <= MAX_PAGE:
            raise ValueError(f"limit must be from 0 to {MAX_PAGE}; got {limit}")
        if offset < 0:
            raise ValueError(f"offset must not be negative; got {offset}")
        conditions = _conditions(journal_filter)
        query = (
            _entry_select()
            .where(*conditions)
            .order_by(RunRow.started_at.desc(), RunRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        count = select(func.count()).select_from(RunRow).outerjoin(ReflectionRow, ReflectionRow.run_id == RunRow.id)
        with self._database.transaction(write=False) as session:
            total: int = session.execute(count.where(*conditions)).scalar_one()
            entries = _entries(session, session.execute(query).all())
        return JournalPage(entries=tuple(entries), total=total, offset=offset, limit=limit)

    def get(self, run_id: int) -> JournalEntry | None:
        """The entry of one run (also a run still in progress), or None if there is no such run."""
        with self._database.transaction(write=False) as session:
            rows = session.execute(_entry_select().where(RunRow.id == run_id)).all()
            entries = _entries(session, rows)
        return entries[0] if entries else None

    def all_tags(self) -> list[str]:
        """Every tag the runner has used on a reflection, alphabetically."""
        query = select(ReflectionTagRow.tag).distinct().order_by(ReflectionTagRow.tag)
        with self._database.transaction(write=False) as session:
            return list(session.scalars(query))

    def sessions_in_journal(self) -> list[tuple[str, str]]:
        """``(session_id, session_name)`` of every session with a journal entry, by name; the latest name wins."""
        latest = (
            select(RunRow.session_id, RunRow.session_name, func.max(RunRow.started_at))
            .where(RunRow.status != "in_progress")
            .group_by(RunRow.session_id)
        )
        with self._database.transaction(write=False) as session:
            rows = [(session_id, name) for session_id, name, _started in session.execute(latest)]
        return sorted(rows, key=lambda row: (row[1].casefold(), row[0]))

    def programs_in_journal(self) -> list[str]:
        """The ids of the programs whose scheduled runs have a journal entry, alphabetically."""
        query = (
            select(EnrolmentRow.program_id)
            .join(ScheduledRunRow, ScheduledRunRow.enrolment_id == EnrolmentRow.id)
            .join(RunRow, RunRow.scheduled_run_id == ScheduledRunRow.id)
            .where(RunRow.status != "in_progress")
            .distinct()
            .order_by(EnrolmentRow.program_id)
        )
        with self._database.transaction(write=False) as session:
            return list(session.scalars(query))

    def run_count(self) -> int:
        """How many runs there are, in progress included."""
        with self._database.transaction(write=False) as session:
            count: int = session.execute(select(func.count()).select_from(RunRow)).scalar_one()
            return count

    def mood_points(self, journal_filter: JournalFilter = _EVERYTHING) -> list[MoodPoint]:
        """The numbers of every entry that passes ``journal_filter``, oldest first, without any text."""
        query = (
            select(
                RunRow.id,
                RunRow.started_at,
                RunRow.session_id,
                RunRow.session_tags,
                RunRow.elapsed_s,
                ReflectionRow.id,
                ReflectionRow.feeling_before,
                ReflectionRow.feeling_after,
                ReflectionRow.effort,
                ReflectionRow.is_draft,
            )
            .outerjoin(ReflectionRow, ReflectionRow.run_id == RunRow.id)
            .where(*_conditions(journal_filter))
            .order_by(RunRow.started_at, RunRow.id)
        )
        with self._database.transaction(write=False) as session:
            # Core rather than ORM execution: the same rows and types, without the ORM's per-row bookkeeping
            # (25 against 30 ms for 10,000 rows).
            rows = session.connection().execute(query).all()
            tags = _tags_by_reflection(session, [row[5] for row in rows if row[5] is not None])
        no_tags: tuple[str, ...] = ()
        kinds: dict[str, tuple[str, ...]] = {}  # a few sessions' tags over thousands of runs: one tuple each
        points = []
        for (
            run_id,
            started_at,
            session_id,
            session_tags,
            elapsed_s,
            reflection_id,
            before,
            after,
            effort,
            draft,
        ) in rows:
            decoded = kinds.get(session_tags)
            if decoded is None:
                decoded = kinds[session_tags] = _decode_tags(session_tags)
            points.append(
                MoodPoint(
                    run_id,
                    started_at,
                    session_id,
                    decoded,
                    tags.get(reflection_id, no_tags),
                    elapsed_s,
                    before,
                    after,
                    effort,
                    bool(draft),
                )
            )
        return points

    def minutes_from(self, started_from: dt.datetime) -> list[tuple[dt.datetime, float]]:
        """``(started_at, elapsed_s)`` of every entry that started at or after ``started_from``, oldest first: what
        ``mood_points`` gives for ``JournalFilter(started_from=...)``, without the rest."""
        query = (
            select(RunRow.started_at, RunRow.elapsed_s)
            .where(*_conditions(JournalFilter(started_from=started_from)))
            .order_by(RunRow.started_at, RunRow.id)
        )
        with self._database.transaction(write=False) as session:
            return [(started_at, elapsed_s) for started_at, elapsed_s in session.connection().execute(query).all()]

    def archive(self) -> JournalArchive:
        """The whole journal and plan as a ``JournalArchive`` (what a JSON backup holds), in one snapshot."""
        return read_archive(self._database)


# ----------------------------------------------------------------------------------------------- filters


def _conditions(journal_filter: JournalFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a filter, over runs LEFT JOIN reflections."""
    f = journal_filter
    conditions: list[ColumnElement[bool]] = [RunRow.status != "in_progress"]
    if f.started_from is not None:
        conditions.append(RunRow.started_at >= f.started_from)
    if f.started_before is not None:
        conditions.append(RunRow.started_at < f.started_before)
    if f.session_id is not None:
        conditions.append(RunRow.session_id == f.session_id)
    if f.program_id is not None:
        of_program = (
            select(ScheduledRunRow.id)
            .join(EnrolmentRow, EnrolmentRow.id == ScheduledRunRow.enrolment_id)
            .where(EnrolmentRow.program_id == f.program_id)
        )
        conditions.append(RunRow.scheduled_run_id.in_(of_program))
    if f.tag is not None:
        tag = " ".join(f.tag.split()).lower()  # as reflection_repository.normalise_tags stores it
        tagged = select(ReflectionTagRow.reflection_id).where(ReflectionTagRow.tag == tag)
        conditions.append(ReflectionRow.id.in_(tagged))
    lift = ReflectionRow.feeling_after - ReflectionRow.feeling_before  # NULL, so never passes, when either is
    if f.min_lift is not None:
        conditions.append(lift >= f.min_lift)
    if f.max_lift is not None:
        conditions.append(lift <= f.max_lift)
    if f.drafts_only:
        conditions.append(ReflectionRow.is_draft.is_(True))
    match = match_expression(f.text)
    if match is not None:
        matching = select(_SEARCH.c.rowid).where(literal_column(JOURNAL_SEARCH_TABLE).op("MATCH")(match))
        conditions.append(RunRow.id.in_(matching))
    return conditions


# ------------------------------------------------------------------------------------------------ entries

_EntryRow = tuple[RunRow, ReflectionRow | None, str | None]


def _entry_select() -> Select[RunRow, ReflectionRow, str]:
    return (
        select(RunRow, ReflectionRow, EnrolmentRow.program_id)
        .outerjoin(ReflectionRow, ReflectionRow.run_id == RunRow.id)
        .outerjoin(ScheduledRunRow, ScheduledRunRow.id == RunRow.scheduled_run_id)
        .outerjoin(EnrolmentRow, EnrolmentRow.id == ScheduledRunRow.enrolment_id)
    )


def _entries(session: Session, rows: Sequence[Any]) -> list[JournalEntry]:
    typed: Sequence[_EntryRow] = rows
    tags = _tags_by_reflection(session, [reflection.id for _run, reflection, _program in typed if reflection])
    return [
        JournalEntry(
            run=_run_record(run),
            reflection=None
            if reflection is None
            else reflection_record_from_row(reflection, tags.get(reflection.id, ())),
            program_id=program_id,
        )
        for run, reflection, program_id in typed
    ]


def _tags_by_reflection(session: Session, reflection_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    ids = list(reflection_ids)
    if not ids:
        return {}
    found: defaultdict[int, list[str]] = defaultdict(list)
    query = (
        select(ReflectionTagRow.reflection_id, ReflectionTagRow.tag)
        .where(among(ReflectionTagRow.reflection_id, ids))
        .order_by(ReflectionTagRow.reflection_id, ReflectionTagRow.tag)
    )
    for reflection_id, tag in session.connection().execute(query).all():
        found[reflection_id].append(tag)
    return {reflection_id: tuple(tags) for reflection_id, tags in found.items()}

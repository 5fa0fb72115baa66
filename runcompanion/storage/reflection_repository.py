"""The journal's writing side: check-ins, reflections (drafts and finished), runs logged by hand, deleting an
entry and bringing it back, and importing a backup.

Every input is checked before anything is written (see ``check_reflection``). Reading the journal lives in
``journal_queries``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from sqlalchemy import delete, select, update

from runcompanion.storage.archive_records import ImportReport, JournalArchive
from runcompanion.storage.database import Database
from runcompanion.storage.journal_import import import_archive
from runcompanion.storage.models import (
    ReflectionRow,
    RunRow,
    ScheduledRunRow,
    require_aware,
    utc_now,
)
from runcompanion.storage.records import (
    MAX_MANUAL_RUN_S,
    MAX_SESSION_NAME_CHARS,
    CheckIn,
    DeletedEntry,
    JournalEntry,
    ManualRun,
    ReflectionInput,
    ReflectionRecord,
)
from runcompanion.storage.reflection_checks import (
    InvalidReflectionError,
    check_check_in,
    check_reflection,
    normalise_tags,
)
from runcompanion.storage.reflection_rows import (
    encode_log,
    fill,
    non_empty,
    reflection_of,
    reflection_record_from_row,
    reflection_row_for,
    replace_tags,
    same_run_id,
    tags_of,
)

# The run repository's own row conversion, so a run written here reads back exactly as one written there.
from runcompanion.storage.run_repository import _encode_tags, _run_record

__all__ = ["InvalidReflectionError", "ReflectionRepository", "normalise_tags", "reflection_record_from_row"]


class ReflectionRepository:
    """Writes the journal. Hands out records only.

    Threads: every method is one transaction of its own. Call it from one thread at a time; the app calls it
    from its storage worker thread, never from the GUI thread.
    """

    def __init__(self, database: Database, *, now: Callable[[], dt.datetime] = utc_now) -> None:
        """``now`` gives the current aware time for created/updated stamps (a fixed clock in tests)."""
        self._database = database
        self._now = now

    def check_in(self, run_id: int, check_in: CheckIn) -> ReflectionRecord:
        """Save the check-in before a run (creating its draft reflection if there is none yet).

        Both answers are written as given, None included. Raises ``RunNotFoundError`` for an unknown run.
        """
        check_check_in(check_in)
        now = self._stamp()
        with self._database.transaction() as session:
            row = reflection_row_for(session, run_id, now)
            row.feeling_before = check_in.feeling
            row.arousal_before = check_in.arousal
            row.updated_at = now
            session.flush()
            return reflection_record_from_row(row, tags_of(session, row.id))

    def save(
        self,
        run_id: int,
        reflection: ReflectionInput,
        *,
        draft: bool,
        check_in: CheckIn | None = None,
    ) -> ReflectionRecord:
        """Write the reflection of a run, all its fields as given, as a draft or finished.

        ``check_in``, when given, replaces the answers from before the run as well; None leaves them as they
        are. A finished reflection saved as a draft again becomes a draft again: the caller decides.
        Raises ``RunNotFoundError``, ``OutOfScaleError`` or ``InvalidReflectionError``; then nothing changed.
        """
        checked = check_reflection(reflection)
        if check_in is not None:
            check_check_in(check_in)
        now = self._stamp()
        with self._database.transaction() as session:
            row = reflection_row_for(session, run_id, now)
            fill(row, checked, draft=draft, check_in=check_in)
            row.updated_at = now
            session.flush()
            replace_tags(session, row.id, checked.tags)
            return reflection_record_from_row(row, checked.tags)

    def add_manual_run(
        self,
        run: ManualRun,
        reflection: ReflectionInput,
        *,
        check_in: CheckIn | None = None,
        draft: bool = False,
        not_after: dt.datetime | None = None,
    ) -> JournalEntry:
        """Log a run done without the app (source ``manual``, status ``finished``) with its reflection.

        ``not_after`` (default: now) is the latest start accepted: a run cannot have started in the future.
        Raises ``InvalidReflectionError`` for a start in the future, a duration that is not positive or over
        ``MAX_MANUAL_RUN_S``, or an empty or overlong session name; nothing is written then.
        """
        checked = check_reflection(reflection)
        if check_in is not None:
            check_check_in(check_in)
        started_at, elapsed_s, session_name = self._checked_manual_run(run, not_after)
        now = self._stamp()
        run_row = RunRow(
            session_id=non_empty(run.session_id, "session id"),
            session_name=session_name,
            session_tags=_encode_tags(run.session_tags),
            planned_s=elapsed_s,
            seed=None,
            scheduled_run_id=None,
            source="manual",
            status="finished",
            started_at=started_at,
            ended_at=started_at + dt.timedelta(seconds=elapsed_s),
            elapsed_s=elapsed_s,
            segment_index=0,
            segments_done=0,
            segment_log_json="[]",
            checkpoint_at=None,
        )
        with self._database.transaction() as session:
            session.add(run_row)
            session.flush()
            row = ReflectionRow(run_id=run_row.id, created_at=now, updated_at=now)
            fill(row, checked, draft=draft, check_in=check_in or CheckIn(None, None))
            session.add(row)
            session.flush()
            replace_tags(session, row.id, checked.tags)
            return JournalEntry(_run_record(run_row), reflection_record_from_row(row, checked.tags))

    def delete_entry(self, run_id: int) -> DeletedEntry | None:
        """Delete a run with its reflection and tags; return everything that went, for ``restore_entry``.

        Scheduled runs that pointed at the run lose the link (their status stays). None if there was no run.
        """
        with self._database.transaction() as session:
            run_row = session.get(RunRow, run_id)
            if run_row is None:
                return None
            reflection_row = reflection_of(session, run_id)
            reflection = (
                None
                if reflection_row is None
                else reflection_record_from_row(reflection_row, tags_of(session, reflection_row.id))
            )
            scheduled = select(ScheduledRunRow.id).where(ScheduledRunRow.run_id == run_id).order_by(ScheduledRunRow.id)
            deleted = DeletedEntry(_run_record(run_row), reflection, tuple(session.scalars(scheduled)))
            session.execute(delete(RunRow).where(RunRow.id == run_id))  # reflections and tags go by cascade
            return deleted

    def restore_entry(self, deleted: DeletedEntry) -> int:
        """Put back what ``delete_entry`` removed, with the same ids, and return the run's id.

        Idempotent: if the run is there already (restored before), nothing is added and its id is returned.
        If a new run or reflection has taken an old id in between (SQLite reuses the highest id), that one
        gets a new id instead; a scheduled run deleted in between is not linked again.
        """
        run = deleted.run
        with self._database.transaction() as session:
            already = same_run_id(session, deleted)
            if already is not None:
                return already
            run_id = run.id if session.get(RunRow, run.id) is None else None
            scheduled_run_id = run.scheduled_run_id
            if scheduled_run_id is not None and session.get(ScheduledRunRow, scheduled_run_id) is None:
                scheduled_run_id = None
            run_row = RunRow(
                id=run_id,
                session_id=run.session_id,
                session_name=run.session_name,
                session_tags=_encode_tags(run.session_tags),
                planned_s=run.planned_s,
                seed=run.seed,
                scheduled_run_id=scheduled_run_id,
                source=run.source,
                status=run.status,
                started_at=run.started_at,
                ended_at=run.ended_at,
                elapsed_s=run.elapsed_s,
                segment_index=run.segment_index,
                segments_done=run.segments_done,
                segment_log_json=encode_log(run.segment_log),
                checkpoint_at=run.checkpoint_at,
            )
            session.add(run_row)
            session.flush()
            reflection = deleted.reflection
            if reflection is not None:
                reflection_id = reflection.id if session.get(ReflectionRow, reflection.id) is None else None
                row = ReflectionRow(
                    id=reflection_id,
                    run_id=run_row.id,
                    feeling_before=reflection.feeling_before,
                    arousal_before=reflection.arousal_before,
                    feeling_after=reflection.feeling_after,
                    arousal_after=reflection.arousal_after,
                    effort=reflection.effort,
                    prompt=reflection.prompt,
                    text=reflection.text,
                    distance_km=reflection.distance_km,
                    is_draft=reflection.is_draft,
                    created_at=reflection.created_at,
                    updated_at=reflection.updated_at,
                )
                session.add(row)
                session.flush()
                replace_tags(session, row.id, reflection.tags)
            if deleted.scheduled_run_ids:
                session.execute(
                    update(ScheduledRunRow)
                    .where(ScheduledRunRow.id.in_(deleted.scheduled_run_ids), ScheduledRunRow.run_id.is_(None))
                    .values(run_id=run_row.id)
                )
            return run_row.id

    def import_archive(self, archive: JournalArchive) -> ImportReport:
        """Add what a backup holds and the data folder lacks, all in one transaction (``journal_import``)."""
        with self._database.transaction() as session:
            return import_archive(session, archive)

    def _checked_manual_run(self, run: ManualRun, not_after: dt.datetime | None) -> tuple[dt.datetime, float, str]:
        started_at = require_aware(run.started_at, "a run's start").astimezone(dt.UTC)
        latest = self._stamp() if not_after is None else require_aware(not_after, "not_after")
        if started_at > latest:
            raise InvalidReflectionError(
                f"The run starts in the future ({run.started_at:%Y-%m-%d %H:%M}); log a run once it is done."
            )
        elapsed_s = float(run.elapsed_s)
        if not math.isfinite(elapsed_s) or not 0 < elapsed_s <= MAX_MANUAL_RUN_S:
            raise InvalidReflectionError(
                f"A run's duration must be more than 0 and at most {MAX_MANUAL_RUN_S / 3600:g} hours; "
                f"got {elapsed_s:g} seconds."
            )
        name = " ".join(run.session_name.split())
        if not name or len(name) > MAX_SESSION_NAME_CHARS:
            raise InvalidReflectionError(f"Give the run a name of 1 to {MAX_SESSION_NAME_CHARS} characters.")
        return started_at, elapsed_s, name

    def _stamp(self) -> dt.datetime:
        return require_aware(self._now(), "the repository clock").astimezone(dt.UTC)

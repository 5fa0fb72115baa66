"""The journal's writing side: check-ins, reflections (drafts and finished), runs logged by hand, deleting an
entry and bringing it back, and importing a backup.

Every input is checked before anything is written (see ``check_reflection``). Reading the journal lives in
``journal_queries``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from runcompanion.core.errors import UserError
from runcompanion.core.mood import AROUSAL, EFFORT, FEELING
from runcompanion.storage.database import Database
from runcompanion.storage.models import (
    EnrolmentRow,
    OwnSessionRow,
    ReflectionRow,
    ReflectionTagRow,
    RunRow,
    ScheduledRunRow,
    require_aware,
    utc_now,
)
from runcompanion.storage.records import (
    MAX_DISTANCE_KM,
    MAX_MANUAL_RUN_S,
    MAX_PROMPT_CHARS,
    MAX_REFLECTION_CHARS,
    MAX_SESSION_NAME_CHARS,
    MAX_TAG_CHARS,
    MAX_TAGS,
    RUN_SOURCES,
    ArchivedRun,
    CheckIn,
    DeletedEntry,
    EnrolmentKey,
    ImportReport,
    JournalArchive,
    JournalEntry,
    ManualRun,
    ReflectionInput,
    ReflectionRecord,
    RunKey,
    as_one_of,
)

# The run repository's own row conversion, so a run written here reads back exactly as one written there.
from runcompanion.storage.run_repository import RunNotFoundError, _encode_tags, _run_record

_TAG_SEPARATOR = ","
"""Exports join tags with it, so a tag may not contain it."""


class InvalidReflectionError(UserError, ValueError):
    """Something the runner typed cannot be saved as it is (too long, an absurd distance). Nothing was written.

    A ``ValueError`` as well, so code that checks its arguments catches it like any other bad value.
    """


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """The runner's tags as stored: spaces trimmed and collapsed, lower case, no repeats, sorted.

    Empty tags are dropped; a tag longer than ``MAX_TAG_CHARS``, one with a comma, or more than ``MAX_TAGS``
    tags raise ``InvalidReflectionError``.
    """
    if isinstance(tags, str):
        raise TypeError("tags must be a sequence of tags, not a string")
    result: set[str] = set()
    for raw in tags:
        tag = " ".join(raw.split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_CHARS:
            raise InvalidReflectionError(f'The tag "{tag[:MAX_TAG_CHARS]}…" is too long: keep a tag under 40 letters.')
        if _TAG_SEPARATOR in tag:
            raise InvalidReflectionError(f'The tag "{tag}" contains a comma; a comma separates tags, so split it.')
        result.add(tag)
    if len(result) > MAX_TAGS:
        raise InvalidReflectionError(f"A reflection can have at most {MAX_TAGS} tags; this one has {len(result)}.")
    return tuple(sorted(result))


def check_check_in(check_in: CheckIn) -> CheckIn:
    """``check_in`` if both answers are points of their scales; ``OutOfScaleError`` otherwise."""
    FEELING.check_optional(check_in.feeling, "feeling before")
    AROUSAL.check_optional(check_in.arousal, "arousal before")
    return check_in


def check_reflection(reflection: ReflectionInput) -> ReflectionInput:
    """The reflection with its tags normalised, if it can be saved.

    Scale values outside their scale raise ``OutOfScaleError`` (the screens never offer them). Text longer
    than ``MAX_REFLECTION_CHARS``, a prompt over ``MAX_PROMPT_CHARS``, bad tags and a distance that is
    negative, not a number or beyond ``MAX_DISTANCE_KM`` raise ``InvalidReflectionError``.
    """
    FEELING.check_optional(reflection.feeling_after, "feeling after")
    AROUSAL.check_optional(reflection.arousal_after, "arousal after")
    EFFORT.check_optional(reflection.effort, "effort")
    if len(reflection.text) > MAX_REFLECTION_CHARS:
        raise InvalidReflectionError(
            f"A reflection can be at most {MAX_REFLECTION_CHARS:,} characters long; "
            f"this one has {len(reflection.text):,}. Shorten it to save it."
        )
    if len(reflection.prompt) > MAX_PROMPT_CHARS:
        raise InvalidReflectionError(f"A prompt can be at most {MAX_PROMPT_CHARS} characters long.")
    return replace(
        reflection,
        tags=normalise_tags(reflection.tags),
        distance_km=check_distance(reflection.distance_km),
    )


def check_distance(distance_km: float | None) -> float | None:
    """The distance as a float, if it is a sane one for a single run (or None: not recorded)."""
    if distance_km is None:
        return None
    if isinstance(distance_km, bool) or not isinstance(distance_km, int | float):
        raise TypeError(f"a distance is a number of kilometres; got {distance_km!r}")
    if not math.isfinite(distance_km) or not 0 <= distance_km <= MAX_DISTANCE_KM:
        raise InvalidReflectionError(
            f"A distance must be between 0 and {MAX_DISTANCE_KM:g} km; got {distance_km:g} km."
        )
    return float(distance_km)


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
            row = _reflection_row_for(session, run_id, now)
            row.feeling_before = check_in.feeling
            row.arousal_before = check_in.arousal
            row.updated_at = now
            session.flush()
            return reflection_record_from_row(row, _tags_of(session, row.id))

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
            row = _reflection_row_for(session, run_id, now)
            _fill(row, checked, draft=draft, check_in=check_in)
            row.updated_at = now
            session.flush()
            _replace_tags(session, row.id, checked.tags)
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
            session_id=_non_empty(run.session_id, "session id"),
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
            _fill(row, checked, draft=draft, check_in=check_in or CheckIn(None, None))
            session.add(row)
            session.flush()
            _replace_tags(session, row.id, checked.tags)
            return JournalEntry(_run_record(run_row), reflection_record_from_row(row, checked.tags))

    def delete_entry(self, run_id: int) -> DeletedEntry | None:
        """Delete a run with its reflection and tags; return everything that went, for ``restore_entry``.

        Scheduled runs that pointed at the run lose the link (their status stays). None if there was no run.
        """
        with self._database.transaction() as session:
            run_row = session.get(RunRow, run_id)
            if run_row is None:
                return None
            reflection_row = _reflection_of(session, run_id)
            reflection = (
                None
                if reflection_row is None
                else reflection_record_from_row(reflection_row, _tags_of(session, reflection_row.id))
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
            already = _same_run_id(session, deleted)
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
                segment_log_json=_encode_log(run.segment_log),
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
                _replace_tags(session, row.id, reflection.tags)
            if deleted.scheduled_run_ids:
                session.execute(
                    update(ScheduledRunRow)
                    .where(ScheduledRunRow.id.in_(deleted.scheduled_run_ids), ScheduledRunRow.run_id.is_(None))
                    .values(run_id=run_row.id)
                )
            return run_row.id

    def import_archive(self, archive: JournalArchive) -> ImportReport:
        """Add what a backup holds and the data folder lacks, all in one transaction; say what was added.

        Recognised as already there (and left exactly as it is): an own session with the same id, an
        enrolment with the same ``EnrolmentKey``, a scheduled run with the same uid, and a run with the same
        ``RunKey`` (with its reflection: the one in the data folder wins). Runs that share a key are matched
        one to one, so a backup that holds two of them adds the second one once, and only once.
        The archive's links must resolve within it (``journal_transfer`` checks that first); ValueError if not.
        """
        with self._database.transaction() as session:
            sessions_added, sessions_present = _import_own_sessions(session, archive)
            enrolment_ids, enrolments_added = _import_enrolments(session, archive)
            scheduled_ids, new_scheduled = _import_scheduled_runs(session, archive, enrolment_ids)
            new_runs = _new_runs(session, archive.runs)
            run_ids = _insert_runs(session, new_runs, scheduled_ids)
            reflections_added = _insert_reflections(session, new_runs, run_ids)
            _link_scheduled_runs(session, new_scheduled)
            return ImportReport(
                runs_added=len(new_runs),
                reflections_added=reflections_added,
                own_sessions_added=sessions_added,
                enrolments_added=enrolments_added,
                scheduled_runs_added=len(new_scheduled),
                runs_present=len(archive.runs) - len(new_runs),
                own_sessions_present=sessions_present,
                enrolments_present=len(archive.enrolments) - enrolments_added,
                scheduled_runs_present=len(archive.scheduled_runs) - len(new_scheduled),
            )

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


# -------------------------------------------------------------------------------------------- reflections


def _reflection_of(session: Session, run_id: int) -> ReflectionRow | None:
    return session.scalars(select(ReflectionRow).where(ReflectionRow.run_id == run_id)).one_or_none()


def _reflection_row_for(session: Session, run_id: int, now: dt.datetime) -> ReflectionRow:
    """The run's reflection row, or a new empty draft for it (added to the session)."""
    row = _reflection_of(session, run_id)
    if row is not None:
        return row
    if session.get(RunRow, run_id) is None:
        raise RunNotFoundError(run_id)
    row = ReflectionRow(run_id=run_id, prompt="", text="", is_draft=True, created_at=now, updated_at=now)
    session.add(row)
    return row


def _fill(row: ReflectionRow, reflection: ReflectionInput, *, draft: bool, check_in: CheckIn | None) -> None:
    if check_in is not None:
        row.feeling_before = check_in.feeling
        row.arousal_before = check_in.arousal
    row.feeling_after = reflection.feeling_after
    row.arousal_after = reflection.arousal_after
    row.effort = reflection.effort
    row.prompt = reflection.prompt
    row.text = reflection.text
    row.distance_km = reflection.distance_km
    row.is_draft = draft


def _tags_of(session: Session, reflection_id: int) -> tuple[str, ...]:
    query = select(ReflectionTagRow.tag).where(ReflectionTagRow.reflection_id == reflection_id)
    return tuple(session.scalars(query.order_by(ReflectionTagRow.tag)))


def _replace_tags(session: Session, reflection_id: int, tags: Sequence[str]) -> None:
    """Make the reflection's tags exactly ``tags``, touching only those that change (each change is a trigger)."""
    current = set(_tags_of(session, reflection_id))
    wanted = set(tags)
    if current - wanted:
        session.execute(
            delete(ReflectionTagRow).where(
                ReflectionTagRow.reflection_id == reflection_id, ReflectionTagRow.tag.in_(current - wanted)
            )
        )
    if wanted - current:
        session.execute(
            insert(ReflectionTagRow), [{"reflection_id": reflection_id, "tag": tag} for tag in sorted(wanted - current)]
        )


def reflection_record_from_row(row: ReflectionRow, tags: Sequence[str]) -> ReflectionRecord:
    """The record of a reflection row and its tags. For the storage package only (rows never leave it)."""
    return ReflectionRecord(
        id=row.id,
        run_id=row.run_id,
        feeling_before=row.feeling_before,
        arousal_before=row.arousal_before,
        feeling_after=row.feeling_after,
        arousal_after=row.arousal_after,
        effort=row.effort,
        prompt=row.prompt,
        text=row.text,
        tags=tuple(sorted(tags)),
        distance_km=row.distance_km,
        is_draft=row.is_draft,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _same_run_id(session: Session, deleted: DeletedEntry) -> int | None:
    """The id of a run that is the deleted one put back already (same key, end and elapsed time), if any."""
    run = deleted.run
    ended = RunRow.ended_at.is_(None) if run.ended_at is None else RunRow.ended_at == run.ended_at
    query = select(RunRow.id).where(
        RunRow.started_at == run.started_at,
        RunRow.session_id == run.session_id,
        RunRow.source == run.source,
        RunRow.elapsed_s == run.elapsed_s,
        ended,
    )
    return session.scalars(query.order_by(RunRow.id).limit(1)).first()


def _encode_log(segment_log: Sequence[dict[str, Any]]) -> str:
    return json.dumps([dict(entry) for entry in segment_log], ensure_ascii=False, allow_nan=False)


def _non_empty(value: str, what: str) -> str:
    if not value:
        raise ValueError(f"a run needs a non-empty {what}")
    return value


# ------------------------------------------------------------------------------------------------- import


def _import_own_sessions(session: Session, archive: JournalArchive) -> tuple[int, int]:
    taken = set(session.scalars(select(OwnSessionRow.id)))
    rows: list[dict[str, Any]] = []
    for own in archive.own_sessions:
        if own.id in taken:
            continue
        taken.add(own.id)
        rows.append(
            {
                "id": own.id,
                "name": own.name,
                # The same encoding as SessionRepository, so the stored text is what it would have written.
                "definition_json": json.dumps(dict(own.definition), ensure_ascii=False, allow_nan=False),
                "created_at": require_aware(own.created_at, "created_at"),
                "updated_at": require_aware(own.updated_at, "updated_at"),
            }
        )
    if rows:
        session.execute(insert(OwnSessionRow), rows)
    return len(rows), len(archive.own_sessions) - len(rows)


def _import_enrolments(session: Session, archive: JournalArchive) -> tuple[dict[EnrolmentKey, int], int]:
    """Every enrolment key in the archive mapped to its id in the data folder; and how many were added."""
    ids = {
        EnrolmentKey(program_id, created_at): enrolment_id
        for enrolment_id, program_id, created_at in session.execute(
            select(EnrolmentRow.id, EnrolmentRow.program_id, EnrolmentRow.created_at).order_by(EnrolmentRow.id)
        )
    }
    added = 0
    for enrolment in archive.enrolments:
        if enrolment.key in ids:
            continue
        row = EnrolmentRow(
            program_id=enrolment.program_id,
            start_date=enrolment.start_date,
            days=",".join(enrolment.days),
            time=enrolment.time.strftime("%H:%M"),
            status=enrolment.status,
            created_at=enrolment.created_at,
        )
        session.add(row)
        session.flush()
        ids[enrolment.key] = row.id
        added += 1
    return ids, added


def _import_scheduled_runs(
    session: Session, archive: JournalArchive, enrolment_ids: dict[EnrolmentKey, int]
) -> tuple[dict[str, int], list[tuple[int, RunKey | None]]]:
    """Uid -> id for every scheduled run now in the folder; and the added ones (id, the run they name)."""
    ids = {uid: scheduled_id for scheduled_id, uid in session.execute(select(ScheduledRunRow.id, ScheduledRunRow.uid))}
    added: list[tuple[int, RunKey | None]] = []
    for scheduled in archive.scheduled_runs:
        if scheduled.uid in ids:
            continue
        enrolment_id = None
        if scheduled.enrolment is not None:
            if scheduled.enrolment not in enrolment_ids:
                raise ValueError(f"scheduled run {scheduled.uid} names an enrolment that is not in the archive")
            enrolment_id = enrolment_ids[scheduled.enrolment]
        row = ScheduledRunRow(
            uid=scheduled.uid,
            enrolment_id=enrolment_id,
            session_id=scheduled.session_id,
            title=scheduled.title,
            due_at=scheduled.due_at,
            duration_s=scheduled.duration_s,
            week=scheduled.week,
            run_number=scheduled.run_number,
            recurrence=scheduled.recurrence,
            status=scheduled.status,
            run_id=None,  # linked once the runs are in (_link_scheduled_runs)
            created_at=scheduled.created_at,
        )
        session.add(row)
        session.flush()
        ids[scheduled.uid] = row.id
        added.append((row.id, scheduled.run))
    return ids, added


def _new_runs(session: Session, runs: Sequence[ArchivedRun]) -> list[ArchivedRun]:
    """The archive's runs that the folder does not have, matching equal keys one to one."""
    present = Counter(
        RunKey(started_at, session_id, as_one_of(source, RUN_SOURCES, "a run's source"))
        for started_at, session_id, source in session.execute(
            select(RunRow.started_at, RunRow.session_id, RunRow.source)
        )
    )
    new: list[ArchivedRun] = []
    for run in runs:
        key = RunKey(run.started_at.astimezone(dt.UTC), run.session_id, run.source)
        if present[key] > 0:
            present[key] -= 1
        else:
            new.append(run)
    return new


def _insert_runs(session: Session, runs: Sequence[ArchivedRun], scheduled_ids: dict[str, int]) -> list[int]:
    if not runs:
        return []
    rows: list[dict[str, Any]] = []
    for run in runs:
        scheduled_run_id = None
        if run.scheduled_run_uid is not None:
            if run.scheduled_run_uid not in scheduled_ids:
                raise ValueError(f"a run names the scheduled run {run.scheduled_run_uid}, which is not in the archive")
            scheduled_run_id = scheduled_ids[run.scheduled_run_uid]
        rows.append(
            {
                "session_id": run.session_id,
                "session_name": run.session_name,
                "session_tags": _encode_tags(run.session_tags),
                "planned_s": run.planned_s,
                "seed": run.seed,
                "scheduled_run_id": scheduled_run_id,
                "source": run.source,
                "status": run.status,
                "started_at": run.started_at,
                "ended_at": run.ended_at,
                "elapsed_s": run.elapsed_s,
                "segment_index": run.segment_index,
                "segments_done": run.segments_done,
                "segment_log_json": _encode_log(run.segment_log),
                "checkpoint_at": run.checkpoint_at,
            }
        )
    ids = _next_ids(session, RunRow.id, len(rows))
    session.execute(insert(RunRow), [{"id": run_id, **row} for run_id, row in zip(ids, rows, strict=True)])
    return ids


def _next_ids(session: Session, id_column: Any, count: int) -> list[int]:
    """``count`` fresh ids after the highest in use. Safe because the writing transaction holds SQLite's write
    lock from its start; giving ids up front lets one executemany insert every row (SQLite cannot promise the
    order of RETURNING rows, so SQLAlchemy would otherwise insert them one statement at a time)."""
    highest = session.execute(select(func.max(id_column))).scalar_one() or 0
    return list(range(highest + 1, highest + 1 + count))


def _insert_reflections(session: Session, runs: Sequence[ArchivedRun], run_ids: Sequence[int]) -> int:
    with_reflection = [(run_id, run.reflection) for run_id, run in zip(run_ids, runs, strict=True) if run.reflection]
    if not with_reflection:
        return 0
    rows = [
        {
            "run_id": run_id,
            "feeling_before": reflection.feeling_before,
            "arousal_before": reflection.arousal_before,
            "feeling_after": reflection.feeling_after,
            "arousal_after": reflection.arousal_after,
            "effort": reflection.effort,
            "prompt": reflection.prompt,
            "text": reflection.text,
            "distance_km": reflection.distance_km,
            "is_draft": reflection.is_draft,
            "created_at": reflection.created_at,
            "updated_at": reflection.updated_at,
        }
        for run_id, reflection in with_reflection
    ]
    reflection_ids = _next_ids(session, ReflectionRow.id, len(rows))
    session.execute(insert(ReflectionRow), [{"id": i, **row} for i, row in zip(reflection_ids, rows, strict=True)])
    tag_rows = [
        {"reflection_id": reflection_id, "tag": tag}
        for reflection_id, (_run_id, reflection) in zip(reflection_ids, with_reflection, strict=True)
        for tag in dict.fromkeys(reflection.tags)
    ]
    if tag_rows:
        session.execute(insert(ReflectionTagRow), tag_rows)
    return len(rows)


def _link_scheduled_runs(session: Session, new_scheduled: Sequence[tuple[int, RunKey | None]]) -> None:
    """Point each added scheduled run at the run it names (now in the folder, added or already there)."""
    wanted = [(scheduled_id, key) for scheduled_id, key in new_scheduled if key is not None]
    if not wanted:
        return
    run_ids: dict[RunKey, int] = {}
    rows = session.execute(select(RunRow.id, RunRow.started_at, RunRow.session_id, RunRow.source).order_by(RunRow.id))
    for run_id, started_at, session_id, source in rows:
        run_ids.setdefault(RunKey(started_at, session_id, as_one_of(source, RUN_SOURCES, "a run's source")), run_id)
    for scheduled_id, key in wanted:
        normalised = RunKey(key.started_at.astimezone(dt.UTC), key.session_id, key.source)
        if normalised not in run_ids:
            raise ValueError(f"a scheduled run names a run ({key}) that is not in the archive")
        session.execute(
            update(ScheduledRunRow).where(ScheduledRunRow.id == scheduled_id).values(run_id=run_ids[normalised])
        )

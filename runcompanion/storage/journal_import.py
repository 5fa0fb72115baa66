"""Importing a journal backup into the database: what the data folder lacks is added in the caller's one
transaction, and what it has already is recognised and left exactly as it is."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from runcompanion.storage.archive_figures import insert_device_data
from runcompanion.storage.archive_records import ArchivedRun, EnrolmentKey, ImportReport, JournalArchive, RunKey
from runcompanion.storage.models import (
    EnrolmentRow,
    OwnSessionRow,
    ReflectionRow,
    ReflectionTagRow,
    RunRow,
    ScheduledRunRow,
    require_aware,
)
from runcompanion.storage.records import RUN_SOURCES, as_one_of

# The run repository's own row conversion, so a run written here reads back exactly as one written there.
from runcompanion.storage.reflection_rows import encode_log
from runcompanion.storage.run_repository import _encode_tags


def import_archive(session: Session, archive: JournalArchive) -> ImportReport:
    """Add what a backup holds and the data folder lacks, all in one transaction; say what was added.

    Recognised as already there (and left exactly as it is): an own session with the same id, an
    enrolment with the same ``EnrolmentKey``, a scheduled run with the same uid, and a run with the same
    ``RunKey`` (with its reflection and device figures: the data folder's win). Runs that share a key are matched
    one to one, so a backup that holds two of them adds the second one once, and only once.
    The archive's links must resolve within it (``journal_transfer`` checks that first); ValueError if not.
    """
    sessions_added, sessions_present = _import_own_sessions(session, archive)
    enrolment_ids, enrolments_added = _import_enrolments(session, archive)
    scheduled_ids, new_scheduled = _import_scheduled_runs(session, archive, enrolment_ids)
    new_runs = _new_runs(session, archive.runs)
    run_ids = _insert_runs(session, new_runs, scheduled_ids)
    insert_device_data(session, new_runs, run_ids)
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
                "segment_log_json": encode_log(run.segment_log),
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

"""The whole journal and plan as a ``JournalArchive``: what a JSON backup holds, read in one snapshot.

Links between rows are expressed by keys (a run's start and session, an enrolment's program and creation),
never by ids, so an archive imports into another data folder. Any single thread at a time, never the GUI's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from runcompanion.storage.archive_figures import device_data_by_run
from runcompanion.storage.archive_records import (
    ArchivedEnrolment,
    ArchivedReflection,
    ArchivedRun,
    ArchivedScheduledRun,
    EnrolmentKey,
    JournalArchive,
)
from runcompanion.storage.database import Database
from runcompanion.storage.models import (
    EnrolmentRow,
    OwnSessionRow,
    ReflectionRow,
    ReflectionTagRow,
    RunRow,
    ScheduledRunRow,
)
from runcompanion.storage.records import (
    ENROLMENT_STATUSES,
    RECURRENCES,
    RUN_SOURCES,
    RUN_STATUSES,
    SCHEDULED_RUN_STATUSES,
    OwnSessionRecord,
    as_one_of,
)

# The run repository's own decoding of a run's tags, so an archive reads them as RunRepository does.
from runcompanion.storage.run_repository import _decode_tags


def read_archive(database: Database) -> JournalArchive:
    """The whole journal and plan as a ``JournalArchive`` (what a JSON backup holds), in one snapshot.

    Every run is in it, in progress or not; links between rows are expressed by keys, never by ids.
    """
    with database.transaction(write=False) as session:
        scheduled_rows = session.execute(
            select(ScheduledRunRow).order_by(ScheduledRunRow.due_at, ScheduledRunRow.uid)
        ).scalars()
        scheduled = list(scheduled_rows)
        enrolment_rows = list(session.scalars(select(EnrolmentRow).order_by(EnrolmentRow.created_at, EnrolmentRow.id)))
        runs = _archived_runs(session, {row.id: row.uid for row in scheduled})
        own_sessions = [
            OwnSessionRecord(
                id=row.id,
                name=row.name,
                definition=json.loads(row.definition_json),
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            for row in session.scalars(select(OwnSessionRow).order_by(OwnSessionRow.id))
        ]
    enrolment_keys = {row.id: EnrolmentKey(row.program_id, row.created_at) for row in enrolment_rows}
    linked = {row.run_id for row in scheduled if row.run_id is not None}
    run_keys = {run_id: run.key for run_id, run in runs if run_id in linked}
    return JournalArchive(
        runs=tuple(run for _run_id, run in runs),
        own_sessions=tuple(own_sessions),
        enrolments=tuple(
            ArchivedEnrolment(
                program_id=row.program_id,
                start_date=row.start_date,
                days=tuple(row.days.split(",")),
                time=dt.time.fromisoformat(row.time),
                status=as_one_of(row.status, ENROLMENT_STATUSES, "an enrolment's status"),
                created_at=row.created_at,
            )
            for row in enrolment_rows
        ),
        scheduled_runs=tuple(
            ArchivedScheduledRun(
                uid=row.uid,
                enrolment=None if row.enrolment_id is None else enrolment_keys[row.enrolment_id],
                session_id=row.session_id,
                title=row.title,
                due_at=row.due_at,
                duration_s=row.duration_s,
                week=row.week,
                run_number=row.run_number,
                recurrence=None
                if row.recurrence is None
                else as_one_of(row.recurrence, RECURRENCES, "a scheduled run's recurrence"),
                status=as_one_of(row.status, SCHEDULED_RUN_STATUSES, "a scheduled run's status"),
                run=None if row.run_id is None else run_keys.get(row.run_id),
                created_at=row.created_at,
            )
            for row in scheduled
        ),
    )


def _archived_runs(session: Session, scheduled_uids: dict[int, str]) -> list[tuple[int, ArchivedRun]]:
    """Every run with its reflection, by start (then id), as ``(run id, archived run)``.

    Columns are selected rather than ORM objects: an export of 100,000 runs builds no identity map.
    """
    all_tags: defaultdict[int, list[str]] = defaultdict(list)
    for reflection_id, tag in session.execute(
        select(ReflectionTagRow.reflection_id, ReflectionTagRow.tag).order_by(
            ReflectionTagRow.reflection_id, ReflectionTagRow.tag
        )
    ):
        all_tags[reflection_id].append(tag)
    devices = device_data_by_run(session)
    query = (
        select(
            RunRow.id,
            RunRow.started_at,
            RunRow.session_id,
            RunRow.source,
            RunRow.session_name,
            RunRow.session_tags,
            RunRow.planned_s,
            RunRow.seed,
            RunRow.status,
            RunRow.ended_at,
            RunRow.elapsed_s,
            RunRow.segment_index,
            RunRow.segments_done,
            RunRow.segment_log_json,
            RunRow.checkpoint_at,
            RunRow.scheduled_run_id,
            ReflectionRow.id,
            ReflectionRow.feeling_before,
            ReflectionRow.arousal_before,
            ReflectionRow.feeling_after,
            ReflectionRow.arousal_after,
            ReflectionRow.effort,
            ReflectionRow.prompt,
            ReflectionRow.text,
            ReflectionRow.distance_km,
            ReflectionRow.is_draft,
            ReflectionRow.created_at,
            ReflectionRow.updated_at,
        )
        .outerjoin(ReflectionRow, ReflectionRow.run_id == RunRow.id)
        .order_by(RunRow.started_at, RunRow.id)
    )
    result: list[tuple[int, ArchivedRun]] = []
    for (
        run_id,
        started_at,
        session_id,
        source,
        session_name,
        session_tags,
        planned_s,
        seed,
        status,
        ended_at,
        elapsed_s,
        segment_index,
        segments_done,
        log_json,
        checkpoint_at,
        scheduled_run_id,
        reflection_id,
        feeling_before,
        arousal_before,
        feeling_after,
        arousal_after,
        effort,
        prompt,
        text,
        distance_km,
        is_draft,
        created_at,
        updated_at,
    ) in session.execute(query):
        reflection = None
        if reflection_id is not None:
            reflection = ArchivedReflection(
                feeling_before=feeling_before,
                arousal_before=arousal_before,
                feeling_after=feeling_after,
                arousal_after=arousal_after,
                effort=effort,
                prompt=prompt,
                text=text,
                tags=tuple(all_tags.get(reflection_id, ())),
                distance_km=distance_km,
                is_draft=bool(is_draft),
                created_at=created_at,
                updated_at=updated_at,
            )
        run = ArchivedRun(
            started_at=started_at,
            session_id=session_id,
            source=as_one_of(source, RUN_SOURCES, "a run's source"),
            session_name=session_name,
            session_tags=_decode_tags(session_tags),
            planned_s=planned_s,
            seed=seed,
            status=as_one_of(status, RUN_STATUSES, "a run's status"),
            ended_at=ended_at,
            elapsed_s=elapsed_s,
            segment_index=segment_index,
            segments_done=segments_done,
            segment_log=json.loads(log_json),
            checkpoint_at=checkpoint_at,
            scheduled_run_uid=None if scheduled_run_id is None else scheduled_uids.get(scheduled_run_id),
            reflection=reflection,
        )
        measured = devices.get(run_id)
        if measured is not None:
            run = replace(run, figures=measured.figures, samples=measured.samples)
        result.append((run_id, run))
    return result

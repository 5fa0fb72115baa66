"""Reflection rows and their tags: finding, filling and reading them back as records. Shared by the journal's
writing side (``reflection_repository``) and the import of a backup (``journal_import``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from runcompanion.storage.models import (
    ReflectionRow,
    ReflectionTagRow,
    RunRow,
)
from runcompanion.storage.records import (
    CheckIn,
    DeletedEntry,
    ReflectionInput,
    ReflectionRecord,
)

# The run repository's own row conversion, so a run written here reads back exactly as one written there.
from runcompanion.storage.run_repository import RunNotFoundError


def reflection_of(session: Session, run_id: int) -> ReflectionRow | None:
    return session.scalars(select(ReflectionRow).where(ReflectionRow.run_id == run_id)).one_or_none()


def reflection_row_for(session: Session, run_id: int, now: dt.datetime) -> ReflectionRow:
    """The run's reflection row, or a new empty draft for it (added to the session)."""
    row = reflection_of(session, run_id)
    if row is not None:
        return row
    if session.get(RunRow, run_id) is None:
        raise RunNotFoundError(run_id)
    row = ReflectionRow(run_id=run_id, prompt="", text="", is_draft=True, created_at=now, updated_at=now)
    session.add(row)
    return row


def fill(row: ReflectionRow, reflection: ReflectionInput, *, draft: bool, check_in: CheckIn | None) -> None:
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


def tags_of(session: Session, reflection_id: int) -> tuple[str, ...]:
    query = select(ReflectionTagRow.tag).where(ReflectionTagRow.reflection_id == reflection_id)
    return tuple(session.scalars(query.order_by(ReflectionTagRow.tag)))


def replace_tags(session: Session, reflection_id: int, tags: Sequence[str]) -> None:
    """Make the reflection's tags exactly ``tags``, touching only those that change (each change is a trigger)."""
    current = set(tags_of(session, reflection_id))
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


def same_run_id(session: Session, deleted: DeletedEntry) -> int | None:
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


def encode_log(segment_log: Sequence[dict[str, Any]]) -> str:
    return json.dumps([dict(entry) for entry in segment_log], ensure_ascii=False, allow_nan=False)


def non_empty(value: str, what: str) -> str:
    if not value:
        raise ValueError(f"a run needs a non-empty {what}")
    return value

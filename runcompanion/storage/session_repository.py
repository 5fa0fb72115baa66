"""Own sessions: the ones the runner built or imported, kept whole as JSON. Built-in ones live in TOML."""

from __future__ import annotations

import builtins
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select

from runcompanion.core.errors import UserError
from runcompanion.storage.database import Database
from runcompanion.storage.models import OwnSessionRow, require_aware, utc_now
from runcompanion.storage.records import OwnSessionRecord


class OwnSessionExistsError(UserError):
    """An own session with this id is already saved."""

    def __init__(self, session_id: str) -> None:
        super().__init__(
            f'An own session with the id "{session_id}" already exists. '
            "Give the new session another id, or replace the existing one."
        )
        self.session_id = session_id


class OwnSessionNotFoundError(UserError):
    """No own session has this id."""

    def __init__(self, session_id: str) -> None:
        super().__init__(f'There is no own session with the id "{session_id}".')
        self.session_id = session_id


class SessionRepository:
    """Saves and reads own sessions. Hands out ``OwnSessionRecord``s only.

    Threads: every method is one transaction of its own. Call it from one thread at a time; the app calls it
    from its storage worker thread, never from the GUI thread.
    """

    def __init__(self, database: Database, *, now: Callable[[], dt.datetime] = utc_now) -> None:
        """``now`` gives the current aware time for created/updated stamps (a fixed clock in tests)."""
        self._database = database
        self._now = now

    def add(self, session_id: str, name: str, definition: Mapping[str, Any]) -> OwnSessionRecord:
        """Save a new own session. Raises ``OwnSessionExistsError`` if the id is taken."""
        definition_json = _encode_definition(definition)
        now = self._stamp()
        with self._database.transaction() as session:
            if session.get(OwnSessionRow, _valid_id(session_id)) is not None:
                raise OwnSessionExistsError(session_id)
            row = OwnSessionRow(
                id=session_id, name=name, definition_json=definition_json, created_at=now, updated_at=now
            )
            session.add(row)
            session.flush()
            return _own_session_record(row)

    def replace(self, session_id: str, name: str, definition: Mapping[str, Any]) -> OwnSessionRecord:
        """Overwrite an own session's name and definition, keeping its creation time.

        Raises ``OwnSessionNotFoundError`` if there is none with this id.
        """
        definition_json = _encode_definition(definition)
        now = self._stamp()
        with self._database.transaction() as session:
            row = session.get(OwnSessionRow, session_id)
            if row is None:
                raise OwnSessionNotFoundError(session_id)
            row.name = name
            row.definition_json = definition_json
            row.updated_at = now
            return _own_session_record(row)

    def get(self, session_id: str) -> OwnSessionRecord | None:
        """The own session with this id, or None."""
        with self._database.transaction(write=False) as session:
            row = session.get(OwnSessionRow, session_id)
            return None if row is None else _own_session_record(row)

    def list(self) -> builtins.list[OwnSessionRecord]:
        """Every own session, by name (then id, so equal names keep a stable order)."""
        query = select(OwnSessionRow).order_by(OwnSessionRow.name, OwnSessionRow.id)
        with self._database.transaction(write=False) as session:
            return [_own_session_record(row) for row in session.scalars(query)]

    def delete(self, session_id: str) -> bool:
        """Delete an own session. Runs keep their copy of its id and name. False when there was none."""
        with self._database.transaction() as session:
            row = session.get(OwnSessionRow, session_id)
            if row is None:
                return False
            session.delete(row)
            return True

    def _stamp(self) -> dt.datetime:
        return require_aware(self._now(), "the repository clock").astimezone(dt.UTC)


def _valid_id(session_id: str) -> str:
    if not session_id or session_id != session_id.strip():
        raise ValueError(f"an own session id must be non-empty without surrounding spaces; got {session_id!r}")
    return session_id


def _encode_definition(definition: Mapping[str, Any]) -> str:
    return json.dumps(dict(definition), ensure_ascii=False, allow_nan=False)


def _own_session_record(row: OwnSessionRow) -> OwnSessionRecord:
    definition: dict[str, Any] = json.loads(row.definition_json)
    return OwnSessionRecord(
        id=row.id,
        name=row.name,
        definition=definition,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )

"""SessionRepository: the runner's own sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from runcompanion.core.errors import UserError
from runcompanion.storage.database import Database
from runcompanion.storage.models import Base
from runcompanion.storage.records import OwnSessionRecord
from runcompanion.storage.session_repository import (
    OwnSessionExistsError,
    OwnSessionNotFoundError,
    SessionRepository,
)

DEFINITION: dict[str, Any] = {
    "id": "easy-20",
    "name": "Easy 20",
    "tags": ["easy"],
    "segments": [{"kind": "warmup", "duration_s": 300}, {"kind": "run", "duration_s": 900, "speed_kmh": 8.5}],
}


@pytest.fixture
def sessions(database: Database, clock: Callable[[], dt.datetime]) -> SessionRepository:
    return SessionRepository(database, now=clock)


def test_add_and_get(sessions: SessionRepository) -> None:
    added = sessions.add("easy-20", "Easy 20", DEFINITION)

    assert type(added) is OwnSessionRecord
    assert not isinstance(added, Base)
    assert (added.id, added.name, added.definition) == ("easy-20", "Easy 20", DEFINITION)
    assert added.created_at == added.updated_at == dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)
    assert sessions.get("easy-20") == added
    assert sessions.get("nope") is None


def test_a_duplicate_id_is_refused_with_a_user_error_naming_it(sessions: SessionRepository) -> None:
    original = sessions.add("easy-20", "Easy 20", DEFINITION)
    with pytest.raises(OwnSessionExistsError) as raised:
        sessions.add("easy-20", "Another", {"segments": []})
    assert isinstance(raised.value, UserError)
    assert '"easy-20"' in str(raised.value)
    assert sessions.list() == [original]


def test_replace_keeps_the_creation_time(sessions: SessionRepository) -> None:
    added = sessions.add("easy-20", "Easy 20", DEFINITION)
    replaced = sessions.replace("easy-20", "Easy twenty", {"segments": []})

    assert (replaced.name, replaced.definition) == ("Easy twenty", {"segments": []})
    assert replaced.created_at == added.created_at
    assert replaced.updated_at > added.updated_at
    assert sessions.get("easy-20") == replaced


def test_replace_refuses_an_unknown_id(sessions: SessionRepository) -> None:
    with pytest.raises(OwnSessionNotFoundError, match='"ghost"'):
        sessions.replace("ghost", "Ghost", {})
    assert sessions.list() == []


def test_list_is_by_name(sessions: SessionRepository) -> None:
    sessions.add("b", "Hills", {})
    sessions.add("a", "Tempo", {})
    sessions.add("c", "Easy", {})
    assert [record.name for record in sessions.list()] == ["Easy", "Hills", "Tempo"]


def test_delete(sessions: SessionRepository) -> None:
    sessions.add("a", "A", {})
    sessions.add("b", "B", {})
    assert sessions.delete("a") is True
    assert sessions.delete("a") is False
    assert [record.id for record in sessions.list()] == ["b"]


def test_definitions_survive_reopening(sessions: SessionRepository, reopen: Callable[[], Database]) -> None:
    added = sessions.add("easy-20", "Easy 20", DEFINITION)
    assert SessionRepository(reopen()).get("easy-20") == added


@pytest.mark.parametrize("bad_id", ["", " easy", "easy "])
def test_a_blank_or_padded_id_is_refused(sessions: SessionRepository, bad_id: str) -> None:
    with pytest.raises(ValueError, match="id"):
        sessions.add(bad_id, "Easy", {})
    assert sessions.list() == []

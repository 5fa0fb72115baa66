"""Fixtures for storage tests: a real SQLite file in tmp_path, opened and migrated, closed after the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from runcompanion.storage.database import Database

START = dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)


class SteppingClock:
    """An aware UTC clock that moves one second per reading, so every stamp is distinct and predictable."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        reading = self.now
        self.now += dt.timedelta(seconds=1)
        return reading


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "runcompanion.sqlite3"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    with Database.open(db_path) as opened:
        yield opened


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def reopen(db_path: Path) -> Iterator[Callable[[], Database]]:
    """Open the test's database file again (as a later app start would); every copy is closed at the end."""
    opened: list[Database] = []

    def _reopen() -> Database:
        opened.append(Database.open(db_path))
        return opened[-1]

    yield _reopen
    for database in opened:
        database.close()

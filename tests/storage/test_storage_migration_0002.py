"""Migration 0002: a journal written before it becomes searchable, and the downgrade takes it all away again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from runcompanion.storage.database import Database, alembic_config
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import JournalFilter

_OLD_JOURNAL = """
INSERT INTO runs (id, session_id, session_name, session_tags, planned_s, source, status, started_at, elapsed_s)
VALUES
    (1, 'easy-30', 'Easy Café 30', 'easy,mindful', 1800, 'app', 'finished', '2024-05-06T05:30:00.000000+00:00', 1800),
    (2, 'hills', 'Hill reps', '', 1500, 'app', 'stopped', '2024-05-08T17:00:00.000000+00:00', 900),
    (3, 'manual', 'Park loop', '', 2400, 'manual', 'finished', '2024-05-09T06:00:00.000000+00:00', 2400);
INSERT INTO reflections (id, run_id, feeling_before, feeling_after, prompt, text, is_draft, created_at, updated_at)
VALUES
    (10, 1, -1, 3, 'What did you notice around you?', 'Blackbirds singing', 0,
     '2024-05-06T06:00:00+00:00', '2024-05-06T06:00:00+00:00'),
    (11, 3, 0, 2, '', 'Geese on the pond', 1, '2024-05-09T07:00:00+00:00', '2024-05-09T07:00:00+00:00');
INSERT INTO reflection_tags (reflection_id, tag) VALUES (10, 'morning'), (10, 'outdoors'), (11, 'park');
"""


def _at_0001_with_a_journal(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0001")
    finally:
        engine.dispose()
    raw = sqlite3.connect(path)
    try:
        raw.executescript(_OLD_JOURNAL)
    finally:
        raw.close()


def _schema_names(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        query = "SELECT name FROM sqlite_master WHERE name LIKE 'journal%' OR name = 'ix_runs_session_id'"
        return {row[0] for row in connection.execute(query)}
    finally:
        connection.close()


def _found(database: Database, words: str) -> list[int]:
    return [entry.run_id for entry in JournalQueries(database).page(JournalFilter(text=words)).entries]


def test_an_old_journal_is_searchable_after_the_upgrade(db_path: Path) -> None:
    _at_0001_with_a_journal(db_path)
    backed_up: list[Path] = []

    with Database.open(db_path, before_migrate=backed_up.append) as database:
        assert database.schema_revision() == Database.head_revision()
        assert backed_up == [db_path]
        assert _found(database, "blackbird") == [1]
        assert _found(database, "cafe") == [1]  # session name
        assert _found(database, "mindful") == [1]  # session tags
        assert _found(database, "noticE") == [1]  # prompt
        assert _found(database, "outdoors") == [1]  # reflection tag
        assert _found(database, "hill") == [2]  # a run without a reflection
        assert _found(database, "geese park") == [3]
        assert JournalQueries(database).page().total == 3


def test_downgrade_removes_the_index_and_keeps_the_journal(db_path: Path) -> None:
    _at_0001_with_a_journal(db_path)
    with Database.open(db_path):
        pass
    assert "journal_search" in _schema_names(db_path)
    assert "ix_runs_session_id" in _schema_names(db_path)

    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0001")
    finally:
        engine.dispose()

    assert _schema_names(db_path) == set()  # no table, shadow table, trigger or index left behind
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("SELECT count(*) FROM reflections").fetchone() == (2,)
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        raw.execute("UPDATE reflections SET text = 'changed while at 0001' WHERE id = 10")
        raw.commit()
    finally:
        raw.close()

    with Database.open(db_path) as database:  # and up again: the index is rebuilt from what is there now
        assert _found(database, "changed") == [1]
        assert _found(database, "blackbirds") == []

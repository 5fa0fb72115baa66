"""Opening, checking and migrating the database file; pragmas; file mode; transactions."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from runcompanion.core.errors import UserError
from runcompanion.storage import database as database_module
from runcompanion.storage.database import (
    Database,
    DatabaseCorruptError,
    DatabaseTooNewError,
    DatabaseUnavailableError,
    ForeignDatabaseError,
    alembic_config,
)
from runcompanion.storage.models import ReflectionRow, ReflectionTagRow, RunRow, SettingRow
from runcompanion.storage.records import RunRecord
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.settings_repository import SettingsRepository

WHEN = dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)


def _tables(path: Path) -> set[str]:
    """The tables in the file, read with plain sqlite3 so the check does not rely on the code under test."""
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()


def _revision(path: Path) -> str | None:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    finally:
        connection.close()
    return rows[0][0] if rows else None


def _downgrade_to_base(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
    finally:
        engine.dispose()


MIGRATIONS = Path(database_module.__file__).parent / "migrations" / "versions"
HEAD = max(p.name.split("_")[0] for p in MIGRATIONS.glob("[0-9]*_*.py"))
"""The newest shipped revision; the made-up test revisions below go on top of it as 9001."""


def _migrations_with(tmp_path: Path, name: str, source: str) -> Path:
    """A copy of the real migrations folder plus one more revision, for testing upgrades past 0001."""
    folder = tmp_path / "migrations"
    shutil.copytree(database_module._MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / name).write_text(source, encoding="utf-8")
    return folder


_BATCH_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # recreate="always": copy runs to a new table, DROP the old one, rename: what a real batch migration does.
    with op.batch_alter_table("runs", recreate="always") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs", recreate="always") as batch:
        batch.drop_column("note")
"""

_FAILING_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("scratch", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE settings SET value_json = '\\"changed\\"'")
    raise RuntimeError("this migration fails halfway")


def downgrade() -> None:
    pass
"""


def test_new_file_is_created_at_head(db_path: Path) -> None:
    with Database.open(db_path) as database:
        assert database.schema_revision() == Database.head_revision() == HEAD
        assert database.path == db_path
    assert {"settings", "own_sessions", "runs", "reflections", "reflection_tags", "enrolments"} < _tables(db_path)
    assert _revision(db_path) == HEAD


def test_data_survives_close_and_reopen(db_path: Path, reopen: Callable[[], Database]) -> None:
    with Database.open(db_path) as database:
        SettingsRepository(database).set("voice", {"name": "en-gb", "rate": 170})
        started = RunRepository(database).start("easy-30", "Easy 30", ["easy"], 1800.0, 42, started_at=WHEN)

    again = reopen()
    assert SettingsRepository(again).get("voice") == {"name": "en-gb", "rate": 170}
    assert RunRepository(again).get(started.id) == started


def test_every_connection_has_the_pragmas_on(database: Database) -> None:
    # Two transactions at once need two pooled connections, so both the migrating connection (reused first)
    # and a fresh one are checked. Foreign keys must be back on after the migration switched them off.
    with database.transaction(write=False) as first, database.transaction(write=False) as second:
        for session in (first, second):
            assert session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert session.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert session.execute(text("PRAGMA busy_timeout")).scalar_one() == 5000
            assert session.execute(text("PRAGMA synchronous")).scalar_one() == 1  # NORMAL
        assert first.connection().connection.dbapi_connection is not second.connection().connection.dbapi_connection


def test_database_files_are_private(db_path: Path, database: Database) -> None:
    SettingsRepository(database).set("units", "km")  # a commit, so the -wal and -shm files exist
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_existing_files_mode_is_left_alone(db_path: Path) -> None:
    with Database.open(db_path):
        pass
    db_path.chmod(0o640)
    with Database.open(db_path):
        pass
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o640


def test_transaction_commits_or_rolls_back(database: Database) -> None:
    with database.transaction() as session:
        session.add(SettingRow(key="kept", value_json="1", updated_at=WHEN))

    def write_then_fail() -> None:
        with database.transaction() as session:
            session.add(SettingRow(key="dropped", value_json="2", updated_at=WHEN))
            session.flush()
            raise RuntimeError("abandon")

    with pytest.raises(RuntimeError, match="abandon"):
        write_then_fail()
    with database.transaction(write=False) as session:
        assert list(session.scalars(select(SettingRow.key))) == ["kept"]


def test_a_reader_is_not_blocked_by_a_writer_and_sees_a_snapshot(database: Database) -> None:
    with database.transaction() as writer:
        writer.add(SettingRow(key="pending", value_json="1", updated_at=WHEN))
        writer.flush()
        with database.transaction(write=False) as reader:
            assert list(reader.scalars(select(SettingRow.key))) == []
    with database.transaction(write=False) as reader:
        assert list(reader.scalars(select(SettingRow.key))) == ["pending"]


def test_a_closed_database_refuses_transactions(db_path: Path) -> None:
    database = Database.open(db_path)
    database.close()
    database.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"), database.transaction():
        pass


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def _text_file(path: Path) -> None:
    path.write_text("Monday: ran 20 minutes, felt great.\n" * 100, encoding="utf-8")


def _truncated_database(path: Path) -> None:
    with Database.open(path) as database:
        runs = RunRepository(database)
        for number in range(50):
            runs.start(f"session-{number}", "A session " * 20, ["easy"], 1800.0, number, started_at=WHEN)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _header_only(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(40))


@pytest.mark.parametrize("damage", [_random_bytes, _text_file, _truncated_database, _header_only])
def test_a_damaged_file_is_refused_and_left_untouched(db_path: Path, damage: Callable[[Path], None]) -> None:
    damage(db_path)
    before = db_path.read_bytes()
    hook_calls: list[Path] = []

    with pytest.raises(DatabaseCorruptError) as raised:
        Database.open(db_path, before_migrate=hook_calls.append)

    assert isinstance(raised.value, UserError)
    message = str(raised.value)
    assert str(db_path) in message
    assert "damaged" in message
    assert "backup" in message
    assert raised.value.path == db_path
    assert db_path.read_bytes() == before
    assert hook_calls == []


def test_an_empty_file_is_a_new_database(db_path: Path) -> None:
    db_path.touch()
    hook_calls: list[Path] = []
    with Database.open(db_path, before_migrate=hook_calls.append) as database:
        assert database.schema_revision() == HEAD
    assert hook_calls == []


def test_someone_elses_sqlite_database_is_refused(db_path: Path) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    connection.commit()
    connection.close()
    before = db_path.read_bytes()

    with pytest.raises(ForeignDatabaseError, match="not a RunCompanion one") as raised:
        Database.open(db_path)

    assert str(db_path) in str(raised.value)
    assert db_path.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    with Database.open(db_path):
        pass
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()

    with pytest.raises(DatabaseTooNewError, match="newer version") as raised:
        Database.open(db_path)

    assert str(db_path) in str(raised.value)
    assert "0099" in str(raised.value)
    assert _revision(db_path) == "0099"


def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "runcompanion.sqlite3"
    with pytest.raises(DatabaseUnavailableError, match="does not exist") as raised:
        Database.open(path)
    assert str(path) in str(raised.value)
    assert not path.parent.exists()


def test_a_folder_in_place_of_the_file_is_reported(db_path: Path) -> None:
    db_path.mkdir()
    with pytest.raises(DatabaseUnavailableError) as raised:
        Database.open(db_path)
    assert str(db_path) in str(raised.value)


def test_before_migrate_is_not_called_for_a_new_or_current_database(db_path: Path) -> None:
    hook_calls: list[Path] = []
    with Database.open(db_path, before_migrate=hook_calls.append):
        pass
    with Database.open(db_path, before_migrate=hook_calls.append):
        pass
    assert hook_calls == []


def test_before_migrate_is_called_before_upgrading_a_database_at_base(db_path: Path) -> None:
    with Database.open(db_path):
        pass
    _downgrade_to_base(db_path)
    assert "runs" not in _tables(db_path)
    seen_when_called: list[tuple[Path, set[str]]] = []

    def back_up(path: Path) -> None:
        seen_when_called.append((path, _tables(path)))

    with Database.open(db_path, before_migrate=back_up) as database:
        assert database.schema_revision() == HEAD

    assert len(seen_when_called) == 1
    path, tables_then = seen_when_called[0]
    assert path == db_path
    assert "runs" not in tables_then  # the hook saw the file before any migration touched it
    assert "runs" in _tables(db_path)


def test_a_failing_before_migrate_stops_the_migration(db_path: Path) -> None:
    with Database.open(db_path):
        pass
    _downgrade_to_base(db_path)

    def failing_backup(path: Path) -> None:
        raise OSError(f"disk full while backing up {path}")

    with pytest.raises(OSError, match="disk full"):
        Database.open(db_path, before_migrate=failing_backup)
    assert "runs" not in _tables(db_path)


def test_a_batch_migration_keeps_rows_that_point_at_the_rebuilt_table(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rebuilding runs means DROP TABLE runs. With foreign keys on, that DROP would cascade to reflections
    # and their tags: this is the data loss that switching them off around migrations prevents.
    with Database.open(db_path) as database:
        run = RunRepository(database).start("easy-30", "Easy 30", [], 1800.0, None, started_at=WHEN)
        with database.transaction() as session:
            reflection = ReflectionRow(run_id=run.id, feeling_before=1, created_at=WHEN, updated_at=WHEN)
            session.add(reflection)
            session.flush()
            session.add(ReflectionTagRow(reflection_id=reflection.id, tag="calm"))
    monkeypatch.setattr(
        database_module,
        "_MIGRATIONS_DIR",
        _migrations_with(tmp_path, "9001_note.py", _BATCH_REVISION.format(head=HEAD)),
    )
    hook_calls: list[Path] = []

    with Database.open(db_path, before_migrate=hook_calls.append) as database:
        assert database.schema_revision() == Database.head_revision() == "9001"
        with database.transaction(write=False) as session:
            assert session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert session.execute(text("SELECT count(*) FROM reflections")).scalar_one() == 1
            assert session.execute(text("SELECT count(*) FROM reflection_tags")).scalar_one() == 1
            assert session.execute(text("SELECT note FROM runs")).all() == [(None,)]
    assert hook_calls == [db_path]


def test_a_failing_migration_changes_nothing(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Database.open(db_path) as database:
        SettingsRepository(database).set("units", "km")
    monkeypatch.setattr(
        database_module,
        "_MIGRATIONS_DIR",
        _migrations_with(tmp_path, "9001_fails.py", _FAILING_REVISION.format(head=HEAD)),
    )

    with pytest.raises(RuntimeError, match="fails halfway"):
        Database.open(db_path)

    assert _revision(db_path) == HEAD
    assert "scratch" not in _tables(db_path)
    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute("SELECT value_json FROM settings").fetchall() == [('"km"',)]
    finally:
        connection.close()


def test_run_rows_are_written_with_utc_text(database: Database) -> None:
    # The stored form matters to anyone reading the file with other tools, and to SQL ordering.
    local = dt.timezone(dt.timedelta(hours=2))
    run = RunRepository(database).start(
        "s", "S", [], 60.0, None, started_at=dt.datetime(2024, 5, 6, 9, 30, tzinfo=local)
    )
    with database.transaction(write=False) as session:
        stored = session.execute(text("SELECT started_at FROM runs WHERE id = :id"), {"id": run.id}).scalar_one()
        row = session.get(RunRow, run.id)
        assert row is not None
        assert row.started_at == WHEN
    assert stored == "2024-05-06T07:30:00.000000+00:00"


def test_the_database_file_is_created_private_even_with_a_permissive_umask(db_path: Path) -> None:
    previous = os.umask(0)
    try:
        with Database.open(db_path):
            pass
    finally:
        os.umask(previous)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_a_worker_thread_can_use_the_database_opened_on_another(database: Database) -> None:
    # The app opens (and migrates) on the main thread and then works from a worker; the pooled connection the
    # migration used must be usable there (sqlite3 would refuse it with check_same_thread).
    outcome: list[object] = []

    def work() -> None:
        try:
            outcome.append(RunRepository(database).start("s", "S", (), 60.0, None, started_at=WHEN))
        except Exception as error:  # handed back to the test thread, which fails with it
            outcome.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()

    (result,) = outcome
    assert isinstance(result, RunRecord), result
    assert RunRepository(database).list() == [result]

"""Backups: made with SQLite's backup API while the database is open, listed, rolled daily, checked, restored."""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services.backup_service import (
    BackupError,
    BackupNotFoundError,
    BackupService,
    DatabaseInUseError,
    InvalidBackupError,
)
from runcompanion.storage import database_files
from runcompanion.storage.database import Database, alembic_config
from runcompanion.storage.run_repository import RunRepository

T0 = dt.datetime(2024, 5, 6, 7, 30, 15, tzinfo=dt.UTC)


class Clock:
    """A settable aware UTC clock."""

    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    home = tmp_path / "home"
    app_paths = AppPaths(data_dir=home / "data", cache_dir=home / "cache", config_dir=home / "config")
    app_paths.ensure()
    return app_paths


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def backups(paths: AppPaths, clock: Clock) -> BackupService:
    return BackupService(paths, now=clock, zone=dt.UTC)


@pytest.fixture
def opened(paths: AppPaths) -> Iterator[Callable[[], Database]]:
    """Open the data folder's database (as the app does); every copy is closed at the end of the test."""
    databases: list[Database] = []

    def _open() -> Database:
        databases.append(Database.open(paths.database))
        return databases[-1]

    yield _open
    for database in databases:
        database.close()


def _add_runs(database: Database, names: list[str]) -> None:
    repository = RunRepository(database)
    for number, name in enumerate(names):
        run = repository.start(f"s{number}", name, ["easy"], 600.0, seed=number, started_at=T0)
        repository.finish(run.id, "finished", 600.0, 1, 1, [], ended_at=T0 + dt.timedelta(minutes=10))


def _run_names(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [str(row[0]) for row in connection.execute("SELECT session_name FROM runs ORDER BY id")]
    finally:
        connection.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _corrupt(path: Path) -> None:
    """Overwrite most pages after the first with garbage, as a failing disk would."""
    data = bytearray(path.read_bytes())
    assert len(data) > 4096 * 3, "the database is too small to damage realistically"
    for index in range(4096, len(data) - 4096):
        data[index] = 0x5A
    path.write_bytes(bytes(data))


# --------------------------------------------------------------------------------------------- making one


def test_a_backup_is_a_private_self_contained_copy_named_with_time_and_reason(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database]
) -> None:
    database = opened()
    _add_runs(database, ["Easy Café 30", "Hill reps"])

    info = backups.create("manual")

    assert info.id == "20240506T073015Z-manual"
    assert info.path == paths.backups_dir / "runcompanion-20240506T073015Z-manual.sqlite3"
    assert info.created_at == T0
    assert info.reason == "manual"
    assert info.run_count == 2
    assert info.size_bytes == info.path.stat().st_size > 0
    assert _mode(info.path) == 0o600
    assert _mode(paths.backups_dir) == 0o700
    assert _run_names(info.path) == ["Easy Café 30", "Hill reps"]
    # Rollback-journal mode (header bytes 18 and 19 are 1): the backup needs no -wal file beside it.
    assert info.path.read_bytes()[18:20] == b"\x01\x01"
    assert sorted(p.name for p in paths.backups_dir.iterdir()) == [info.path.name]


def test_a_backup_made_while_the_app_writes_holds_every_committed_run(
    backups: BackupService, opened: Callable[[], Database]
) -> None:
    database = opened()
    _add_runs(database, ["one", "two", "three"])
    # The app keeps its connection open: the last commits are still in the write-ahead log, not in the file.
    with database.transaction(write=False) as session:
        session.connection().exec_driver_sql("SELECT count(*) FROM runs").all()
        info = backups.create("manual")
    assert info.run_count == 3
    assert _run_names(info.path) == ["one", "two", "three"]
    _add_runs(database, ["four"])  # the app goes on writing afterwards
    assert RunRepository(database).list()[0].session_name == "four"


def test_two_backups_in_the_same_second_get_distinct_ids(
    backups: BackupService, opened: Callable[[], Database]
) -> None:
    opened()
    first = backups.create("manual")
    second = backups.create("manual")
    assert (first.id, second.id) == ("20240506T073015Z-manual", "20240506T073015Z-manual-2")
    assert [info.id for info in backups.list()] == [second.id, first.id]


def test_there_is_nothing_to_back_up_without_a_database(backups: BackupService, paths: AppPaths) -> None:
    with pytest.raises(BackupError, match="no database to back up"):
        backups.create("manual")
    assert backups.daily_if_due() is None
    assert not paths.backups_dir.exists() or list(paths.backups_dir.iterdir()) == []


def test_a_full_disk_leaves_no_half_backup(
    backups: BackupService, opened: Callable[[], Database], paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened()

    def disk_full(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(database_files, "fsync_file", disk_full)
    with pytest.raises(BackupError) as caught:
        backups.create("manual")
    message = str(caught.value)
    assert "no space left on device" in message.lower()
    assert "free some space" in message.lower()
    assert "\n" not in message
    assert list(paths.backups_dir.iterdir()) == []
    assert backups.list() == []


# ------------------------------------------------------------------------------------------------ listing


def test_the_list_is_newest_first_with_size_and_run_count(
    backups: BackupService, clock: Clock, opened: Callable[[], Database], paths: AppPaths
) -> None:
    database = opened()
    made = []
    for reason in ("daily", "manual", "pre-migration", "pre-restore"):
        made.append(backups.create(reason))
        _add_runs(database, [reason])
        clock.now += dt.timedelta(hours=1)
    # Files that are not backups are left out; a damaged backup is listed, with no run count.
    (paths.backups_dir / "notes.txt").write_text("mine", encoding="utf-8")
    (paths.backups_dir / "runcompanion-yesterday-manual.sqlite3").write_bytes(b"")
    damaged = paths.backups_dir / "runcompanion-20240101T000000Z-manual.sqlite3"
    damaged.write_bytes(b"this is not a database at all" * 200)

    listed = backups.list()

    assert [info.id for info in listed] == [info.id for info in reversed(made)] + ["20240101T000000Z-manual"]
    assert [info.run_count for info in listed] == [3, 2, 1, 0, None]
    assert [info.reason for info in listed[:4]] == ["pre-restore", "pre-migration", "manual", "daily"]
    assert all(info.size_bytes == info.path.stat().st_size for info in listed)
    assert listed[-1].as_dict() == {
        "id": "20240101T000000Z-manual",
        "file": str(damaged),
        "created_at": "2024-01-01T00:00:00+00:00",
        "reason": "manual",
        "size_bytes": damaged.stat().st_size,
        "runs": None,
    }
    assert backups.latest() == listed[0]
    assert backups.get(listed[1].id) == listed[1]
    assert backups.get(listed[1].path.name) == listed[1]  # the file name works too


def test_an_unknown_backup_is_a_user_error(backups: BackupService) -> None:
    with pytest.raises(BackupNotFoundError, match='no backup "nope"') as caught:
        backups.get("nope")
    assert isinstance(caught.value, UserError)
    assert "runcompanion backup list" in str(caught.value)


# ---------------------------------------------------------------------------------------------- automatic


def test_the_daily_backup_is_made_once_a_day_and_the_last_seven_are_kept(
    backups: BackupService, clock: Clock, opened: Callable[[], Database]
) -> None:
    opened()
    manual = backups.create("manual")
    made = []
    for day in range(10):
        clock.now = T0 + dt.timedelta(days=day)
        first = backups.daily_if_due()
        assert first is not None
        made.append(first)
        clock.now += dt.timedelta(hours=3)  # a second start the same day
        assert backups.daily_if_due() is None

    daily = [info for info in backups.list() if info.reason == "daily"]
    assert [info.id for info in daily] == [info.id for info in reversed(made[-7:])]
    assert not made[0].path.exists()
    assert manual.path.exists()  # the app removes only its own daily backups


def test_a_day_is_the_runners_calendar_day(paths: AppPaths, clock: Clock, opened: Callable[[], Database]) -> None:
    opened()
    zone = dt.timezone(dt.timedelta(hours=-5))
    backups = BackupService(paths, now=clock, zone=zone)
    clock.now = dt.datetime(2024, 5, 6, 23, 0, tzinfo=zone)
    assert backups.daily_if_due() is not None
    clock.now = dt.datetime(2024, 5, 7, 0, 30, tzinfo=zone)  # after local midnight; the same UTC day
    assert backups.daily_if_due() is not None


def _at_revision_0001(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0001")
    finally:
        engine.dispose()
    raw = sqlite3.connect(path)
    try:
        raw.execute(
            "INSERT INTO runs (id, session_id, session_name, planned_s, source, status, started_at) "
            "VALUES (1, 'easy', 'Easy 30', 1800, 'app', 'finished', '2024-05-06T05:30:00.000000+00:00')"
        )
        raw.commit()
    finally:
        raw.close()


def test_an_old_database_is_backed_up_before_it_is_migrated(paths: AppPaths, backups: BackupService) -> None:
    _at_revision_0001(paths.database)

    with Database.open(paths.database, before_migrate=backups.before_migrate) as database:
        assert database.schema_revision() == Database.head_revision()

    (backup,) = backups.list()
    assert backup.reason == "pre-migration"
    assert backup.run_count == 1
    connection = sqlite3.connect(f"{backup.path.as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        connection.close()
    with Database.open(paths.database, before_migrate=backups.before_migrate):
        pass
    assert len(backups.list()) == 1  # nothing to migrate, nothing backed up


def test_no_migration_without_its_backup(
    paths: AppPaths, backups: BackupService, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at_revision_0001(paths.database)
    before = paths.database.read_bytes()

    def disk_full(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(database_files, "fsync_file", disk_full)
    with pytest.raises(BackupError, match=r"(?i)no space left"):
        Database.open(paths.database, before_migrate=backups.before_migrate)
    assert paths.database.read_bytes() == before


# --------------------------------------------------------------------------------------------- restoring


def test_restore_brings_the_backup_back_and_keeps_what_was_there(
    paths: AppPaths, backups: BackupService, clock: Clock, opened: Callable[[], Database]
) -> None:
    database = opened()
    _add_runs(database, ["before"])
    saved = backups.create("manual")
    _add_runs(database, ["after 1", "after 2"])
    database.close()
    clock.now += dt.timedelta(minutes=5)

    report = backups.restore(saved.id)

    assert report.restored == saved
    assert report.run_count == 1
    assert report.database == paths.database
    assert report.moved_aside is None
    assert report.safety_backup is not None
    assert report.safety_backup.reason == "pre-restore"
    assert report.safety_backup.run_count == 3
    assert _run_names(report.safety_backup.path) == ["before", "after 1", "after 2"]
    assert _mode(paths.database) == 0o600
    assert not Path(f"{paths.database}-wal").exists()
    assert not Path(f"{paths.database}-shm").exists()
    assert sorted(p.name for p in paths.data_dir.iterdir()) == ["backups", paths.database.name]
    reopened = opened()
    assert [run.session_name for run in RunRepository(reopened).list()] == ["before"]


def test_restore_removes_a_stale_write_ahead_log(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database]
) -> None:
    database = opened()
    _add_runs(database, ["kept"])
    saved = backups.create("manual")
    database.close()
    # What a crash leaves beside a file whose log was already folded in: it must not be replayed on the restored
    # file. (Empty files: SQLite ignores them; the point is that the restore removes whatever is there.)
    Path(f"{paths.database}-wal").write_bytes(b"")
    Path(f"{paths.database}-shm").write_bytes(b"")

    backups.restore(saved.id)

    assert not Path(f"{paths.database}-wal").exists()
    assert not Path(f"{paths.database}-shm").exists()
    assert [run.session_name for run in RunRepository(opened()).list()] == ["kept"]


def test_restore_over_a_damaged_database_moves_it_aside(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database]
) -> None:
    database = opened()
    _add_runs(database, ["a", "b", "c"])
    saved = backups.create("manual")
    database.close()
    _corrupt(paths.database)
    damaged_bytes = paths.database.read_bytes()

    report = backups.restore(saved.id)

    assert report.safety_backup is None
    assert report.moved_aside is not None
    assert report.moved_aside.original == paths.database
    assert report.moved_aside.moved_to.name == "runcompanion-damaged-20240506T073015Z.sqlite3"
    assert report.moved_aside.moved_to.read_bytes() == damaged_bytes
    assert [run.session_name for run in RunRepository(opened()).list()] == ["c", "b", "a"]


def test_restore_when_there_is_no_database(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database]
) -> None:
    database = opened()
    _add_runs(database, ["only"])
    saved = backups.create("manual")
    database.close()
    paths.database.unlink()

    report = backups.restore(saved.id)

    assert (report.safety_backup, report.moved_aside) == (None, None)
    assert _run_names(paths.database) == ["only"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "not a RunCompanion database"),
        (b"SQLite format 3\x00" + b"\xff" * 5000, "damaged"),
        (b"just some text\n" * 1000, "damaged or is not a database"),
    ],
    ids=["empty", "damaged-header", "text"],
)
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database], content: bytes, expected: str
) -> None:
    database = opened()
    _add_runs(database, ["mine"])
    database.close()
    paths.backups_dir.mkdir(mode=0o700, exist_ok=True)
    bad = paths.backups_dir / "runcompanion-20240101T000000Z-manual.sqlite3"
    bad.write_bytes(content)
    before = paths.database.read_bytes()

    with pytest.raises(InvalidBackupError, match=expected) as caught:
        backups.restore("20240101T000000Z-manual")

    assert "\n" not in str(caught.value)
    assert paths.database.read_bytes() == before
    assert [info.reason for info in backups.list()] == ["manual"]  # no pre-restore backup either


def test_restore_refuses_a_foreign_or_newer_database(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database]
) -> None:
    opened().close()
    paths.backups_dir.mkdir(mode=0o700, exist_ok=True)
    foreign = paths.backups_dir / "runcompanion-20240101T000000Z-manual.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    newer = paths.backups_dir / "runcompanion-20240102T000000Z-manual.sqlite3"
    backups_made_by_the_future = backups.create("manual")
    backups_made_by_the_future.path.rename(newer)
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()

    with pytest.raises(InvalidBackupError, match="not a RunCompanion database"):
        backups.restore("20240101T000000Z-manual")
    with pytest.raises(InvalidBackupError, match="newer version of RunCompanion"):
        backups.restore("20240102T000000Z-manual")
    with Database.open(paths.database) as database:
        assert database.schema_revision() == Database.head_revision()


def test_restore_refuses_while_the_database_is_open(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database]
) -> None:
    database = opened()
    _add_runs(database, ["live"])
    saved = backups.create("manual")
    _add_runs(database, ["still live"])

    with pytest.raises(DatabaseInUseError, match="in use"):
        backups.restore(saved.id)

    assert [run.session_name for run in RunRepository(database).list()] == ["still live", "live"]
    assert [info.reason for info in backups.list()] == ["manual"]


def test_restore_never_moves_aside_a_database_another_program_holds_locked(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database]
) -> None:
    database = opened()
    _add_runs(database, ["locked"])
    saved = backups.create("manual")
    database.close()
    holder = sqlite3.connect(paths.database, isolation_level=None)
    try:
        holder.execute("PRAGMA journal_mode=DELETE")
        holder.execute("BEGIN EXCLUSIVE")  # another program in the middle of writing: even readers must wait
        with pytest.raises(DatabaseInUseError):
            backups.restore(saved.id)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _run_names(paths.database) == ["locked"]
    assert sorted(p.name for p in paths.data_dir.iterdir()) == ["backups", paths.database.name]


def test_a_full_disk_during_restore_leaves_the_database_as_it_was(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = opened()
    _add_runs(database, ["old"])
    saved = backups.create("manual")
    _add_runs(database, ["new"])
    database.close()

    def disk_full(_source: Path, _destination: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(database_files, "copy_bytes", disk_full)
    with pytest.raises(BackupError, match=r"(?i)no space left on device") as caught:
        backups.restore(saved.id)

    assert "left as it was" in str(caught.value)
    assert _run_names(paths.database) == ["old", "new"]
    assert sorted(p.name for p in paths.data_dir.iterdir()) == ["backups", paths.database.name]


def test_an_older_backup_is_migrated_when_it_is_opened_after_the_restore(
    paths: AppPaths, backups: BackupService, clock: Clock
) -> None:
    old = paths.backups_dir / "runcompanion-20240101T000000Z-manual.sqlite3"
    paths.backups_dir.mkdir(mode=0o700)
    _at_revision_0001(old)
    with Database.open(paths.database):
        pass

    backups.restore("20240101T000000Z-manual")
    clock.now += dt.timedelta(seconds=1)
    with Database.open(paths.database, before_migrate=backups.before_migrate) as database:
        assert database.schema_revision() == Database.head_revision()
        assert [run.session_name for run in RunRepository(database).list()] == ["Easy 30"]
    assert [info.reason for info in backups.list()] == ["pre-migration", "pre-restore", "manual"]


def test_files_are_private_even_with_a_permissive_umask(
    paths: AppPaths, backups: BackupService, opened: Callable[[], Database]
) -> None:
    previous = os.umask(0)
    try:
        database = opened()
        _add_runs(database, ["private"])
        info = backups.create("manual")
        companions = [Path(f"{paths.database}{suffix}") for suffix in ("-wal", "-shm")]
        assert all(_mode(path) == 0o600 for path in companions if path.exists())
    finally:
        os.umask(previous)
    assert _mode(info.path) == 0o600
    assert _mode(paths.database) == 0o600
    assert _mode(paths.data_dir) == 0o700
    assert _mode(paths.backups_dir) == 0o700

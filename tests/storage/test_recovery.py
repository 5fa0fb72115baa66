"""Start-up recovery: a damaged database is moved aside and explained; interrupted runs are offered a reflection."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services.backup_service import BackupService
from runcompanion.services.database_recovery import (
    DatabaseMovedAsideError,
    open_database,
    open_or_recover,
    restore_latest,
)
from runcompanion.services.recovery_service import DISMISSED_KEY, RecoveryService
from runcompanion.storage.database import Database, ForeignDatabaseError
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import ReflectionInput
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.settings_repository import SettingsRepository

T0 = dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    home = tmp_path / "home"
    return AppPaths(data_dir=home / "data", cache_dir=home / "cache", config_dir=home / "config")


@pytest.fixture
def backups(paths: AppPaths) -> BackupService:
    return BackupService(paths, now=lambda: T0)


def _fill(paths: AppPaths, names: list[str]) -> None:
    paths.ensure()
    with Database.open(paths.database) as database:
        repository = RunRepository(database)
        for name in names:
            repository.start("easy", name, [], 600.0, seed=1, started_at=T0)


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for index in range(4096, len(data)):
        data[index] = 0xA5
    path.write_bytes(bytes(data))


# ------------------------------------------------------------------------------------ a damaged database


def test_a_healthy_database_just_opens(paths: AppPaths, backups: BackupService) -> None:
    _fill(paths, ["fine"])
    database, problem = open_or_recover(paths, backups)
    assert problem is None
    assert database is not None
    try:
        assert [run.session_name for run in RunRepository(database).list()] == ["fine"]
    finally:
        database.close()


def _crash_with_a_log(path: Path, names: list[str]) -> dict[str, bytes]:
    """Leave ``path`` as a crash mid-write does: recent commits only in its -wal, with its -shm beside it.

    Returns the bytes of the three files as the crash left them.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_autocheckpoint=0")
        for name in names:
            connection.execute(
                "INSERT INTO runs (session_id, session_name, planned_s, source, status, started_at) "
                "VALUES ('easy', ?, 600, 'app', 'in_progress', '2024-05-06T07:30:00.000000+00:00')",
                (name,),
            )
        # What is on disk while the app runs; closing would fold the log in, so it is put back afterwards.
        snapshot = {suffix: Path(f"{path}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")}
    finally:
        connection.close()
    for suffix, data in snapshot.items():
        Path(f"{path}{suffix}").write_bytes(data)
    return snapshot


def test_a_damaged_database_is_moved_aside_with_its_companions(paths: AppPaths, backups: BackupService) -> None:
    _fill(paths, ["one", "two"])
    backup = backups.create("manual")
    _crash_with_a_log(paths.database, ["three"])
    _damage(paths.database)
    left = {suffix: Path(f"{paths.database}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")}
    assert len(left["-wal"]) > 0

    database, problem = open_or_recover(paths, backups)

    assert database is None
    assert problem is not None
    moved = problem.moved
    assert problem.path == moved.original == paths.database
    assert moved.moved_to == paths.data_dir / "runcompanion-damaged-20240506T073000Z.sqlite3"
    # Every byte of the file and its log kept, the log and its index beside the file under its new name (so
    # SQLite still pairs them). The -shm is only an index of the log, which SQLite rebuilds when it reads it.
    assert moved.companions == (Path(f"{moved.moved_to}-wal"), Path(f"{moved.moved_to}-shm"))
    assert moved.moved_to.read_bytes() == left[""]
    assert Path(f"{moved.moved_to}-wal").read_bytes() == left["-wal"]
    assert Path(f"{moved.moved_to}-shm").stat().st_size == len(left["-shm"])
    assert [p.name for p in paths.data_dir.iterdir() if p.name.startswith("runcompanion.sqlite3")] == []
    assert problem.latest_backup == backup
    assert "malformed" in problem.detail

    summary = problem.summary()
    assert "\n" not in summary
    assert str(paths.database) in summary
    assert f"moved aside to {moved.moved_to}" in summary
    assert "runcompanion backup list" in summary
    assert f"runcompanion backup restore {backup.id}" in summary
    assert "2 runs" in summary
    explanation = problem.explanation()
    assert str(moved.moved_to) in explanation
    assert "restore it now" in explanation


def test_a_damaged_database_without_a_log_is_found_by_the_usual_check(paths: AppPaths, backups: BackupService) -> None:
    _fill(paths, ["one"])
    _damage(paths.database)
    damaged = paths.database.read_bytes()

    database, problem = open_or_recover(paths, backups)

    assert database is None
    assert problem is not None
    assert problem.moved.companions == ()
    assert problem.moved.moved_to.read_bytes() == damaged
    assert problem.latest_backup is None


def test_a_crash_log_beside_a_healthy_database_is_kept(paths: AppPaths, backups: BackupService) -> None:
    _fill(paths, ["one"])
    _crash_with_a_log(paths.database, ["two"])

    database, problem = open_or_recover(paths, backups)

    assert problem is None
    assert database is not None
    try:
        assert sorted(run.session_name for run in RunRepository(database).list()) == ["one", "two"]
    finally:
        database.close()


def test_the_command_line_gets_one_line_and_the_next_start_is_fresh(paths: AppPaths, backups: BackupService) -> None:
    _fill(paths, ["lost"])
    _damage(paths.database)

    with pytest.raises(DatabaseMovedAsideError) as caught:
        open_database(paths, backups)

    assert isinstance(caught.value, UserError)
    message = str(caught.value)
    assert "\n" not in message
    assert "There is no backup" in message
    assert "runcompanion backup restore ID" in message
    with open_database(paths, backups) as fresh:
        assert RunRepository(fresh).list() == []


def test_restore_latest_brings_the_journal_back(paths: AppPaths, backups: BackupService) -> None:
    _fill(paths, ["saved"])
    backups.create("daily")
    _damage(paths.database)
    _database, problem = open_or_recover(paths, backups)
    assert problem is not None

    report = restore_latest(backups, problem)

    assert report.moved_aside is None  # the damaged file was already out of the way
    assert report.safety_backup is None
    with open_database(paths, backups) as database:
        assert [run.session_name for run in RunRepository(database).list()] == ["saved"]


def test_restore_latest_without_a_backup_says_so(paths: AppPaths, backups: BackupService) -> None:
    _fill(paths, ["x"])
    _damage(paths.database)
    _database, problem = open_or_recover(paths, backups)
    assert problem is not None
    with pytest.raises(UserError, match="no backup to restore"):
        restore_latest(backups, problem)


def test_a_foreign_database_is_not_moved(paths: AppPaths, backups: BackupService) -> None:
    paths.ensure()
    connection = sqlite3.connect(paths.database)
    connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    before = paths.database.read_bytes()

    with pytest.raises(ForeignDatabaseError):
        open_or_recover(paths, backups)

    assert paths.database.read_bytes() == before
    assert sorted(p.name for p in paths.data_dir.iterdir()) == [paths.database.name]


# ------------------------------------------------------------------------------------- interrupted runs


@pytest.fixture
def database(paths: AppPaths) -> Iterator[Database]:
    paths.ensure()
    with Database.open(paths.database) as opened:
        yield opened


def _recovery(database: Database) -> RecoveryService:
    return RecoveryService(RunRepository(database), JournalQueries(database), SettingsRepository(database))


def _crashed_run(database: Database, name: str, elapsed_s: float, minutes_ago: int = 0) -> int:
    repository = RunRepository(database)
    run = repository.start("easy", name, [], 1800.0, seed=3, started_at=T0 - dt.timedelta(minutes=minutes_ago))
    repository.checkpoint(run.id, elapsed_s, 2, 1, at=T0)
    return run.id


def test_a_run_cut_off_by_a_crash_is_offered_a_reflection(database: Database) -> None:
    crashed = _crashed_run(database, "Cut off", 125.0)
    finished = RunRepository(database).start("easy", "Done", [], 600.0, seed=1, started_at=T0)
    RunRepository(database).finish(finished.id, "finished", 600.0, 1, 1, [], ended_at=T0 + dt.timedelta(minutes=10))
    recovery = _recovery(database)
    assert recovery.interrupted_needing_reflection() == []  # still in progress: nothing is known yet

    marked = RunRepository(database).mark_interrupted()  # the next start

    assert [run.id for run in marked] == [crashed]
    (offered,) = recovery.interrupted_needing_reflection()
    assert offered.id == crashed
    assert offered.status == "interrupted"
    assert offered.elapsed_s == 125.0
    assert offered.segment_index == 2
    assert offered.ended_at is None


def test_a_draft_still_needs_finishing_and_a_finished_reflection_does_not(database: Database) -> None:
    with_draft = _crashed_run(database, "Draft", 60.0, minutes_ago=30)
    with_reflection = _crashed_run(database, "Reflected", 60.0, minutes_ago=20)
    without = _crashed_run(database, "Nothing", 60.0, minutes_ago=10)
    RunRepository(database).mark_interrupted()
    reflections = ReflectionRepository(database)
    reflections.save(with_draft, ReflectionInput(text="half a thought"), draft=True)
    reflections.save(with_reflection, ReflectionInput(text="all said", feeling_after=3), draft=False)

    offered = _recovery(database).interrupted_needing_reflection()

    assert [run.id for run in offered] == [without, with_draft]  # newest first


def test_a_dismissed_run_is_not_offered_again(database: Database) -> None:
    first = _crashed_run(database, "First", 30.0, minutes_ago=5)
    second = _crashed_run(database, "Second", 30.0)
    RunRepository(database).mark_interrupted()
    recovery = _recovery(database)

    recovery.dismiss([first, 9999])

    assert [run.id for run in recovery.interrupted_needing_reflection()] == [second]
    assert SettingsRepository(database).get(DISMISSED_KEY) == [first]  # ids of runs that do not exist are dropped
    # A later start builds a new service on the same database: the dismissal is remembered.
    assert [run.id for run in _recovery(database).interrupted_needing_reflection()] == [second]
    recovery.dismiss([second])
    assert recovery.interrupted_needing_reflection() == []
    assert recovery.dismissed() == frozenset({first, second})


def test_a_garbled_dismissal_setting_is_read_as_none(database: Database) -> None:
    crashed = _crashed_run(database, "Crash", 10.0)
    RunRepository(database).mark_interrupted()
    settings = SettingsRepository(database)
    recovery = _recovery(database)
    for garbled in ("1,2", {"ids": [crashed]}, [True, "x", 1.5]):
        settings.set(DISMISSED_KEY, garbled)
        assert [run.id for run in recovery.interrupted_needing_reflection()] == [crashed]
    settings.set(DISMISSED_KEY, [crashed, "junk"])
    assert recovery.interrupted_needing_reflection() == []

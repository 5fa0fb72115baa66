"""A damaged database: the command line says so in one line, the file is moved aside, a backup brings it back."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from runcompanion.storage.database import Database
from runcompanion.storage.run_repository import RunRepository
from tests.e2e.harness import AppEnv

pytestmark = pytest.mark.e2e

T0 = dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)


def _ok(app_env: AppEnv, *args: str) -> str:
    result = app_env.cli(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    return result.stdout


def _json(app_env: AppEnv, *args: str) -> Any:
    return json.loads(_ok(app_env, *args))


def _add_finished_runs(database_path: Path, names: list[str]) -> None:
    with Database.open(database_path) as database:
        repository = RunRepository(database)
        for number, name in enumerate(names):
            started = T0 + dt.timedelta(days=number)
            run = repository.start("easy-30", name, ["easy"], 1800.0, seed=number, started_at=started)
            repository.finish(run.id, "finished", 1800.0, 3, 3, [], ended_at=started + dt.timedelta(minutes=30))


def _leave_as_a_crash_would(database_path: Path, name: str) -> None:
    """A run started and not yet folded into the file: it is in the -wal, with the -shm beside it."""
    connection = sqlite3.connect(database_path, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_autocheckpoint=0")
        connection.execute(
            "INSERT INTO runs (session_id, session_name, planned_s, source, status, started_at) "
            "VALUES ('easy-30', ?, 1800, 'app', 'in_progress', '2024-06-01T07:00:00.000000+00:00')",
            (name,),
        )
        snapshot = {suffix: Path(f"{database_path}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")}
    finally:
        connection.close()  # folds the log in and removes it, so the crash's files are put back below
    for suffix, data in snapshot.items():
        Path(f"{database_path}{suffix}").write_bytes(data)


def _damage(path: Path) -> None:
    """Garbage over every page after the first two, as a failing disk or a bad copy leaves it."""
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[2 * 4096 :] = b"\xde\xad\xbe\xef" * ((len(data) - 2 * 4096) // 4)
    path.write_bytes(bytes(data))


@pytest.mark.timeout(180)
def test_a_damaged_database_is_moved_aside_and_a_backup_brings_the_journal_back(app_env: AppEnv) -> None:
    assert _json(app_env, "history", "--json") == []  # creates the data folder and the database
    _add_finished_runs(app_env.database, ["Monday easy", "Tuesday easy"])
    created = _ok(app_env, "backup", "create")
    (backup,) = _json(app_env, "backup", "list", "--json")
    assert backup["runs"] == 2
    assert backup["reason"] == "manual"
    assert f"runcompanion backup restore {backup['id']}" in created
    _add_finished_runs(app_env.database, ["Not in the backup"])
    _leave_as_a_crash_would(app_env.database, "Cut off")
    data_dir = app_env.database.parent
    wal = Path(f"{app_env.database}-wal")
    shm = Path(f"{app_env.database}-shm")
    assert wal.stat().st_size > 0
    assert shm.exists()
    _damage(app_env.database)
    damaged = app_env.database.read_bytes()
    logged = wal.read_bytes()

    result = app_env.cli("history")

    assert result.returncode == 2, result
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    line = result.stderr.rstrip("\n")
    assert "\n" not in line, result.stderr
    assert line.startswith(f"runcompanion: The RunCompanion database {app_env.database} is damaged")
    match = re.search(r"moved aside to (\S+\.sqlite3)", line)
    assert match is not None, line
    moved = Path(match[1])
    assert moved.parent == data_dir
    assert re.fullmatch(r"runcompanion-damaged-\d{8}T\d{6}Z\.sqlite3", moved.name), moved
    assert "`runcompanion backup list`" in line
    assert f"`runcompanion backup restore {backup['id']}`" in line
    # Moved, every byte of it, with its write-ahead log and its index; nothing of it is left in place.
    assert moved.read_bytes() == damaged
    assert Path(f"{moved}-wal").read_bytes() == logged
    assert Path(f"{moved}-shm").exists()
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    assert not app_env.database.exists()
    assert not wal.exists()
    assert not shm.exists()

    # The next command starts afresh; the backups are all still there.
    assert _json(app_env, "history", "--json") == []
    assert [item["id"] for item in _json(app_env, "backup", "list", "--json")] == [backup["id"]]

    restored = _ok(app_env, "backup", "restore", backup["id"])

    assert f"Restored backup {backup['id']} (2 runs)" in restored
    runs = _json(app_env, "history", "--json")
    assert sorted(run["session_name"] for run in runs) == ["Monday easy", "Tuesday easy"]
    assert {run["status"] for run in runs} == {"finished"}
    reasons = [item["reason"] for item in _json(app_env, "backup", "list", "--json")]
    assert reasons == ["pre-restore", "manual"]  # the empty journal it replaced is kept too
    assert moved.exists()  # the damaged file stays for anyone who wants to rescue more


def test_listing_backups_works_while_the_database_is_damaged(app_env: AppEnv) -> None:
    _ok(app_env, "history")
    _add_finished_runs(app_env.database, ["One", "Two", "Three"])
    _ok(app_env, "backup", "create")
    _damage(app_env.database)
    before = app_env.database.read_bytes()

    listed = app_env.cli("backup", "list")

    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split() == ["ID", "MADE", "(local", "time)", "SIZE", "RUNS", "REASON"]
    assert re.match(r"\d{8}T\d{6}Z-manual\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+[\d.]+ KiB\s+3\s+made by you$", row), row
    assert app_env.database.read_bytes() == before  # listing touches nothing


def test_restoring_an_unknown_or_bad_backup_changes_nothing(app_env: AppEnv) -> None:
    _ok(app_env, "history")
    _add_finished_runs(app_env.database, ["Kept"])
    before = _json(app_env, "history", "--json")

    unknown = app_env.cli("backup", "restore", "20990101T000000Z-manual")
    backups_dir = app_env.database.parent / "backups"
    backups_dir.mkdir(mode=0o700, exist_ok=True)
    (backups_dir / "runcompanion-20240101T000000Z-manual.sqlite3").write_bytes(b"\x00garbage\xff" * 1000)
    bad = app_env.cli("backup", "restore", "20240101T000000Z-manual")

    for result, expected in ((unknown, 'no backup "20990101T000000Z-manual"'), (bad, "is damaged or is not")):
        assert result.returncode == 2, result
        assert expected in result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert _json(app_env, "history", "--json") == before
    assert [item["runs"] for item in _json(app_env, "backup", "list", "--json")] == [None]

"""Messages that name the real cause: a path too long, a write-ahead log removed under a live app, a full disk."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.battery import Cli, assert_one_line_error

pytestmark = pytest.mark.timeout(180)


def test_a_data_folder_path_too_long_for_sqlite_says_so(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["d" * 100] * 5)  # every part is allowed; the whole is more than SQLite takes
    result = Cli.at(deep).run("history")
    line = assert_one_line_error(result, "too long")
    assert "permission" not in line
    assert "you may write" not in line


def test_a_folder_name_too_long_for_the_file_system_says_so(tmp_path: Path) -> None:
    result = Cli.at(tmp_path / ("e" * 300)).run("history")
    line = assert_one_line_error(result, "too long")
    assert "File name too long" in line  # the system's words stay, for a search


def test_an_export_name_too_long_says_so(tmp_path: Path) -> None:
    cli = Cli.at(tmp_path / "home")
    cli.ok("history")
    result = cli.run("journal", "export", "--format", "json", "--out", str(tmp_path / ("x" * 300 + ".json")))
    assert_one_line_error(result, "path is too long")


def test_a_write_ahead_log_removed_under_a_live_connection_is_named(tmp_path: Path) -> None:
    cli = Cli.at(tmp_path / "home")
    cli.ok("history")
    # A live app: a connection in WAL mode with a write in its log, as the run screen's checkpoints leave it.
    live = sqlite3.connect(cli.database, isolation_level=None)
    try:
        live.execute("PRAGMA journal_mode=WAL")
        live.execute("BEGIN IMMEDIATE")
        live.execute("INSERT INTO settings (key, value_json, updated_at) VALUES ('x', '1', '2024-05-06 07:30:00')")
        live.execute("COMMIT")
        wal = Path(f"{cli.database}-wal")
        assert wal.exists()
        os.unlink(wal)  # what a cleaning tool or a careless hand does
        result = cli.run("history")
    finally:
        live.close()
    line = assert_one_line_error(result, "-wal", "removed")
    assert "Check that its folder exists" not in line

"""What a killed backup leaves behind: never listed as a backup, and gone after the next start."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.battery import Cli

pytestmark = pytest.mark.timeout(180)


def _grow(database: Path, megabytes: int) -> None:
    """Make the database big enough that copying it takes a moment a kill can land in."""
    connection = sqlite3.connect(database)
    try:
        connection.execute("CREATE TABLE ballast (data BLOB)")
        for _ in range(megabytes):
            connection.execute("INSERT INTO ballast VALUES (randomblob(1048576))")
        connection.commit()
    finally:
        connection.close()


def _kill_when(proc: subprocess.Popen[str], condition: Path, pattern: str, timeout: float = 60) -> bool:
    """SIGKILL ``proc`` as soon as a file matching ``pattern`` appears in ``condition``; False if it ended first."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if condition.exists() and any(condition.glob(pattern)):
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            return True
        pause.wait(0.001)  # another process's file: polling is the only way to see it
    raise AssertionError("no temporary backup file appeared")


def test_a_killed_backup_is_never_listed_and_is_swept_at_the_next_start(tmp_path: Path) -> None:
    cli = Cli.at(tmp_path / "home")
    cli.ok("history")
    _grow(cli.database, 150)
    backups = cli.data_dir / "backups"
    killed = False
    for _attempt in range(3):  # the copy may finish before the kill lands on a fast disk: try again
        proc = subprocess.Popen(
            cli.command("backup", "create"), env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        killed = _kill_when(proc, backups, ".runcompanion-*.tmp*")
        if killed:
            break
    assert killed, "the backup always finished before it could be killed"
    leftovers = sorted(p.name for p in backups.iterdir() if p.name.startswith("."))
    assert leftovers, "the kill left nothing to sweep; the test proves nothing"
    finished_before = sorted(p.name for p in backups.iterdir() if not p.name.startswith("."))

    listed = json.loads(cli.ok("backup", "list", "--json"))
    assert sorted(Path(b["file"]).name for b in listed) == finished_before  # never the half-written copy

    cli.ok("history")  # the next start, as a command
    assert sorted(p.name for p in backups.iterdir() if p.name.startswith(".")) == []
    assert sorted(p.name for p in backups.iterdir()) == finished_before  # finished backups untouched


def test_a_temp_of_a_live_process_is_left_alone(tmp_path: Path) -> None:
    cli = Cli.at(tmp_path / "home")
    cli.ok("history")
    backups = cli.data_dir / "backups"
    backups.mkdir(exist_ok=True)
    live = backups / f".runcompanion-20240101T000000Z-manual.sqlite3.tmp{os.getpid()}"
    live.write_bytes(b"being written")
    dead_pid = _dead_pid()
    dead = backups / f".runcompanion-20240101T000000Z-manual.sqlite3.tmp{dead_pid}"
    dead_journal = backups / f"{dead.name}-journal"
    dead.write_bytes(b"half")
    dead_journal.write_bytes(b"journal")
    mine = backups / "notes.txt"  # not of our naming: never ours to remove
    mine.write_text("keep", encoding="utf-8")
    cli.ok("history")
    assert live.exists()
    assert not dead.exists()
    assert not dead_journal.exists()
    assert mine.read_text(encoding="utf-8") == "keep"


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid

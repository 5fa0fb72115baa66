"""One owner per data folder, for real: two `run` processes, two app windows, a command beside a live run,
and `history` right after a SIGKILL. Each test starts the real app on a virtual X screen."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from runcompanion.services.recovery_service import RecoveryService
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.settings_repository import SettingsRepository
from tests.e2e.harness import AppEnv, stop_app, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

LONG_SESSION = "long-steady-45"


def _runs(database: Path) -> list[tuple[int, str, float]]:
    """The runs as committed, read without writing (a read-only connection leaves a live app's WAL alone)."""
    if not database.exists():
        return []
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return list(connection.execute("SELECT id, status, elapsed_s FROM runs ORDER BY id"))
    except sqlite3.OperationalError:
        return []
    finally:
        connection.close()


def _wait_for_checkpoint(app_env: AppEnv, proc: subprocess.Popen[str], at_least: float) -> float:
    found: list[float] = []

    def checkpointed() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"the app exited with {proc.returncode} during the run: {proc.communicate()[1]}")
        found[:] = [e for _id, status, e in _runs(app_env.database) if status == "in_progress" and e >= at_least]
        return bool(found)

    # A countdown of 5 s, then a checkpoint every 5 s of the run.
    wait_until(checkpointed, 120, f"a checkpoint with at least {at_least:.0f} s of the run", interval=0.2)
    return found[0]


def _one_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("runcompanion")]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_a_second_run_on_the_same_folder_is_refused_and_the_first_keeps_saving(app_env: AppEnv) -> None:
    first = app_env.start("run", LONG_SESSION, "--seed", "3")
    try:
        app_env.wait_for_log(f"started: {LONG_SESSION} (seed 3)", proc=first)
        before = _wait_for_checkpoint(app_env, first, 5.0)

        second = app_env.cli("run", "first-walk-run", "--seed", "1", timeout=60)
        _one_line(second, "already uses the data folder", str(app_env.home / "data"), "start the run again")

        # The live run is still in progress, and its checkpoints still reach the database.
        later = _wait_for_checkpoint(app_env, first, before + 5.0)
        assert later > before
        assert [status for _id, status, _e in _runs(app_env.database)] == ["in_progress"]
    finally:
        status, _out, err = stop_app(first)
    assert "Traceback" not in err
    assert status == 0, err
    assert app_env.log_text().count("started: ") == 1  # the second never opened a run screen


def test_a_second_window_brings_the_first_to_the_front(app_env: AppEnv) -> None:
    first = app_env.start()
    try:
        app_env.wait_for_log("first paint", proc=first)
        second = app_env.cli(timeout=60)
        assert second.returncode == 0, second.stderr
        assert "Traceback" not in second.stderr
        assert second.stdout.strip() == (
            f"RunCompanion is already open for the data folder {app_env.home / 'data'}: "
            "its window was brought to the front."
        )
        app_env.wait_for_log("a second start on this data folder: the window was brought to the front", proc=first)
        assert first.poll() is None  # the first window is still there
    finally:
        status, _out, err = stop_app(first)
    assert status == 0, err
    assert app_env.log_text().count("main window shown") == 1


def test_history_right_after_a_kill_says_interrupted_and_the_next_start_still_offers_the_reflection(
    app_env: AppEnv,
) -> None:
    proc = app_env.start("run", LONG_SESSION, "--seed", "4")
    try:
        app_env.wait_for_log(f"started: {LONG_SESSION} (seed 4)", proc=proc)
        checkpoint = _wait_for_checkpoint(app_env, proc, 5.0)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # No app was started in between: the command line itself finds the owner gone.
    history = app_env.cli("history", "--json")
    assert history.returncode == 0, history.stderr
    runs: list[dict[str, Any]] = json.loads(history.stdout)
    assert [(r["status"], r["elapsed_s"]) for r in runs] == [("interrupted", round(checkpoint, 3))]

    with Database.open(app_env.database) as database:
        recovery = RecoveryService(RunRepository(database), JournalQueries(database), SettingsRepository(database))
        assert [r.id for r in recovery.interrupted_needing_reflection()] == [runs[0]["id"]]


def test_commands_beside_a_live_run_leave_it_alone_and_a_restore_is_refused(app_env: AppEnv) -> None:
    made = app_env.cli("backup", "create")
    assert made.returncode == 0, made.stderr
    (backup,) = json.loads(app_env.cli("backup", "list", "--json").stdout)
    proc = app_env.start("run", LONG_SESSION, "--seed", "5")
    try:
        app_env.wait_for_log(f"started: {LONG_SESSION} (seed 5)", proc=proc)
        _wait_for_checkpoint(app_env, proc, 5.0)
        history = app_env.cli("history", "--json")
        assert history.returncode == 0, history.stderr
        assert [r["status"] for r in json.loads(history.stdout)] == ["in_progress"]  # not marked interrupted
        sessions = app_env.cli("sessions", "--json")
        assert sessions.returncode == 0, sessions.stderr
        exported = app_env.cli("journal", "export", "--format", "json", "--out", str(app_env.home / "j.json"))
        assert exported.returncode == 0, exported.stderr
        restore = app_env.cli("backup", "restore", backup["id"])
        _one_line(restore, "cannot be replaced now", "Settings")
        assert [status for _id, status, _e in _runs(app_env.database)] == ["in_progress"]
    finally:
        status, _out, err = stop_app(proc)
    assert status == 0, err

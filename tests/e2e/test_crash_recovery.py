"""Killed mid-run (kill -9, a power cut): the next start finds the run interrupted and offers its reflection."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from runcompanion.services.recovery_service import RecoveryService
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.settings_repository import SettingsRepository
from tests.e2e.harness import AppEnv, stop_app, wait_until

pytestmark = pytest.mark.e2e

LONG_SESSION = "long-steady-45"
DAILY_BACKUP_LOGGED = re.compile(r"daily backup \d{8}T\d{6}Z-daily")


def _runs_on_disk(database: Path) -> list[tuple[int, str, float, int]]:
    """The runs as the app last committed them, read without writing anything (a read-only connection also
    leaves a crashed app's write-ahead log where it is)."""
    if not database.exists():
        return []
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return list(connection.execute("SELECT id, status, elapsed_s, segment_index FROM runs ORDER BY id"))
    except sqlite3.OperationalError:  # no schema yet: the app is still creating it
        return []
    finally:
        connection.close()


@pytest.mark.timeout(240)
def test_a_run_killed_mid_way_is_interrupted_with_its_last_checkpoint(app_env: AppEnv) -> None:
    proc = app_env.start("run", LONG_SESSION, "--seed", "3")
    try:
        app_env.wait_for_log(f"started: {LONG_SESSION} (seed 3)", proc=proc)
        assert DAILY_BACKUP_LOGGED.search(app_env.log_text())  # made at start-up, before the run began

        def checkpointed() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"the app exited with {proc.returncode} during the run")
            return any(
                status == "in_progress" and elapsed >= 5.0
                for _id, status, elapsed, _seg in _runs_on_disk(app_env.database)
            )

        # A countdown of 5 s, then a checkpoint every 5 s of the run.
        wait_until(checkpointed, 90, "a checkpoint with at least 5 s of the run", interval=0.2)
    finally:
        proc.send_signal(signal.SIGKILL)  # no clean-up at all: what a crash or a power cut leaves
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    (left,) = _runs_on_disk(app_env.database)
    run_id, status, checkpoint_s, segment = left
    assert status == "in_progress"  # nobody got to say otherwise
    assert checkpoint_s >= 5.0

    app = app_env.start()  # the next start: the plain app, same data folder
    try:
        app_env.wait_for_log("marked 1 unfinished run(s) as interrupted", proc=app)
    finally:
        status_code, _out, err = stop_app(app)
    assert status_code == 0, err
    assert "Traceback" not in err

    history = app_env.cli("history", "--json")
    assert history.returncode == 0, history.stderr
    runs: list[dict[str, Any]] = json.loads(history.stdout)
    assert len(runs) == 1, runs
    run = runs[0]
    assert run["id"] == run_id
    assert run["status"] == "interrupted"
    assert run["elapsed_s"] == round(checkpoint_s, 3)  # exactly the last checkpoint
    assert run["segment_index"] == segment
    assert run["ended_at"] is None
    assert run["seed"] == 3

    with Database.open(app_env.database) as database:
        recovery = RecoveryService(RunRepository(database), JournalQueries(database), SettingsRepository(database))
        offered = recovery.interrupted_needing_reflection()
        assert [(r.id, r.status, r.elapsed_s) for r in offered] == [(run_id, "interrupted", checkpoint_s)]
        recovery.dismiss([run_id])
        assert recovery.interrupted_needing_reflection() == []

    # One daily backup: made by the first start, before the run; the second start the same day made none.
    backups = app_env.cli("backup", "list", "--json")
    assert backups.returncode == 0, backups.stderr
    (daily,) = json.loads(backups.stdout)
    assert daily["reason"] == "daily"
    assert daily["runs"] == 0
    assert len(DAILY_BACKUP_LOGGED.findall(app_env.log_text())) == 1

"""`runcompanion run`: a guided run in the real app, from the countdown to the saved record."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import AppEnv, wait_until
from tests.e2e.test_cue_timing import stop_or_kill

pytestmark = pytest.mark.e2e

SHORT_SESSION = """\
name = "Guided e2e"
description = "Three short segments for the end-to-end test."
tags = ["test"]

[[segments]]
kind = "warmup"
duration = "0:12"
label = "Brisk walk"
speed_kmh = 5.5
incline_pct = 1.0

[[segments]]
kind = "run"
duration = "0:16"
label = "Easy run"
effort = 5
speed_kmh = 8.0
incline_pct = 1.0

[[segments]]
kind = "cooldown"
duration = "0:12"
speed_kmh = 4.5
"""
SHORT_ID = "guided-e2e"
SHORT_TOTAL_S = 40.0
SHORT_SEGMENTS = 3
LONG_SESSION = "long-steady-45"


def _history(app_env: AppEnv) -> list[dict[str, Any]]:
    result = app_env.cli("history", "--json")
    assert result.returncode == 0, result.stderr
    runs: list[dict[str, Any]] = json.loads(result.stdout)
    return runs


def _read_runs(database: Path) -> list[tuple[int, str, float]]:
    """The runs table as the app last committed it, read without writing anything."""
    if not database.exists():
        return []
    db = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return list(db.execute("SELECT id, status, elapsed_s FROM runs ORDER BY id"))
    except sqlite3.OperationalError:  # the schema is not there yet: the app is still migrating
        return []
    finally:
        db.close()


@pytest.mark.timeout(240)
def test_a_guided_run_finishes_and_is_saved(app_env: AppEnv, tmp_path: Path) -> None:
    source = tmp_path / "guided.toml"
    source.write_text(SHORT_SESSION, encoding="utf-8")
    imported = app_env.cli("sessions", "import", str(source))
    assert imported.returncode == 0, imported.stderr
    assert SHORT_ID in imported.stdout

    proc = app_env.start("run", SHORT_ID, "--seed", "5")
    try:
        app_env.wait_for_log(f"started: {SHORT_ID} (seed 5)", proc=proc)
        # The countdown (5 s) plus the session; generous for a busy machine.
        app_env.wait_for_log("finished after", timeout=SHORT_TOTAL_S + 60, proc=proc)
    finally:
        status, err, hung = stop_or_kill(proc)

    assert not hung, f"the app did not exit within 30 s of SIGTERM and was killed:\n{err}"
    assert status == 0, err
    assert "Traceback" not in err
    log = app_env.log_text()
    assert re.search(r"cues ready: \d+, \d+ newly synthesized, seed 5$", log, re.MULTILINE), log
    runs = _history(app_env)
    assert len(runs) == 1, runs
    run = runs[0]
    assert run["session_id"] == SHORT_ID
    assert run["status"] == "finished"
    assert run["seed"] == 5
    assert run["planned_s"] == SHORT_TOTAL_S
    assert abs(float(run["elapsed_s"]) - SHORT_TOTAL_S) <= 1.0, run
    assert run["segments_done"] == SHORT_SEGMENTS
    assert run["ended_at"] is not None
    assert f"run {run['id']} finished after" in log


@pytest.mark.timeout(180)
def test_sigterm_saves_a_running_run_as_stopped(app_env: AppEnv) -> None:
    proc = app_env.start("run", LONG_SESSION, "--seed", "11")
    try:
        app_env.wait_for_log(f"started: {LONG_SESSION} (seed 11)", proc=proc)

        def checkpointed() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"the app exited with {proc.returncode} during the run")
            runs = _read_runs(app_env.database)
            return any(status == "in_progress" and elapsed >= 5.0 for _id, status, elapsed in runs)

        # Countdown 5 s, then a checkpoint every 5 s of session time.
        wait_until(checkpointed, 60, "a checkpoint with at least 5 s of the run in progress", interval=0.2)
    finally:
        status, err, hung = stop_or_kill(proc)

    assert not hung, f"the app did not exit within 30 s of SIGTERM and was killed:\n{err}"
    assert status == 0, err
    assert "Traceback" not in err
    runs = _history(app_env)
    assert len(runs) == 1, runs
    run = runs[0]
    assert run["session_id"] == LONG_SESSION
    assert run["status"] == "stopped"
    assert run["seed"] == 11
    assert float(run["elapsed_s"]) >= 5.0
    assert float(run["elapsed_s"]) < float(run["planned_s"])
    assert run["ended_at"] is not None
    assert "received signal 15" in app_env.log_text()


def test_run_refuses_an_unknown_session_before_any_window(app_env: AppEnv) -> None:
    result = app_env.cli("run", "no-such-session")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("runcompanion: ")
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "no-such-session" in result.stderr
    assert "Traceback" not in result.stderr
    log = app_env.log_text()
    assert "main window shown" not in log
    assert "first paint" not in log
    assert _history(app_env) == []


def test_run_without_a_display_is_refused_in_words(app_env: AppEnv) -> None:
    env = dict(app_env.env)
    env.pop("DISPLAY")
    app_env.env = env
    result = app_env.cli("run", "small-steps-10", "--seed", "3")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "No display found" in result.stderr
    assert "Traceback" not in result.stderr
    assert "main window shown" not in app_env.log_text()
    assert _history(app_env) == []

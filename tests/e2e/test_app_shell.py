"""The real app, started as a person would, on a virtual screen with a virtual sound card."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.harness import AppEnv, stop_app

pytestmark = pytest.mark.e2e


def test_app_opens_paints_and_closes_cleanly(app_env: AppEnv, tmp_path: Path) -> None:
    proc = app_env.start()
    app_env.wait_for_log("first paint", proc=proc)
    shot = app_env.screenshot(tmp_path / "shell.png")
    status, _out, err = stop_app(proc)

    assert status == 0, err
    assert "Traceback" not in err
    assert shot.stat().st_size > 10_000  # a real picture, not an empty frame
    # The database was created and migrated on the way up.
    with sqlite3.connect(app_env.database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "reflections", "scheduled_runs", "settings", "alembic_version"} <= tables
    # The window remembered where it was.
    assert "geometry" in (app_env.home / "config" / "window.ini").read_text()


def test_doctor_reports_a_healthy_machine(app_env: AppEnv) -> None:
    result = app_env.cli("doctor", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    names = {c["name"]: c for c in report["checks"]}
    assert report["ok"] is True
    assert {"Python", "Qt", "Data folder", "Database", "Speech engine", "Audio output", "Display"} <= set(names)
    assert "voices" in names["Speech engine"]["detail"]


def test_no_display_is_refused_in_words(app_env: AppEnv) -> None:
    env = dict(app_env.env)
    env.pop("DISPLAY")
    app_env.env = env
    result = app_env.cli()
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "No display found" in result.stderr
    assert "Traceback" not in result.stderr

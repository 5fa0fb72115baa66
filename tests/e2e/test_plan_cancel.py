"""`runcompanion plan cancel ENROLMENT`: what the Plan page's Leave button does, from the command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_plan_cli import START, _cli, _ok, _user_error

pytestmark = pytest.mark.e2e

ENROL = ("plan", "enrol", "c25k", "--start", START.isoformat(), "--days", "mon,wed,sat", "--time", "07:00")


def _plan(home: Path) -> dict[str, list[dict[str, object]]]:
    result: subprocess.CompletedProcess[str] = _cli(home, "plan", "list", "--json")
    plan: dict[str, list[dict[str, object]]] = json.loads(_ok(result))
    return plan


def test_cancel_leaves_the_program_and_lets_the_runner_enrol_again(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _ok(_cli(home, *ENROL))
    refused = _user_error(_cli(home, *ENROL))
    # The error names a command that exists, and the button that does the same.
    assert "runcompanion plan cancel 1" in refused
    assert "Leave on the Plan page" in refused

    said = _ok(_cli(home, "plan", "cancel", "1"))
    assert said == (
        "Left Couch to 5K (enrolment 1): 27 planned runs removed from the calendar; "
        "0 done or skipped stay in your history.\n"
    )
    plan = _plan(home)
    assert [(e["id"], e["status"]) for e in plan["enrolments"]] == [(1, "cancelled")]
    assert [r for r in plan["scheduled"] if r["enrolment_id"] == 1] == []

    _ok(_cli(home, *ENROL))
    assert [(e["id"], e["status"]) for e in _plan(home)["enrolments"]] == [(1, "cancelled"), (2, "active")]


def test_cancel_refuses_what_it_cannot_do_and_changes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _ok(_cli(home, *ENROL))
    _ok(_cli(home, "plan", "cancel", "1"))
    before = _plan(home)

    assert "already left Couch to 5K" in _user_error(_cli(home, "plan", "cancel", "1"))
    assert "no enrolment with the id 7" in _user_error(_cli(home, "plan", "cancel", "7"))
    assert "invalid int value" in _user_error(_cli(home, "plan", "cancel", "c25k"))
    assert _plan(home) == before

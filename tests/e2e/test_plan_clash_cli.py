"""`plan enrol` never books two runs on one day: a second program that clashes is refused in one line (exit 2,
nothing changed) unless the runner asks to replace the first; one on other days is simply added."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_plan_cli import START, _cli, _json, _ok, _user_error

pytestmark = pytest.mark.e2e


def _enrol(home: Path, program: str, days: str, *extra: str) -> list[str]:
    return ["plan", "enrol", program, "--start", START.isoformat(), "--days", days, "--time", "07:00", *extra]


def test_a_clashing_second_program_is_refused_then_replaces_the_first_on_request(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _ok(_cli(home, *_enrol(home, "c25k", "mon,wed,sat")))
    before = _json(_cli(home, "plan", "list", "--json"))

    line = _user_error(_cli(home, *_enrol(home, "mindful-running", "mon,thu,sat")))
    assert "Couch to 5K already has runs on" in line
    assert "--replace" in line
    assert _json(_cli(home, "plan", "list", "--json")) == before  # refused: nothing written

    out = _ok(_cli(home, *_enrol(home, "mindful-running", "mon,thu,sat", "--replace")))
    assert out.startswith("Enrolled in Mindful running")
    plan = _json(_cli(home, "plan", "list", "--json"))
    assert [(e["program_id"], e["status"]) for e in plan["enrolments"]] == [
        ("c25k", "cancelled"),
        ("mindful-running", "active"),
    ]
    days = [r["due_at"][:10] for r in plan["scheduled"] if r["status"] == "planned"]
    assert len(days) == len(set(days)) == 12  # only the new program's runs, one a day


def test_a_second_program_on_other_days_is_added_beside_the_first(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _ok(_cli(home, *_enrol(home, "c25k", "mon,wed,sat")))
    _ok(_cli(home, *_enrol(home, "intervals-focus", "tue,fri")))
    plan = _json(_cli(home, "plan", "list", "--json"))
    assert [e["status"] for e in plan["enrolments"]] == ["active", "active"]
    days = [r["due_at"][:10] for r in plan["scheduled"]]
    assert len(days) == len(set(days)) == 27 + 12

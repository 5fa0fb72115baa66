"""`runcompanion programs` and `runcompanion plan` as a runner types them: exit codes, --json shapes, one-line errors.

These commands need no display and no sound, so they run the real CLI as a subprocess with only a data folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.e2e

START = dt.date.today() + dt.timedelta(days=3)


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RUNCOMPANION_HOME"}
    return subprocess.run(
        [sys.executable, "-m", "runcompanion", "--data-dir", str(home), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(_ok(result))


def _user_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_programs_list_and_json(home: Path) -> None:
    text = _ok(_cli(home, "programs"))
    assert "Couch to 5K" in text
    assert "c25k" in text
    programs = _json(_cli(home, "programs", "--json"))
    assert [p["id"] for p in programs] == ["c25k", "intervals-focus", "mindful-running", "small-steps"]
    c25k = programs[0]
    assert set(c25k) == {"id", "name", "description", "tags", "weeks", "runs_per_week", "total_runs", "total_s"}
    assert (c25k["name"], c25k["weeks"], c25k["runs_per_week"], c25k["total_runs"]) == ("Couch to 5K", 9, [3] * 9, 27)


def test_programs_show(home: Path) -> None:
    text = _ok(_cli(home, "programs", "show", "c25k"))
    assert "Couch to 5K (c25k): 9 weeks, 27 runs" in text
    assert "8 × (1:00 Run, 8.0 km/h; 1:30 Walk, 5.5 km/h)" in text
    program = _json(_cli(home, "programs", "show", "c25k", "--json"))
    assert [w["week"] for w in program["weeks"]] == list(range(1, 10))
    run = program["weeks"][2]["runs"][1]
    assert set(run) == {"run", "session_id", "name", "description", "tags", "total_s", "segments"}
    assert (run["run"], run["session_id"], run["name"]) == (2, "c25k-w3-r2", "Couch to 5K · Week 3 · Run 2")
    first = run["segments"][0]
    assert first == {
        "kind": "warmup",
        "duration_s": 300.0,
        "label": "Brisk walk",
        "effort": 2,
        "speed_kmh": 5.5,
        "incline_pct": 1.0,
    }
    # --json before the action works too.
    assert _json(_cli(home, "programs", "--json", "show", "small-steps"))["id"] == "small-steps"


def test_enrol_list_and_export(home: Path, tmp_path: Path) -> None:
    empty = _json(_cli(home, "plan", "list", "--json"))
    assert empty == {"enrolments": [], "scheduled": []}
    assert "Nothing planned yet" in _ok(_cli(home, "plan", "list"))

    out = _ok(
        _cli(home, "plan", "enrol", "c25k", "--start", START.isoformat(), "--days", "mon,wed,sat", "--time", "07:00")
    )
    assert out.startswith("Enrolled in Couch to 5K (enrolment 1): 27 runs on Mon, Wed, Sat at 07:00")

    plan = _json(_cli(home, "plan", "list", "--json"))
    assert len(plan["enrolments"]) == 1
    enrolment = plan["enrolments"][0]
    assert enrolment == {
        "id": 1,
        "program_id": "c25k",
        "program_name": "Couch to 5K",
        "start_date": START.isoformat(),
        "days": ["mon", "wed", "sat"],
        "time": "07:00",
        "status": "active",
        "weeks": 9,
        "current_week": 1,
        "total": 27,
        "done": 0,
        "skipped": 0,
        "planned": 27,
        "next_run_id": plan["scheduled"][0]["id"],
    }
    scheduled = plan["scheduled"]
    assert len(scheduled) == 27
    assert set(scheduled[0]) == {
        "id",
        "uid",
        "enrolment_id",
        "session_id",
        "title",
        "due_at",
        "duration_s",
        "week",
        "run_number",
        "recurrence",
        "status",
        "run_id",
    }
    due = [dt.datetime.fromisoformat(r["due_at"]) for r in scheduled]
    assert due == sorted(due)
    assert all(d.date() >= START and d.strftime("%a %H:%M") in {"Mon 07:00", "Wed 07:00", "Sat 07:00"} for d in due)
    assert (scheduled[0]["session_id"], scheduled[0]["week"], scheduled[0]["run_number"]) == ("c25k-w1-r1", 1, 1)
    assert "Couch to 5K (enrolment 1, active): week 1 of 9, 0/27 done" in _ok(_cli(home, "plan", "list"))

    ics = tmp_path / "plan.ics"
    assert _ok(_cli(home, "plan", "export", "--ics", str(ics))) == f"Wrote 27 planned runs to {ics}.\n"
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [r["uid"] for r in scheduled]
    assert str(events[0]["SUMMARY"]) == "Couch to 5K · Week 1 · Run 1"

    again = _user_error(
        _cli(home, "plan", "enrol", "c25k", "--start", START.isoformat(), "--days", "mon,wed,sat", "--time", "07:00")
    )
    assert "already following Couch to 5K" in again


LONG_AGO = (dt.date.today() - dt.timedelta(days=400)).isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("plan", "enrol", "c26k", "--start", START.isoformat(), "--days", "mon,wed,sat", "--time", "07:00"),
            "no program called 'c26k'",
        ),
        (
            ("plan", "enrol", "c25k", "--start", "2025-02-30", "--days", "mon,wed,sat", "--time", "07:00"),
            "is not a date",
        ),
        (("plan", "enrol", "c25k", "--start", "tomorrow", "--days", "mon,wed,sat", "--time", "07:00"), "YYYY-MM-DD"),
        (
            ("plan", "enrol", "c25k", "--start", LONG_AGO, "--days", "mon,wed,sat", "--time", "07:00"),
            "more than a year ago",
        ),
        (
            ("plan", "enrol", "c25k", "--start", START.isoformat(), "--days", "mon,wed,funday", "--time", "07:00"),
            '"funday" is not a day',
        ),
        (
            ("plan", "enrol", "c25k", "--start", START.isoformat(), "--days", "mon,wed", "--time", "07:00"),
            "choose at least 3 days",
        ),
        (
            ("plan", "enrol", "c25k", "--start", START.isoformat(), "--days", "mon,wed,sat", "--time", "25:00"),
            "not a time of day",
        ),
        (("plan", "enrol", "c25k", "--start", START.isoformat(), "--days", "mon,wed,sat", "--time", "7pm"), "HH:MM"),
        (("plan", "enrol", "c25k", "--days", "mon,wed,sat", "--time", "07:00"), "--start"),
        (("plan",), "required"),
        (("plan", "export", "--ics", "/nonexistent-folder/plan.ics"), "no such folder"),
        (("plan", "export", "--ics", "plan.txt"), ".ics at the end"),
        (("programs", "show", "nope"), "no program called 'nope'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(home: Path, args: tuple[str, ...], message: str) -> None:
    line = _user_error(_cli(home, *args))
    assert line.startswith("runcompanion")  # "runcompanion: ..." or argparse's "runcompanion plan enrol: ..."
    assert message in line
    if args[:2] == ("plan", "enrol"):
        assert _json(_cli(home, "plan", "list", "--json")) == {"enrolments": [], "scheduled": []}

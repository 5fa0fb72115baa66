"""Workout and activity files from the command line as a person runs them (subprocesses on temporary data
folders): .zwo/.fit/.toml sessions in and out, and runs out as FIT and TCX that the official FIT SDK and an
independent TCX reader take, laps matching the segment log and time matching `history --json`."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from garmin_fit_sdk import Decoder, Stream
from tcxreader.tcxreader import TCXReader

from runcompanion.core.session_files import parse_session_toml
from runcompanion.core.session_writer import session_to_dict
from runcompanion.paths import resolve_paths
from runcompanion.storage.database import Database
from runcompanion.storage.records import ManualRun, ReflectionInput
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.session_repository import SessionRepository

if TYPE_CHECKING:
    from garmin_fit_sdk.mesgs import FitMessages  # only in the SDK's stubs

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ZWO = ROOT / "tests" / "fixtures" / "zwo"
START = dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
PLAN = parse_session_toml(
    """
id = "ladder"
name = "Ladder"
[[segments]]
kind = "warmup"
duration = "2:00"
speed_kmh = 6.0
[[segments]]
repeat = 3
segments = [{ kind = "run", duration = 60, speed_kmh = 10.8 }, { kind = "walk", duration = 60, speed_kmh = 5.4 }]
[[segments]]
kind = "cooldown"
duration = "1:00"
speed_kmh = 5.4
""",
    "ladder.toml",
)


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("RUNCOMPANION_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "runcompanion", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.strip()


def _database(home: Path) -> Database:
    path = resolve_paths(home).database
    path.parent.mkdir(parents=True, exist_ok=True)
    return Database.open(path)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The session "ladder", a finished run of it (a pause, a reflection), an interrupted one, a hand-logged one."""
    home = tmp_path / "home"
    with _database(home) as database:
        SessionRepository(database).add(PLAN.id, PLAN.name, session_to_dict(PLAN))
        runs = RunRepository(database)
        finished = runs.start(PLAN.id, PLAN.name, (), PLAN.total_s, 1, started_at=START)
        log: list[dict[str, object]] = [
            {"index": i, "kind": s.kind.value, "planned_s": s.duration_s, "actual_s": s.duration_s, "skipped": False}
            for i, s in enumerate(PLAN.segments)
        ]
        log[2]["pauses"] = [{"at_s": 30.0, "s": 90.0}]
        runs.finish(finished.id, "finished", PLAN.total_s, 7, 8, log, ended_at=START + dt.timedelta(seconds=630))
        ReflectionRepository(database).save(
            finished.id, ReflectionInput(feeling_after=4, text="Strong finish.", distance_km=1.5), draft=False
        )
        interrupted = runs.start(PLAN.id, PLAN.name, (), PLAN.total_s, 1, started_at=START + dt.timedelta(days=1))
        runs.checkpoint(interrupted.id, 250.0, 3, 3)
        runs.mark_interrupted()
        ReflectionRepository(database).add_manual_run(
            ManualRun(START + dt.timedelta(days=2), 1200.0, "Park loop"), ReflectionInput(feeling_after=3)
        )
    return home


def _history(home: Path) -> dict[int, dict[str, object]]:
    result = _cli(home, "history", "--json")
    assert result.returncode == 0, result.stderr
    return {int(r["id"]): r for r in json.loads(result.stdout)}


def _fit(path: Path) -> FitMessages:
    data = bytearray(path.read_bytes())
    assert Decoder(Stream.from_byte_array(data)).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(data)).read()
    assert errors == []
    return messages


def test_finished_and_interrupted_runs_export_to_fit_and_tcx(home: Path, tmp_path: Path) -> None:
    history = _history(home)
    by_status = {str(r["status"]): run_id for run_id, r in history.items()}
    for status, laps_expected in (("finished", [120.0] + [60.0] * 7), ("interrupted", [120.0, 60.0, 60.0, 10.0])):
        run_id = by_status[status]
        fit_out, tcx_out = tmp_path / f"{status}.fit", tmp_path / f"{status}.tcx"
        fit = _cli(home, "history", "export", str(run_id), "--format", "fit", "--out", str(fit_out))
        assert fit.returncode == 0, fit.stderr
        assert fit.stdout == f"Wrote {fit_out}.\n"
        messages = _fit(fit_out)
        (session,) = messages["session_mesgs"]
        assert (session["sport"], session["sub_sport"]) == ("running", "treadmill")
        assert [lap["total_timer_time"] for lap in messages["lap_mesgs"]] == pytest.approx(laps_expected)
        assert session["total_timer_time"] == pytest.approx(float(history[run_id]["elapsed_s"]))  # type: ignore[arg-type]
        tcx = _cli(home, "history", "export", str(run_id), "--format", "tcx", "--out", str(tcx_out))
        assert tcx.returncode == 0, tcx.stderr
        exercise = TCXReader().read(str(tcx_out), only_gps=False)
        assert exercise.activity_type == "Running"
        assert len(exercise.laps) == len(laps_expected)
    finished = _fit(tmp_path / "finished.fit")
    assert finished["session_mesgs"][0]["total_distance"] == pytest.approx(1500.0)  # the distance they entered
    assert finished["session_mesgs"][0]["total_elapsed_time"] == pytest.approx(PLAN.total_s + 90.0)
    assert "Strong finish." in (tmp_path / "finished.tcx").read_text(encoding="utf-8")


def test_several_runs_to_a_folder_and_bad_requests(home: Path, tmp_path: Path) -> None:
    ids = sorted(_history(home))
    folder = tmp_path / "out"
    folder.mkdir()
    result = _cli(home, "history", "export", *map(str, ids), "--format", "fit", "--out", str(folder))
    assert result.returncode == 0, result.stderr
    written = sorted(folder.iterdir())
    assert len(written) == 3
    for path in written:
        _fit(path)
    assert "There is no run with the id 999" in _one_line_error(
        _cli(home, "history", "export", "999", "--format", "tcx", "--out", str(tmp_path / "x.tcx"))
    )
    assert not (tmp_path / "x.tcx").exists()
    _one_line_error(_cli(home, "history", "export", str(ids[0]), "--format", "gpx", "--out", str(tmp_path / "x")))


def test_zwo_import_and_every_export_format(home: Path, tmp_path: Path) -> None:
    result = _cli(home, "sessions", "import", str(ZWO / "hill-strides.zwo"), "--pace", "5:00")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Imported “Hill strides” as hill-strides, from a Zwift run workout. "
        "Speeds come from your 5 km pace, 5:00 per km.\n"
    )
    listed = {s["id"]: s for s in json.loads(_cli(home, "sessions", "--json").stdout)}
    assert listed["hill-strides"]["total_s"] == 480 + 4 * 30 + 3 * 120 + 600 + 300
    zwo_out, fit_out = tmp_path / "ladder.zwo", tmp_path / "ladder.fit"
    assert _cli(home, "sessions", "export", "ladder", "--out", str(zwo_out)).returncode == 0
    assert b"<sportType>run</sportType>" in zwo_out.read_bytes()
    assert _cli(home, "sessions", "export", "ladder", "--out", str(fit_out)).returncode == 0
    steps = _fit(fit_out)["workout_step_mesgs"]
    assert [s["duration_type"] for s in steps] == ["time", "time", "time", "repeat_until_steps_cmplt", "time"]


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("bad-bike.zwo", "bad-bike.zwo: this is a cycling workout (sportType bike)"),
        ("bad-entities.zwo", "bad-entities.zwo: the file declares a DTD or entities"),
        ("bad-external.zwo", "bad-external.zwo: the file declares a DTD or entities"),
    ],
)
def test_bad_workout_files_change_nothing(home: Path, name: str, needle: str) -> None:
    before = _cli(home, "sessions", "--json").stdout
    assert _one_line_error(_cli(home, "sessions", "import", str(ZWO / name))).startswith(f"runcompanion: {needle}")
    assert _cli(home, "sessions", "--json").stdout == before

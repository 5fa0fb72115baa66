"""No audio device: ``doctor`` reports "Audio output" as a problem (exit 2); a run still works, with captions."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.battery import Cli
from tests.e2e.harness import stop_app, wait_until, xvfb_display

NO_SOUND_SERVER = {"PULSE_SERVER": "unix:/nonexistent/pulse/native", "PULSE_RUNTIME_PATH": "/nonexistent/pulse"}
SESSION = """\
name = "Silent e2e"
[[segments]]
kind = "warmup"
duration = "0:04"
[[segments]]
kind = "run"
duration = "0:04"
"""


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with xvfb_display() as name:
        yield name


def test_doctor_reports_no_audio_output(tmp_path: Path) -> None:
    cli = Cli.at(tmp_path / "home")
    result = cli.run("doctor", "--json", env=NO_SOUND_SERVER)

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    checks = {check["name"]: check for check in json.loads(result.stdout)["checks"]}
    assert checks["Audio output"]["ok"] is False
    assert "captions" in checks["Audio output"]["detail"]
    assert checks["Audio output"]["fix"]


def _runs(database: Path) -> list[tuple[str, float]]:
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        return list(connection.execute("SELECT status, elapsed_s FROM runs"))
    finally:
        connection.close()


@pytest.mark.timeout(180)
def test_a_run_without_audio_finishes_with_captions(tmp_path: Path, display: str) -> None:
    cli = Cli.at(tmp_path / "home")
    cli.env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb", **NO_SOUND_SERVER})
    cli.env.pop("WAYLAND_DISPLAY", None)
    source = tmp_path / "silent.toml"
    source.write_text(SESSION, encoding="utf-8")
    cli.ok("sessions", "import", str(source))
    log = cli.data_dir / "runcompanion.log"

    proc = subprocess.Popen(
        cli.command("run", "silent-e2e", "--seed", "2"),
        env=cli.env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:

        def logged(needle: str) -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"the app exited with {proc.returncode} before {needle!r}")
            return needle in log.read_text(encoding="utf-8")

        wait_until(lambda: logged("cues ready"), 90, "the cues to be ready")
        wait_until(lambda: logged("finished after"), 60, "the run to finish")
    finally:
        status, _out, err = stop_app(proc)

    assert status == 0, err
    assert "Traceback" not in err
    expected: list[object] = [("finished", pytest.approx(8.0, abs=1.0))]
    assert _runs(cli.database) == expected
    # The player could not play a sound, said so, and the run screen switched to captions (its banner).
    assert "WARNING runcompanion.ui.run.qt_player: cannot play" in log.read_text(encoding="utf-8")

"""Without libxcb-cursor0, the app and doctor say so in one line and exit 2, instead of Qt's abort (exit 134).

The library is hidden for real: in a mount namespace of its own (``unshare -m``) the folder that holds it gets an
overlay in which its files are deleted, so the dynamic loader finds it nowhere, exactly as on a system that never
had the package. Nothing outside the namespace changes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.e2e.harness import AppEnv, require

LIBRARY = "libxcb-cursor.so.0"
PACKAGE = "libxcb-cursor0"


def _library_folder() -> Path:
    from runcompanion.ui.shell.qt_platform import platform_plugin

    plugin = platform_plugin("xcb")
    assert plugin is not None, "PySide6 should ship the xcb platform plugin"
    listed = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    found = re.search(rf"{re.escape(LIBRARY)} => (\S+)", listed)
    assert found, f"{LIBRARY} should be installed outside the test: {listed}"
    assert found.group(1) != "not", f"{LIBRARY} should be installed outside the test: {listed}"
    return Path(found.group(1)).resolve().parent


def _without_library(tmp_path: Path) -> list[str]:
    """A command prefix: what follows runs in a mount namespace where the library's files are deleted from an
    overlay of its folder."""
    folder = _library_folder()
    overlay = Path(tempfile.mkdtemp(dir=tmp_path, prefix="overlay-"))
    upper, work = overlay / "upper", overlay / "work"
    upper.mkdir()
    work.mkdir()
    script = (
        'set -e; mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$1"; '
        'rm -f "$1"/libxcb-cursor.so.0*; shift 3; exec "$@"'
    )
    unshare = require("unshare", "util-linux")
    return [
        unshare,
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        script,
        "sh",
        str(folder),
        str(upper),
        str(work),
    ]


def _run(app_env: AppEnv, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*_without_library(tmp_path), sys.executable, "-m", "runcompanion", *args]
    return subprocess.run(command, env=app_env.env, capture_output=True, text=True, timeout=120, check=False)


def test_the_namespace_really_hides_the_library(app_env: AppEnv, tmp_path: Path) -> None:
    from runcompanion.ui.shell.qt_platform import platform_plugin

    plugin = platform_plugin("xcb")
    assert plugin is not None
    command = [*_without_library(tmp_path), "ldd", str(plugin)]
    listed = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert listed.returncode == 0, listed.stderr
    assert f"{LIBRARY} => not found" in listed.stdout


@pytest.mark.timeout(180)
def test_the_app_names_the_missing_library_and_its_package_in_one_line(app_env: AppEnv, tmp_path: Path) -> None:
    result = _run(app_env, tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert LIBRARY in lines[0]
    assert f"sudo apt-get install {PACKAGE}" in lines[0]
    assert "Traceback" not in result.stderr
    assert "Reinstalling the application" not in result.stderr
    # From a desktop menu nobody reads stderr: the log file (which Troubleshooting points to) says it too.
    assert f"no window: Qt cannot open a window: the library {LIBRARY}" in app_env.log_text()


@pytest.mark.timeout(180)
def test_doctor_reports_the_missing_library_as_a_problem_with_the_fix(app_env: AppEnv, tmp_path: Path) -> None:
    result = _run(app_env, tmp_path, "doctor", "--json")
    assert result.returncode == 2, result.stderr
    checks = {check["name"]: check for check in json.loads(result.stdout)["checks"]}
    display = checks["Display"]
    assert display["ok"] is False
    assert LIBRARY in display["detail"]
    assert display["fix"] == f"sudo apt-get install {PACKAGE}"
    # Everything else doctor checks is unaffected by a missing window-system library.
    assert checks["Speech engine"]["ok"] is True

    text = _run(app_env, tmp_path, "doctor")
    problem_lines = [line for line in text.stdout.splitlines() if line.startswith("PROBLEM") and "Display" in line]
    assert len(problem_lines) == 1, text.stdout
    assert LIBRARY in problem_lines[0]
    assert f"fix: sudo apt-get install {PACKAGE}" in text.stdout


def test_with_the_library_present_the_check_finds_nothing(app_env: AppEnv) -> None:
    code = "from runcompanion.ui.shell.qt_platform import platform_problem; print(platform_problem())"
    result = subprocess.run(
        [sys.executable, "-c", code], env=app_env.env, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "None"
    assert shutil.which("ldd") is not None

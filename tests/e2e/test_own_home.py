"""A test run writes nothing into the user's home folder, not even through PulseAudio's client library."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import AppEnv, require

# The calls that create, change or remove a file or folder; strace prints the path as the first quoted argument.
_WRITES = "open,openat,creat,mkdir,mkdirat,symlink,symlinkat,rename,renameat,renameat2,unlink,unlinkat,link,linkat"
_WRITE_FLAGS = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC")


def _user_home() -> Path:
    return Path(os.environ["RUNCOMPANION_TESTS_USER_HOME"]).resolve()


def test_the_test_process_and_its_children_have_a_temporary_home() -> None:
    user_home = _user_home()
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        value = Path(os.environ[name]).resolve()
        assert value.is_dir(), name
        assert not value.is_relative_to(user_home), f"{name}={value} is inside {user_home}"
    child = subprocess.run(
        [sys.executable, "-c", "import pathlib; print(pathlib.Path.home())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(child.stdout.strip()).resolve() == Path(os.environ["HOME"]).resolve()


def _writes_into(user_home: Path, log: Path) -> list[str]:
    into_home = []
    for line in log.read_text(encoding="utf-8").splitlines():
        quoted = re.findall(r'"([^"]*)"', line)
        call = line.split("(", 1)[0].split()[-1]
        if call in ("open", "openat", "creat") and not _WRITE_FLAGS.search(line):
            continue  # reading is allowed (the user's fonts, say); writing is not
        # A failed attempt counts too: mkdir ~/.config/pulse fails with EEXIST only because a folder is there.
        if any(Path(path).is_absolute() and Path(path).resolve().is_relative_to(user_home) for path in quoted):
            into_home.append(line)
    return into_home


def _traced_doctor(env: dict[str, str], log: Path) -> subprocess.CompletedProcess[str]:
    strace = require("strace", "strace")
    command = [strace, "-f", "-qq", "-e", f"trace={_WRITES}", "-o", str(log)]
    command += [sys.executable, "-m", "runcompanion", "doctor", "--json"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.timeout(180)
def test_a_command_run_as_the_gui_and_battery_tests_run_it_writes_nothing_into_the_user_home(tmp_path: Path) -> None:
    # The environment the test process has, as in-process GUI tests and the battery's subprocesses see it; no
    # sound server: libpulse still looks for one and, with the real HOME, made ~/.config/pulse.
    env = {**os.environ, "RUNCOMPANION_HOME": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    log = tmp_path / "strace.log"
    result = _traced_doctor(env, log)
    assert result.returncode in (0, 2), result.stdout + result.stderr
    assert "pulse" in log.read_text(encoding="utf-8"), "the trace should show PulseAudio's client at work"
    assert _writes_into(_user_home(), log) == []


@pytest.mark.timeout(180)
def test_the_app_with_its_sound_server_writes_nothing_into_the_user_home(app_env: AppEnv, tmp_path: Path) -> None:
    # doctor loads QtMultimedia, which connects to the PulseAudio null sink through libpulse.
    log = tmp_path / "strace.log"
    result = _traced_doctor(app_env.env, log)
    assert result.returncode == 0, result.stdout + result.stderr  # with the null sink there is an audio output
    assert "pulse" in log.read_text(encoding="utf-8"), "the trace should show PulseAudio's client at work"
    assert _writes_into(_user_home(), log) == []

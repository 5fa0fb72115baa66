"""The real app as a subprocess, on a virtual X screen with a PulseAudio null sink as its sound card.

Nothing here is skipped for lack of a tool: a missing Xvfb or PulseAudio fails the test and names the package.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SCREEN = "1280x800x24"


def require(binary: str, package: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise RuntimeError(f"{binary} is not installed; install the Debian package {package} (scripts/dev.sh does).")
    return path


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.02) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` when it does not within ``timeout`` seconds."""
    # The app is another process: a log line or a file is the only thing to watch, so this polls it.
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        pause.wait(interval)


@contextmanager
def xvfb_display() -> Iterator[str]:
    binary = require("Xvfb", "xvfb")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", SCREEN, "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        # Xvfb writes the display number it chose once it accepts connections: no guessing, no sleeping.
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


@dataclass
class PulseServer:
    runtime_dir: Path
    sink: str = "rc_test"
    env: dict[str, str] = field(default_factory=dict)

    def pactl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10, check=False)


@contextmanager
def pulse_null_sink(runtime_dir: Path) -> Iterator[PulseServer]:
    binary = require("pulseaudio", "pulseaudio")
    require("pactl", "pulseaudio-utils")
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    server = PulseServer(runtime_dir)
    server.env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime_dir), "HOME": str(runtime_dir)}
    proc = subprocess.Popen(
        [
            binary,
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "--log-target=stderr",
            f"--load=module-null-sink sink_name={server.sink} rate=44100",
            "--load=module-native-protocol-unix",
            "--load=module-always-sink",
        ],
        env=server.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: server.pactl("info").returncode == 0, 20, "PulseAudio to accept connections")
        server.pactl("set-default-sink", server.sink)
        yield server
    finally:
        proc.terminate()
        proc.wait(10)


@dataclass
class AppEnv:
    """Where a test's app keeps its data, and the environment its subprocesses get."""

    home: Path
    env: dict[str, str]

    @property
    def log_file(self) -> Path:
        return self.home / "data" / "runcompanion.log"

    @property
    def database(self) -> Path:
        return self.home / "data" / "runcompanion.sqlite3"

    def log_text(self) -> str:
        return self.log_file.read_text(encoding="utf-8") if self.log_file.exists() else ""

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "runcompanion", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "runcompanion", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_for_log(self, needle: str, timeout: float = 60, proc: subprocess.Popen[str] | None = None) -> None:
        def seen() -> bool:
            if proc is not None and proc.poll() is not None:
                _out, err = proc.communicate()
                raise AssertionError(f"the app exited with {proc.returncode} before '{needle}':\n{err}")
            return needle in self.log_text()

        wait_until(seen, timeout, f"'{needle}' in the app's log")

    def screenshot(self, out: Path) -> Path:
        """Grab the whole X screen with Qt, in a separate process connected to the same display."""
        code = (
            "import sys\n"
            "from PySide6.QtGui import QGuiApplication\n"
            "app = QGuiApplication(sys.argv[:1])\n"
            "ok = app.primaryScreen().grabWindow(0).save(sys.argv[1])\n"
            "sys.exit(0 if ok else 3)\n"
        )
        subprocess.run([sys.executable, "-c", code, str(out)], env=self.env, check=True, timeout=60)
        return out


def stop_app(proc: subprocess.Popen[str], timeout: float = 30) -> tuple[int, str, str]:
    """Ask the app to close as a desktop would (SIGTERM) and collect its exit status and output."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err

"""A desktop session for the accessibility-bus tests: a D-Bus session bus, the AT-SPI bus on it, and a screen
reader's client (``atspi_driver.py`` under the system Python) to talk to the app through it.

What a desktop does at log-in, done here by hand: ``dbus-daemon --session`` (package dbus-daemon), then
``at-spi-bus-launcher --launch-immediately`` (at-spi2-core), which starts the accessibility bus and registers it
on the session bus as org.a11y.Bus; Qt finds it there when ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`` (no desktop
setting to turn it on). Every process is started here, by its id, and ended here. Nothing is skipped when a
part is missing: the test fails and names the Debian package (scripts/dev.sh installs them all).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.e2e.harness import require, wait_until

DRIVER = Path(__file__).with_name("atspi_driver.py")
BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
# The interpreter Debian built python3-pyatspi and python3-gi for (see atspi_driver.py's docstring).
SYSTEM_PYTHON = Path("/usr/bin/python3")
PACKAGES = "at-spi2-core dbus-daemon python3-pyatspi xdotool"


def _stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@contextmanager
def accessibility_session(runtime_dir: Path, display: str) -> Iterator[dict[str, str]]:
    """Yield the environment variables that put a process on this session's buses."""
    daemon = require("dbus-daemon", "dbus-daemon")
    require("dbus-send", "dbus-bin")
    if not BUS_LAUNCHER.exists():
        raise RuntimeError(f"{BUS_LAUNCHER} is missing; install the Debian package at-spi2-core (scripts/dev.sh does).")
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    read_fd, write_fd = os.pipe()
    bus = subprocess.Popen(
        [daemon, "--session", "--nofork", f"--print-address={write_fd}"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    launcher: subprocess.Popen[bytes] | None = None
    try:
        # The daemon writes its address once it accepts connections: no guessing, no sleeping.
        with os.fdopen(read_fd) as pipe:
            address = pipe.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon --session did not start")
        env = {"DBUS_SESSION_BUS_ADDRESS": address, "DISPLAY": display, "XDG_RUNTIME_DIR": str(runtime_dir)}
        launcher = subprocess.Popen(
            [str(BUS_LAUNCHER), "--launch-immediately", "--a11y=1"],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def registered() -> bool:
            # NameHasOwner, not a call to org.a11y.Bus itself: a call would have D-Bus start a second launcher.
            asked = subprocess.run(
                ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                 "org.freedesktop.DBus.NameHasOwner", "string:org.a11y.Bus"],
                env={**os.environ, **env}, capture_output=True, text=True, timeout=10, check=False,
            )  # fmt: skip
            return "boolean true" in asked.stdout

        wait_until(registered, 20, "the AT-SPI bus launcher to register org.a11y.Bus")
        yield env
    finally:
        if launcher is not None:
            _stop(launcher)
        _stop(bus)


class ScreenReader:
    """The test's side of ``atspi_driver.py``: each method is one request, its reply or a clear failure."""

    def __init__(self, env: dict[str, str]) -> None:
        if not SYSTEM_PYTHON.exists():
            raise RuntimeError(f"{SYSTEM_PYTHON} is missing; install the Debian package python3-pyatspi.")
        self.proc = subprocess.Popen(
            # -I: none of the venv's PYTHON* variables or user site; the driver needs Debian's packages only.
            [str(SYSTEM_PYTHON), "-I", str(DRIVER)],
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        hello = self._reply()
        if hello != "ready":
            raise RuntimeError(f"the AT-SPI driver did not start: {hello!r}")

    def _reply(self) -> Any:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            _stop(self.proc)
            err = self.proc.stderr.read() if self.proc.stderr is not None else ""
            hint = f" (install {PACKAGES}; scripts/dev.sh does)" if "ModuleNotFoundError" in err else ""
            raise RuntimeError(f"the AT-SPI driver ended{hint}:\n{err}")
        reply = json.loads(line)
        if not reply["ok"]:
            raise AssertionError(f"on the accessibility bus: {reply['error']}")
        return reply["result"]

    def request(self, cmd: str, **args: Any) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.proc.stdin.flush()
        return self._reply()

    def wait_app(self, name: str, timeout: float = 40) -> dict[str, Any]:
        found: dict[str, Any] = self.request("wait_app", name=name, timeout=timeout)
        return found

    def tree(self) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = self.request("tree")
        return nodes

    def find(self, role: str, name: str, timeout: float = 20) -> dict[str, Any]:
        node: dict[str, Any] = self.request("find", role=role, name=name, timeout=timeout)
        return node

    def wait_gone(self, role: str, name: str, timeout: float = 20) -> None:
        self.request("wait_gone", role=role, name=name, timeout=timeout)

    def act(self, role: str, name: str, action: str, timeout: float = 20) -> dict[str, Any]:
        node: dict[str, Any] = self.request("act", role=role, name=name, action=action, timeout=timeout)
        return node

    def select(self, role: str, name: str, child: str, timeout: float = 20, first: bool = False) -> dict[str, Any]:
        node: dict[str, Any] = self.request("select", role=role, name=name, child=child, timeout=timeout, first=first)
        return node

    def listen(self, *events: str) -> None:
        self.request("listen", events=list(events))

    def wait_event(self, type: str, contains: str, timeout: float = 30) -> dict[str, Any]:
        seen: dict[str, Any] = self.request("wait_event", type=type, contains=contains, timeout=timeout)
        return seen

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        _stop(self.proc)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

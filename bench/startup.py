"""Cold start to first painted window, against a bare PySide6 window in the same run, and memory after start."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.table import Row
from tests.e2e.harness import wait_until, xvfb_display

ROOT = Path(__file__).resolve().parent.parent


def _time_to_paint(cmd: list[str], env: dict[str, str], marker: Path) -> tuple[float, int]:
    """Seconds from spawning ``cmd`` until ``marker`` says "first paint", and its resident memory (KiB)
    two seconds later, once start-up work in the background has settled."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(
            lambda: marker.exists() and "first paint" in marker.read_text(),
            60,
            "the first paint",
            interval=0.002,
        )
        elapsed = time.monotonic() - started
        settle = time.monotonic() + 2.0
        wait_until(lambda: time.monotonic() >= settle, 5, "start-up to settle", interval=0.05)
        rss = _rss_kib(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    return elapsed, rss


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run(repeats: int = 5) -> list[Row]:
    bare: list[float] = []
    bare_rss: list[int] = []
    fresh: list[float] = []
    fresh_rss: list[int] = []
    again: list[float] = []
    again_rss: list[int] = []
    with xvfb_display() as display, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
        env.pop("RUNCOMPANION_HOME", None)
        for i in range(repeats):
            # Alternate them so that a busy moment on the machine hits all alike.
            marker = Path(tmp) / f"bare-{i}.txt"
            seconds, rss = _time_to_paint([sys.executable, "-m", "bench.bare_window", str(marker)], env, marker)
            bare.append(seconds)
            bare_rss.append(rss)
            home = Path(tmp) / f"home-{i}"
            log = home / "data" / "runcompanion.log"
            app = [sys.executable, "-m", "runcompanion", "--data-dir", str(home)]
            # First start: a new data folder, so the database is created and migrated.
            seconds, rss = _time_to_paint(app, env, log)
            fresh.append(seconds)
            fresh_rss.append(rss)
            # Every later start: the data folder exists and is at the newest schema.
            log.unlink()
            seconds, rss = _time_to_paint(app, env, log)
            again.append(seconds)
            again_rss.append(rss)
    bare_ms = statistics.median(bare) * 1000
    fresh_ms = statistics.median(fresh) * 1000
    again_ms = statistics.median(again) * 1000
    fresh_mb = statistics.median(fresh_rss) / 1024
    again_mb = statistics.median(again_rss) / 1024
    return [
        Row("start-up: bare PySide6 window, first paint", f"{bare_ms:.0f} ms", "", None),
        Row("start-up: RunCompanion, first start (new data folder), first paint", f"{fresh_ms:.0f} ms", "", None),
        Row(
            "start-up ratio, first start / bare window",
            f"{fresh_ms / bare_ms:.2f}x",
            "< 1.5x",
            fresh_ms / bare_ms < 1.5,
        ),
        Row("start-up: RunCompanion, later starts, first paint", f"{again_ms:.0f} ms", "", None),
        Row(
            "start-up ratio, later starts / bare window",
            f"{again_ms / bare_ms:.2f}x",
            "< 1.5x",
            again_ms / bare_ms < 1.5,
        ),
        Row("resident memory 2 s after start (bare window)", f"{statistics.median(bare_rss) / 1024:.0f} MB", "", None),
        Row("resident memory 2 s after the first start", f"{fresh_mb:.0f} MB", "< 150 MB", fresh_mb < 150),
        Row("resident memory 2 s after a later start", f"{again_mb:.0f} MB", "< 150 MB", again_mb < 150),
    ]

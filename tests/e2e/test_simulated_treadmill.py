"""`runcompanion run small-steps-10 --treadmill simulated`: live figures on the real run screen, recorded after.

The app runs as a subprocess under Xvfb with the PulseAudio null sink; its simulated treadmill and strap are real
GATT servers on bumble's virtual link inside it. The screenshot is the README's (RUNCOMPANION_UPDATE_SCREENSHOTS=1
writes it to docs/screenshots/run-treadmill.png).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.e2e.harness import AppEnv
from tests.e2e.test_cue_timing import stop_or_kill

pytestmark = pytest.mark.e2e

README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "run-treadmill.png"


def test_simulated_treadmill_run_shows_and_records_figures(app_env: AppEnv, tmp_path: Path) -> None:
    proc = app_env.start("run", "small-steps-10", "--treadmill", "simulated", "--seed", "4")
    try:
        app_env.wait_for_log("devices: first figures on the run screen", timeout=90, proc=proc)
        app_env.wait_for_log("devices: the belt has carried the runner", timeout=90, proc=proc)
        shot = app_env.screenshot(tmp_path / "run-treadmill.png")
        assert shot.stat().st_size > 10_000
        if os.environ.get("RUNCOMPANION_UPDATE_SCREENSHOTS") == "1":
            _save_window_only(shot, README_SHOT)
    finally:
        stop_or_kill(proc)
    log = app_env.log_text()
    moving = next(line for line in log.splitlines() if "the belt has carried the runner" in line)
    assert "Belt " in moving
    assert "km/h" in moving
    assert "♥ " in moving
    result = app_env.cli("history", "--json")
    assert result.returncode == 0, result.stderr
    (run,) = json.loads(result.stdout)
    assert run["status"] == "stopped"
    assert run["distance_m"] is not None
    assert run["distance_m"] >= 20
    assert 40 <= run["avg_heart_rate"] <= 200
    assert run["max_heart_rate"] >= run["avg_heart_rate"]
    assert run["devices"] == "Simulated treadmill, Simulated heart-rate strap"
    assert run["segment_figures"][0]["speed_kmh"] is not None
    assert run["segment_figures"][0]["speed_kmh"] <= 4.6  # the warm-up's 4.5 km/h, a step off at most
    # the figures over time: a sample each 5 s of running, the last ones flushed as the run was stopped
    samples = run["samples"]
    assert len(samples) >= 2
    times = [sample["elapsed_s"] for sample in samples]
    assert times == sorted(set(times))
    assert all(sample["speed_kmh"] is None or sample["speed_kmh"] <= 4.6 for sample in samples)
    assert all(40 <= sample["heart_rate"] <= 200 for sample in samples[1:])
    assert samples[-1]["distance_m"] <= run["distance_m"]


def _save_window_only(screen: Path, out: Path) -> None:
    """The screen shot without the empty (black) root window around the app's window."""
    from PySide6.QtGui import QImage

    image = QImage(str(screen))
    width = next(x for x in range(image.width() - 1, -1, -1) if image.pixelColor(x, 10).lightness() > 0) + 1
    height = next(y for y in range(image.height() - 1, -1, -1) if image.pixelColor(10, y).lightness() > 0) + 1
    assert image.copy(0, 0, width, height).save(str(out))

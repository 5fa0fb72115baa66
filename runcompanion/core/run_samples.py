"""A run's figures over time: one sample every few seconds of running (belt speed, incline, distance, heart rate).

The per-segment means (services/devices/run_metrics.py) say how each segment went; the samples say how the run
went within it, for the journal's chart of pace and heart rate over time and for the activity file's track.
``elapsed_s`` is running time (pauses excluded, a segment replayed after "back" counted again), so it only grows
and matches the activity file's clock. A field is None when no fresh, plausible reading stood behind it: a gap
stays a gap. Pure; any thread.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from runcompanion.core.device_sanity import (
    MAX_HEART_RATE_BPM,
    MAX_INCLINE_PERCENT,
    MAX_SPEED_KMH,
    MIN_HEART_RATE_BPM,
    MIN_INCLINE_PERCENT,
)

SAMPLE_EVERY_S = 5.0
MAX_SAMPLES = 20_000
"""More than a day of running at one sample each 5 s: a longer series is not from this app."""
MAX_ELAPSED_S = 7 * 24 * 3600.0
MAX_DISTANCE_M = 1_000_000.0


@dataclass(frozen=True, slots=True)
class RunSample:
    elapsed_s: float
    speed_kmh: float | None = None
    incline_pct: float | None = None
    distance_m: float | None = None
    heart_rate: int | None = None

    @property
    def empty(self) -> bool:
        return self.speed_kmh is None and self.incline_pct is None and self.heart_rate is None


def _within(value: float | None, what: str, low: float, high: float) -> None:
    if value is not None and not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"{what} {value!r} is outside {low:g} to {high:g}")


def check_samples(samples: Sequence[RunSample]) -> None:
    """ValueError naming the first impossible sample: a value out of range, or time not strictly growing."""
    if len(samples) > MAX_SAMPLES:
        raise ValueError(f"{len(samples)} samples are more than the {MAX_SAMPLES} a run can have")
    previous = -1.0
    for number, sample in enumerate(samples):
        where = f"sample {number}"
        _within(sample.elapsed_s, f"{where}: elapsed_s", 0.0, MAX_ELAPSED_S)
        if sample.elapsed_s <= previous:
            raise ValueError(f"{where}: elapsed_s {sample.elapsed_s:g} does not come after {previous:g}")
        previous = sample.elapsed_s
        _within(sample.speed_kmh, f"{where}: speed_kmh", 0.0, MAX_SPEED_KMH)
        _within(sample.incline_pct, f"{where}: incline_pct", MIN_INCLINE_PERCENT, MAX_INCLINE_PERCENT)
        _within(sample.distance_m, f"{where}: distance_m", 0.0, MAX_DISTANCE_M)
        if sample.heart_rate is not None and (
            type(sample.heart_rate) is not int or not MIN_HEART_RATE_BPM <= sample.heart_rate <= MAX_HEART_RATE_BPM
        ):
            raise ValueError(
                f"{where}: heart_rate {sample.heart_rate!r} is outside {MIN_HEART_RATE_BPM}-{MAX_HEART_RATE_BPM}"
            )

"""Believable treadmill and heart-rate figures for a demo run (scripts/demo_data.py), so the journal's chart of pace
and heart rate and the device insights show in the screenshots and the layout check.

The belt follows each segment's target speed and incline (easing in over a few seconds, with a little noise); the
heart rate rises with effort towards a level set by speed and incline, lags it by about half a minute, and drifts
up slowly over the run. The figures stay well inside the plausibility limits (core/device_sanity.py) that the
journal's backup reader enforces. Its own ``random.Random`` per run keeps demo_data's sequence, and so every demo
run and reflection, exactly as it was.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from runcompanion.core.heart_zones import ZONE_COUNT, zone_of
from runcompanion.core.run_samples import SAMPLE_EVERY_S, RunSample
from runcompanion.core.session_plan import Segment, SegmentKind
from runcompanion.services.devices.run_metrics import RunFigures, SegmentFigures
from runcompanion.services.run_figures_service import RunFiguresService

MAX_HEART_RATE = 186
"""The demo runner's maximum (Tanaka's 208 - 0.7 x age for a 31-year-old), the zones' reference."""
DEVICES = "Demo treadmill, Demo heart-rate strap"
_SPEED_BY_KIND = {SegmentKind.RUN: 8.0, SegmentKind.WALK: 5.5, SegmentKind.RECOVER: 5.5, SegmentKind.FREE: 6.5}


def _target(segment: Segment) -> tuple[float, float]:
    return segment.speed_kmh or _SPEED_BY_KIND.get(segment.kind, 5.0), segment.incline_pct or 0.0


def add_run(figures: RunFiguresService, run_id: int, segments: Sequence[Segment], elapsed_s: float) -> None:
    """Record ``elapsed_s`` seconds of ``segments`` as measured: the run's totals and a sample every 5 s."""
    rng = random.Random(run_id)
    resting = rng.uniform(58, 68)
    fitness = rng.uniform(0.92, 1.05)  # some days the same pace costs more beats
    # The first sample comes a few seconds after the belt started: it is already near the first target.
    speed, incline = _target(segments[0])
    speed -= 0.8
    heart, distance = resting + 20, 0.0
    samples: list[RunSample] = []
    per_segment: list[list[tuple[float, float]]] = [[] for _ in segments]
    zones = [0.0] * ZONE_COUNT
    segment_end, index, t = segments[0].duration_s, 0, 0.0
    while t <= elapsed_s:
        while t >= segment_end and index < len(segments) - 1:
            index += 1
            segment_end += segments[index].duration_s
        target_speed, target_incline = _target(segments[index])
        # The belt eases towards the target (a treadmill takes a few seconds to change speed).
        speed += (target_speed - speed) * 0.6 + rng.gauss(0, 0.05)
        speed = max(0.5, speed)
        incline += (target_incline - incline) * 0.7
        distance += speed / 3.6 * SAMPLE_EVERY_S if t > 0 else 0.0
        # Steady-state heart rate from the work (speed, incline), then a ~30-s lag and a slow cardiac drift.
        effort = (speed - 4.0) * 9.5 + incline * 2.5
        steady = (resting + 35 + effort) * fitness + t / 60 * 0.35
        heart += (steady - heart) * (1 - math.exp(-SAMPLE_EVERY_S / 30)) + rng.gauss(0, 0.8)
        heart = min(max(heart, resting), MAX_HEART_RATE - 4)
        bpm = round(heart)
        samples.append(RunSample(t, round(speed, 2), round(incline, 1), round(distance, 1), bpm))
        per_segment[index].append((speed, incline))
        zone = zone_of(bpm, MAX_HEART_RATE)
        if zone is not None:
            zones[zone - 1] += SAMPLE_EVERY_S
        t += SAMPLE_EVERY_S
    figures.add_samples(run_id, samples)
    heart_rates = [s.heart_rate for s in samples if s.heart_rate is not None]
    figures.record(
        run_id,
        RunFigures(
            distance_m=round(distance, 1),
            avg_heart_rate=round(sum(heart_rates) / len(heart_rates)),
            max_heart_rate=max(heart_rates),
            zone_s=tuple(zones),
            segments=tuple(
                SegmentFigures(
                    i,
                    sum(s for s, _ in readings) / 3.6 * SAMPLE_EVERY_S,
                    round(sum(s for s, _ in readings) / len(readings), 2),
                    round(sum(c for _, c in readings) / len(readings), 1),
                )
                for i, readings in enumerate(per_segment)
                if readings
            ),
        ),
        devices=DEVICES,
        zone_max_heart_rate=MAX_HEART_RATE,
    )

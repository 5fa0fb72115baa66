"""The journal detail's lines about what a run's treadmill and heart-rate strap measured (docs/devices.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from runcompanion.ui.common.widgets import format_clock

if TYPE_CHECKING:
    from runcompanion.services.journal_service import ChartPoint
    from runcompanion.storage.run_figures_repository import RunFiguresRecord

MIN_PACE_DISTANCE_M = 200.0
"""Below this a pace says more about the belt starting and stopping than about the run."""


def device_facts(measured: RunFiguresRecord | None) -> list[str]:
    """What the treadmill and the strap measured, in the detail's words (docs/devices.md)."""
    if measured is None:
        return []
    facts = []
    parts = []
    if measured.distance_m is not None:
        parts.append(f"{measured.distance_m / 1000:.2f} km on the belt")
    if measured.avg_heart_rate is not None and measured.max_heart_rate is not None:
        parts.append(f"heart rate {measured.avg_heart_rate} average, {measured.max_heart_rate} highest")
    if parts:
        facts.append("Measured: " + ", ".join(parts))
    if measured.zone_s is not None and any(measured.zone_s):
        zones = [f"{i} {format_clock(s)}" for i, s in enumerate(measured.zone_s, start=1) if s >= 1]
        facts.append("Heart-rate zones: " + " · ".join(zones))
    belt = [
        f"{s.segment_index + 1}: {s.speed_kmh:.1f} km/h"
        + (f" {s.incline_pct:.1f} %" if s.incline_pct is not None else "")
        for s in measured.segments
        if s.speed_kmh is not None
    ]
    if belt:
        facts.append("Belt by segment: " + " · ".join(belt))
    return facts


def running_points(
    points: Sequence[ChartPoint], measured: Mapping[int, RunFiguresRecord]
) -> list[tuple[dt.datetime, float | None, int | None]]:
    """(when, pace in minutes per km, average heart rate) for the runs a device measured, oldest first."""
    rows = []
    for point in points:
        figures = measured.get(point.run_id)
        if figures is None:
            continue
        distance = figures.distance_m
        pace = point.elapsed_s / 60 / (distance / 1000) if distance and distance >= MIN_PACE_DISTANCE_M else None
        if pace is None and figures.avg_heart_rate is None:
            continue
        when = dt.datetime.combine(point.local_date, dt.time(point.hour))
        rows.append((when, None if pace is None else round(pace, 2), figures.avg_heart_rate))
    return rows

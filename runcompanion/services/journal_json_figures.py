"""Reading a backup's device figures: a run's ``figures`` (distance, heart rate, zones, per-segment belt figures)
and its ``samples`` (the figures over time), checked field by field like the rest of the file
(services/journal_json_reader.py). The limits are the plausibility limits the devices' readings pass
(core/device_sanity.py), so a backup cannot carry a figure the app would never have recorded.
"""

from __future__ import annotations

import math

from runcompanion.core.device_sanity import (
    MAX_HEART_RATE_BPM,
    MAX_INCLINE_PERCENT,
    MAX_SPEED_KMH,
    MIN_HEART_RATE_BPM,
    MIN_INCLINE_PERCENT,
)
from runcompanion.core.run_samples import MAX_DISTANCE_M, MAX_ELAPSED_S, MAX_SAMPLES, RunSample, check_samples
from runcompanion.services.journal_fields import MAX_NAME_CHARS, MAX_SECONDS, JsonObject, Problem, show_value
from runcompanion.storage.archive_records import ArchivedFigures, ArchivedSegmentFigures

ZONES = 5
MAX_SEGMENTS = 10_000


def _signed(item: JsonObject, key: str, low: float, high: float) -> float | None:
    """An optional number from ``low`` to ``high`` (null or missing: None)."""
    value = item.raw.get(key)
    if value is None:
        return None
    fits = (type(value) is int and low <= value <= high) or (
        type(value) is float and math.isfinite(value) and low <= value <= high
    )
    if not fits:
        expected = f"null or a number from {low:g} to {high:g}"
        raise Problem(f"{item.where}.{key}: must be {expected}, got {show_value(value)}.")
    return float(value)


def _heart(item: JsonObject, key: str) -> int | None:
    return item.point(key, MIN_HEART_RATE_BPM, MAX_HEART_RATE_BPM)


def read_figures(item: JsonObject) -> ArchivedFigures:
    item.allow(
        "distance_m",
        "avg_heart_rate",
        "max_heart_rate",
        "zone_max_heart_rate",
        "heart_rate_zones_s",
        "devices",
        "segment_figures",
    )
    zones_raw = item.raw.get("heart_rate_zones_s")
    zones: tuple[float, ...] | None = None
    if zones_raw is not None:
        if not isinstance(zones_raw, list) or len(zones_raw) != ZONES:
            raise Problem(f"{item.where}.heart_rate_zones_s: must be null or a list of {ZONES} numbers of seconds.")
        holder = JsonObject({str(i): v for i, v in enumerate(zones_raw)}, f"{item.where}.heart_rate_zones_s")
        zones = tuple(holder.seconds(str(i)) for i in range(ZONES))
    segments_raw = item.array("segment_figures", optional=True)
    if len(segments_raw) > MAX_SEGMENTS:
        raise Problem(f"{item.where}.segment_figures: more than {MAX_SEGMENTS} segments.")
    segments = tuple(
        _segment(JsonObject(raw, f"{item.where}.segment_figures[{i}]")) for i, raw in enumerate(segments_raw)
    )
    indexes = [segment.segment_index for segment in segments]
    if len(set(indexes)) != len(indexes):
        raise Problem(f"{item.where}.segment_figures: a segment index appears twice.")
    return ArchivedFigures(
        distance_m=_signed(item, "distance_m", 0, MAX_DISTANCE_M),
        avg_heart_rate=_heart(item, "avg_heart_rate"),
        max_heart_rate=_heart(item, "max_heart_rate"),
        zone_max_heart_rate=_heart(item, "zone_max_heart_rate"),
        zone_s=zones,
        devices=item.text("devices", MAX_NAME_CHARS, optional=True),
        segments=segments,
    )


def _segment(item: JsonObject) -> ArchivedSegmentFigures:
    item.allow("index", "distance_m", "speed_kmh", "incline_pct")
    index = item.whole("index", low=0)
    distance = _signed(item, "distance_m", 0, MAX_DISTANCE_M)
    if index is None or distance is None:
        raise Problem(f"{item.where}: needs an index and a distance_m.")
    return ArchivedSegmentFigures(
        index,
        distance,
        _signed(item, "speed_kmh", 0, MAX_SPEED_KMH),
        _signed(item, "incline_pct", MIN_INCLINE_PERCENT, MAX_INCLINE_PERCENT),
    )


def read_samples(run: JsonObject) -> tuple[RunSample, ...]:
    raw = run.array("samples", optional=True)
    if len(raw) > MAX_SAMPLES:
        raise Problem(f"{run.where}.samples: more than {MAX_SAMPLES} samples.")
    samples = tuple(_sample(JsonObject(value, f"{run.where}.samples[{i}]")) for i, value in enumerate(raw))
    try:
        check_samples(samples)
    except ValueError as error:
        raise Problem(f"{run.where}.samples: {error}.") from None
    return samples


def _sample(item: JsonObject) -> RunSample:
    item.allow("elapsed_s", "speed_kmh", "incline_pct", "distance_m", "heart_rate")
    elapsed = _signed(item, "elapsed_s", 0, min(MAX_ELAPSED_S, MAX_SECONDS))
    if elapsed is None:
        raise Problem(f"{item.where}.elapsed_s: missing; it is required.")
    return RunSample(
        elapsed,
        _signed(item, "speed_kmh", 0, MAX_SPEED_KMH),
        _signed(item, "incline_pct", MIN_INCLINE_PERCENT, MAX_INCLINE_PERCENT),
        _signed(item, "distance_m", 0, MAX_DISTANCE_M),
        _heart(item, "heart_rate"),
    )

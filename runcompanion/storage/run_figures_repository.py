"""What a run's devices measured, in and out of ``run_figures`` and ``run_segment_figures`` (migration 0003).

Values are checked again here even though the device clients already dropped implausible readings: the schema's
CHECK constraints would refuse them anyway, and a clear ValueError names the field before any row is written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from runcompanion.storage.database import Database
from runcompanion.storage.id_lists import among
from runcompanion.storage.models import RunFiguresRow, RunRow, RunSegmentFiguresRow

ZONES = 5


@dataclass(frozen=True, slots=True)
class SegmentFiguresRecord:
    segment_index: int
    distance_m: float
    speed_kmh: float | None
    incline_pct: float | None


@dataclass(frozen=True, slots=True)
class RunFiguresRecord:
    run_id: int
    distance_m: float | None
    avg_heart_rate: int | None
    max_heart_rate: int | None
    zone_max_heart_rate: int | None
    zone_s: tuple[float, ...] | None
    devices: str
    segments: tuple[SegmentFiguresRecord, ...]


class RunFiguresRepository:
    def __init__(self, database: Database) -> None:
        self._database = database

    def save(self, figures: RunFiguresRecord) -> None:
        """Store (or replace) one run's figures. Raises ValueError for an absent run or an impossible value."""
        check_figures(figures)
        with self._database.transaction() as session:
            if session.get(RunRow, figures.run_id) is None:
                raise ValueError(f"there is no run {figures.run_id}")
            existing = session.get(RunFiguresRow, figures.run_id)
            if existing is not None:
                session.delete(existing)
            for old in session.scalars(
                select(RunSegmentFiguresRow).where(RunSegmentFiguresRow.run_id == figures.run_id)
            ):
                session.delete(old)
            session.flush()
            session.add(
                RunFiguresRow(
                    run_id=figures.run_id,
                    distance_m=figures.distance_m,
                    avg_heart_rate=figures.avg_heart_rate,
                    max_heart_rate=figures.max_heart_rate,
                    zone_max_heart_rate=figures.zone_max_heart_rate,
                    zone_s_json=None if figures.zone_s is None else json.dumps(list(figures.zone_s)),
                    devices=figures.devices,
                )
            )
            for segment in figures.segments:
                session.add(
                    RunSegmentFiguresRow(
                        run_id=figures.run_id,
                        segment_index=segment.segment_index,
                        distance_m=segment.distance_m,
                        speed_kmh=segment.speed_kmh,
                        incline_pct=segment.incline_pct,
                    )
                )

    def get(self, run_id: int) -> RunFiguresRecord | None:
        return self.for_runs([run_id]).get(run_id)

    def for_runs(self, run_ids: Iterable[int]) -> dict[int, RunFiguresRecord]:
        """The figures of those runs that have any, by run id."""
        ids = list(run_ids)
        if not ids:
            return {}
        segments: dict[int, list[SegmentFiguresRecord]] = {}
        with self._database.transaction(write=False) as session:
            rows = session.scalars(select(RunFiguresRow).where(among(RunFiguresRow.run_id, ids))).all()
            for seg in session.scalars(
                select(RunSegmentFiguresRow)
                .where(among(RunSegmentFiguresRow.run_id, ids))
                .order_by(RunSegmentFiguresRow.run_id, RunSegmentFiguresRow.segment_index)
            ):
                segments.setdefault(seg.run_id, []).append(
                    SegmentFiguresRecord(seg.segment_index, seg.distance_m, seg.speed_kmh, seg.incline_pct)
                )
            return {row.run_id: _record(row, segments.get(row.run_id, [])) for row in rows}


def _record(row: RunFiguresRow, segments: Sequence[SegmentFiguresRecord]) -> RunFiguresRecord:
    zones = None if row.zone_s_json is None else tuple(float(s) for s in json.loads(row.zone_s_json))
    return RunFiguresRecord(
        row.run_id,
        row.distance_m,
        row.avg_heart_rate,
        row.max_heart_rate,
        row.zone_max_heart_rate,
        zones,
        row.devices,
        tuple(segments),
    )


def _finite(value: float | None, what: str, low: float, high: float) -> None:
    if value is not None and not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"{what} {value} is outside {low:g}-{high:g}")


def check_figures(figures: RunFiguresRecord) -> None:
    """ValueError naming the first impossible value (the journal import checks a backup's figures with it too)."""
    _finite(figures.distance_m, "distance_m", 0, 1_000_000)
    _finite(figures.avg_heart_rate, "avg_heart_rate", 25, 240)
    _finite(figures.max_heart_rate, "max_heart_rate", 25, 240)
    if figures.zone_s is not None:
        if len(figures.zone_s) != ZONES:
            raise ValueError(f"zone_s needs {ZONES} values, got {len(figures.zone_s)}")
        for seconds in figures.zone_s:
            _finite(seconds, "a zone's seconds", 0, 10 * 24 * 3600)
    indexes = [segment.segment_index for segment in figures.segments]
    if len(set(indexes)) != len(indexes) or any(index < 0 for index in indexes):
        raise ValueError(f"segment indexes {indexes} must be distinct and not negative")
    for segment in figures.segments:
        _finite(segment.distance_m, "a segment's distance_m", 0, 1_000_000)
        _finite(segment.speed_kmh, "a segment's speed_kmh", 0, 40)
        _finite(segment.incline_pct, "a segment's incline_pct", -15, 45)

"""The devices' figures of runs in a journal backup: read for every run in the archive's snapshot, and written for
the runs an import adds, in the caller's transaction (storage/journal_archive.py, storage/journal_import.py).

Values are checked again before they are written (as run_figures_repository and run_sample_repository do), so a
backup edited by hand cannot put an impossible figure into the database; ValueError names it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from runcompanion.core.run_samples import RunSample, check_samples
from runcompanion.storage.archive_records import ArchivedFigures, ArchivedRun, ArchivedSegmentFigures
from runcompanion.storage.models import RunFiguresRow, RunSampleRow, RunSegmentFiguresRow
from runcompanion.storage.run_figures_repository import RunFiguresRecord, SegmentFiguresRecord, check_figures
from runcompanion.storage.run_sample_repository import samples_by_run, samples_query


@dataclass(frozen=True, slots=True)
class RunDeviceData:
    figures: ArchivedFigures | None
    samples: tuple[RunSample, ...]


def device_data_by_run(session: Session) -> dict[int, RunDeviceData]:
    """Every run's figures and samples that has any, by run id."""
    segments: dict[int, list[ArchivedSegmentFigures]] = {}
    for row in session.scalars(
        select(RunSegmentFiguresRow).order_by(RunSegmentFiguresRow.run_id, RunSegmentFiguresRow.segment_index)
    ):
        segments.setdefault(row.run_id, []).append(
            ArchivedSegmentFigures(row.segment_index, row.distance_m, row.speed_kmh, row.incline_pct)
        )
    figures = {
        row.run_id: ArchivedFigures(
            distance_m=row.distance_m,
            avg_heart_rate=row.avg_heart_rate,
            max_heart_rate=row.max_heart_rate,
            zone_max_heart_rate=row.zone_max_heart_rate,
            zone_s=None if row.zone_s_json is None else tuple(float(s) for s in json.loads(row.zone_s_json)),
            devices=row.devices,
            segments=tuple(segments.get(row.run_id, ())),
        )
        for row in session.scalars(select(RunFiguresRow))
    }
    samples = samples_by_run(session.execute(samples_query()))
    return {
        run_id: RunDeviceData(figures.get(run_id), samples.get(run_id, ()))
        for run_id in figures.keys() | samples.keys()
    }


def insert_device_data(session: Session, runs: Sequence[ArchivedRun], run_ids: Sequence[int]) -> None:
    """Write the figures and samples of newly added runs (``run_ids[i]`` is ``runs[i]``'s new id)."""
    figure_rows: list[dict[str, object]] = []
    segment_rows: list[dict[str, object]] = []
    sample_rows: list[dict[str, object]] = []
    for run_id, run in zip(run_ids, runs, strict=True):
        figures = run.figures
        if figures is not None:
            check_figures(
                RunFiguresRecord(
                    run_id,
                    figures.distance_m,
                    figures.avg_heart_rate,
                    figures.max_heart_rate,
                    figures.zone_max_heart_rate,
                    figures.zone_s,
                    figures.devices,
                    tuple(
                        SegmentFiguresRecord(s.segment_index, s.distance_m, s.speed_kmh, s.incline_pct)
                        for s in figures.segments
                    ),
                )
            )
            figure_rows.append(
                {
                    "run_id": run_id,
                    "distance_m": figures.distance_m,
                    "avg_heart_rate": figures.avg_heart_rate,
                    "max_heart_rate": figures.max_heart_rate,
                    "zone_max_heart_rate": figures.zone_max_heart_rate,
                    "zone_s_json": None if figures.zone_s is None else json.dumps(list(figures.zone_s)),
                    "devices": figures.devices,
                }
            )
            segment_rows += [
                {
                    "run_id": run_id,
                    "segment_index": s.segment_index,
                    "distance_m": s.distance_m,
                    "speed_kmh": s.speed_kmh,
                    "incline_pct": s.incline_pct,
                }
                for s in figures.segments
            ]
        check_samples(run.samples)
        sample_rows += [
            {
                "run_id": run_id,
                "elapsed_s": s.elapsed_s,
                "speed_kmh": s.speed_kmh,
                "incline_pct": s.incline_pct,
                "distance_m": s.distance_m,
                "heart_rate": s.heart_rate,
            }
            for s in run.samples
        ]
    if figure_rows:
        session.execute(insert(RunFiguresRow), figure_rows)
    if segment_rows:
        session.execute(insert(RunSegmentFiguresRow), segment_rows)
    if sample_rows:
        session.execute(insert(RunSampleRow), sample_rows)

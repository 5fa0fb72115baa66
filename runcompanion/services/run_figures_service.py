"""A run's device figures into the journal database, and back out for history, the journal and exports: the
run's totals and per-segment means (run_figures) and its figures over time (run_samples)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from runcompanion.core.run_samples import RunSample
from runcompanion.services.devices.run_metrics import RunFigures
from runcompanion.storage.run_figures_repository import RunFiguresRecord, RunFiguresRepository, SegmentFiguresRecord
from runcompanion.storage.run_sample_repository import RunSampleRepository


class RunFiguresService:
    """Any single thread at a time; each call is one small transaction."""

    def __init__(self, repository: RunFiguresRepository, samples: RunSampleRepository) -> None:
        self._repository = repository
        self._samples = samples

    def record(self, run_id: int, figures: RunFigures, *, devices: str, zone_max_heart_rate: int | None) -> None:
        """Store what the devices measured for ``run_id``. A run with no figures at all stores nothing."""
        if figures.distance_m is None and figures.avg_heart_rate is None and not figures.segments:
            return
        self._repository.save(
            RunFiguresRecord(
                run_id=run_id,
                distance_m=figures.distance_m,
                avg_heart_rate=figures.avg_heart_rate,
                max_heart_rate=figures.max_heart_rate,
                zone_max_heart_rate=zone_max_heart_rate if figures.zone_s is not None else None,
                zone_s=figures.zone_s,
                devices=devices,
                segments=tuple(
                    SegmentFiguresRecord(s.index, s.distance_m, s.speed_kmh, s.incline_percent)
                    for s in figures.segments
                ),
            )
        )

    def get(self, run_id: int) -> RunFiguresRecord | None:
        return self._repository.get(run_id)

    def for_runs(self, run_ids: Iterable[int]) -> dict[int, RunFiguresRecord]:
        return self._repository.for_runs(run_ids)

    def add_samples(self, run_id: int, samples: Sequence[RunSample]) -> None:
        """Append the samples taken since the last call (the run's writer, at each checkpoint)."""
        self._samples.append(run_id, samples)

    def samples(self, run_id: int) -> tuple[RunSample, ...]:
        return self._samples.for_run(run_id)

    def samples_for_runs(self, run_ids: Iterable[int]) -> dict[int, tuple[RunSample, ...]]:
        return self._samples.for_runs(run_ids)

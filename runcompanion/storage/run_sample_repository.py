"""A run's figures over time in ``run_samples`` (migration 0005), written a few at a time while the run goes on.

Each ``append`` is one short transaction (the run's writer calls it at every checkpoint), so a crash keeps every
sample up to the last checkpoint. Values are checked before any row is written (core/run_samples.py): a batch
with one impossible value writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Row, Select, func, insert, select

from runcompanion.core.run_samples import RunSample, check_samples
from runcompanion.storage.database import Database
from runcompanion.storage.models import RunRow, RunSampleRow


class RunSampleRepository:
    def __init__(self, database: Database) -> None:
        self._database = database

    def append(self, run_id: int, samples: Sequence[RunSample]) -> None:
        """Add samples after those already stored. ValueError for an absent run, an impossible value, or a
        sample not after the last one stored."""
        if not samples:
            return
        check_samples(samples)
        with self._database.transaction() as session:
            if session.get(RunRow, run_id) is None:
                raise ValueError(f"there is no run {run_id}")
            last = session.execute(
                select(func.max(RunSampleRow.elapsed_s)).where(RunSampleRow.run_id == run_id)
            ).scalar_one()
            if last is not None and samples[0].elapsed_s <= last:
                raise ValueError(f"sample at {samples[0].elapsed_s:g} s does not come after the stored {last:g} s")
            session.execute(insert(RunSampleRow), [_row(run_id, sample) for sample in samples])

    def for_run(self, run_id: int) -> tuple[RunSample, ...]:
        return self.for_runs([run_id]).get(run_id, ())

    def for_runs(self, run_ids: Iterable[int]) -> dict[int, tuple[RunSample, ...]]:
        """The samples of those runs that have any, by run id, each in time order."""
        ids = list(run_ids)
        if not ids:
            return {}
        found: dict[int, tuple[RunSample, ...]] = {}
        with self._database.transaction(write=False) as session:
            for start in range(0, len(ids), 500):  # SQLite caps the parameters of one statement
                chunk = samples_query().where(RunSampleRow.run_id.in_(ids[start : start + 500]))
                found.update(samples_by_run(session.execute(chunk)))
        return found


def samples_query() -> Select[int, float, float | None, float | None, float | None, int | None]:
    """Every stored sample, by run and in time order (narrow it with ``.where``); read by ``samples_by_run``."""
    return select(
        RunSampleRow.run_id,
        RunSampleRow.elapsed_s,
        RunSampleRow.speed_kmh,
        RunSampleRow.incline_pct,
        RunSampleRow.distance_m,
        RunSampleRow.heart_rate,
    ).order_by(RunSampleRow.run_id, RunSampleRow.elapsed_s)


def samples_by_run(
    rows: Iterable[Row[int, float, float | None, float | None, float | None, int | None]],
) -> dict[int, tuple[RunSample, ...]]:
    """The rows of ``samples_query`` as each run's samples."""
    found: dict[int, list[RunSample]] = {}
    for run_id, elapsed, speed, incline, distance, heart in rows:
        found.setdefault(run_id, []).append(RunSample(elapsed, speed, incline, distance, heart))
    return {run_id: tuple(samples) for run_id, samples in found.items()}


def _row(run_id: int, sample: RunSample) -> dict[str, object]:
    return {
        "run_id": run_id,
        "elapsed_s": sample.elapsed_s,
        "speed_kmh": sample.speed_kmh,
        "incline_pct": sample.incline_pct,
        "distance_m": sample.distance_m,
        "heart_rate": sample.heart_rate,
    }

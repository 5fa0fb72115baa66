"""A run's figures over time in a real SQLite file: appended batch by batch, read back in order, refused whole
when one value is impossible, gone with their run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from runcompanion.core.run_samples import RunSample
from runcompanion.storage.database import Database
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.run_sample_repository import RunSampleRepository

FIRST = (RunSample(5.0, 8.0, 1.0, 11.1, 120), RunSample(10.0, 8.1, 1.0, 22.3, None))
SECOND = (RunSample(15.2, None, None, None, 131),)


def _run(database: Database) -> int:
    return RunRepository(database).start("p", "Plan", (), 60.0, None).id


def test_batches_append_and_read_back_in_order(database: Database, db_path: Path) -> None:
    repository = RunSampleRepository(database)
    run_id, other = _run(database), _run(database)
    repository.append(run_id, FIRST)
    repository.append(run_id, SECOND)
    repository.append(other, (RunSample(5.0, heart_rate=99),))
    database.close()
    with Database.open(db_path) as reopened:
        again = RunSampleRepository(reopened)
        assert again.for_run(run_id) == FIRST + SECOND
        assert again.for_runs([run_id, other, 999]) == {run_id: FIRST + SECOND, other: (RunSample(5.0, heart_rate=99),)}


@pytest.mark.parametrize(
    "bad",
    [
        RunSample(20.0, speed_kmh=500.0),
        RunSample(20.0, incline_pct=90.0),
        RunSample(20.0, heart_rate=0),
        RunSample(20.0, heart_rate=300),
        RunSample(20.0, distance_m=float("nan")),
        RunSample(-1.0, speed_kmh=8.0),
        RunSample(10.0, speed_kmh=8.0),  # not after the stored 10.0 s
    ],
)
def test_a_batch_with_one_impossible_sample_writes_nothing(database: Database, bad: RunSample) -> None:
    repository = RunSampleRepository(database)
    run_id = _run(database)
    repository.append(run_id, FIRST)
    with pytest.raises(ValueError, match=r"outside|after"):
        repository.append(run_id, (RunSample(12.0, 8.0), bad) if bad.elapsed_s > 12 else (bad,))
    assert repository.for_run(run_id) == FIRST


def test_time_must_grow_within_a_batch(database: Database) -> None:
    repository = RunSampleRepository(database)
    run_id = _run(database)
    with pytest.raises(ValueError, match="does not come after"):
        repository.append(run_id, (RunSample(10.0, 8.0), RunSample(10.0, 8.1)))
    assert repository.for_run(run_id) == ()


def test_the_schema_refuses_what_the_repository_would(database: Database, db_path: Path) -> None:
    run_id = _run(database)
    database.close()
    with sqlite3.connect(db_path) as connection, pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        connection.execute("INSERT INTO run_samples (run_id, elapsed_s, heart_rate) VALUES (?, 5, 300)", (run_id,))


def test_samples_go_with_their_run_and_need_one(database: Database) -> None:
    repository = RunSampleRepository(database)
    run_id = _run(database)
    repository.append(run_id, FIRST)
    assert RunRepository(database).delete(run_id)
    assert repository.for_run(run_id) == ()
    with pytest.raises(ValueError, match="no run 42"):
        repository.append(42, FIRST)

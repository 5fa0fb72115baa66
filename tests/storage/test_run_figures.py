"""Device figures in a real SQLite file: stored, replaced, refused when impossible, gone with their run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from runcompanion.storage.database import Database
from runcompanion.storage.run_figures_repository import (
    RunFiguresRecord,
    RunFiguresRepository,
    SegmentFiguresRecord,
)
from runcompanion.storage.run_repository import RunRepository


def _figures(run_id: int, **changes: object) -> RunFiguresRecord:
    values: dict[str, object] = {
        "run_id": run_id,
        "distance_m": 1523.4,
        "avg_heart_rate": 141,
        "max_heart_rate": 168,
        "zone_max_heart_rate": 185,
        "zone_s": (60.0, 120.0, 300.0, 30.0, 0.0),
        "devices": "Simulated treadmill",
        "segments": (SegmentFiguresRecord(0, 800.0, 9.6, 1.0), SegmentFiguresRecord(1, 723.4, None, None)),
    }
    values.update(changes)
    return RunFiguresRecord(**values)  # type: ignore[arg-type]


def _run(database: Database) -> int:
    return RunRepository(database).start("p", "Plan", (), 60.0, None).id


def test_stored_and_read_back_and_replaced(database: Database) -> None:
    repository = RunFiguresRepository(database)
    run_id = _run(database)
    repository.save(_figures(run_id))
    assert repository.get(run_id) == _figures(run_id)
    repository.save(_figures(run_id, distance_m=10.0, segments=()))
    assert repository.get(run_id) == _figures(run_id, distance_m=10.0, segments=())
    assert repository.for_runs([run_id, 999]) == {run_id: _figures(run_id, distance_m=10.0, segments=())}


@pytest.mark.parametrize(
    "changes",
    [
        {"avg_heart_rate": 0},
        {"max_heart_rate": 300},
        {"distance_m": -1.0},
        {"distance_m": float("nan")},
        {"zone_s": (1.0, 2.0)},
        {"segments": (SegmentFiguresRecord(0, 10.0, 500.0, None),)},
        {"segments": (SegmentFiguresRecord(0, 10.0, 8.0, 90.0),)},
    ],
)
def test_impossible_figures_are_refused_and_nothing_is_written(database: Database, changes: dict[str, object]) -> None:
    repository = RunFiguresRepository(database)
    run_id = _run(database)
    repository.save(_figures(run_id))
    with pytest.raises(ValueError, match=r"outside|needs"):
        repository.save(_figures(run_id, **changes))
    assert repository.get(run_id) == _figures(run_id)


def test_the_schema_refuses_what_the_repository_would(database: Database, db_path: Path) -> None:
    run_id = _run(database)
    database.close()
    with sqlite3.connect(db_path) as connection, pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        connection.execute("INSERT INTO run_figures (run_id, avg_heart_rate) VALUES (?, 300)", (run_id,))


def test_figures_go_with_their_run(database: Database) -> None:
    repository = RunFiguresRepository(database)
    run_id = _run(database)
    repository.save(_figures(run_id))
    assert RunRepository(database).delete(run_id)
    assert repository.get(run_id) is None


def test_no_run_no_figures(database: Database) -> None:
    with pytest.raises(ValueError, match="no run 42"):
        RunFiguresRepository(database).save(_figures(42))


def test_figures_of_many_runs_are_read_where_sqlite_allows_few_parameters(database: Database) -> None:
    # SQLite before 3.32 (still the system SQLite of some Linux releases) takes at most 999 parameters in one
    # statement, and the journal asks for the figures of every run it shows: thousands.
    from sqlalchemy import event

    engine = database._require_engine()

    def old_sqlite_limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)

    event.listen(engine, "connect", old_sqlite_limit)
    engine.dispose()  # the next connection is made with the old limit
    repository = RunFiguresRepository(database)
    first, last = _run(database), _run(database)
    repository.save(_figures(first))
    repository.save(_figures(last, distance_m=2000.0))

    found = repository.for_runs([first, *range(last + 1, last + 2500), last])

    assert sorted(found) == [first, last]
    assert found[last].distance_m == 2000.0
    assert [s.segment_index for s in found[first].segments] == [0, 1]

"""RunRepository: start, checkpoint, finish, history, interruption after a crash, delete."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from runcompanion.core.errors import UserError
from runcompanion.storage.database import Database
from runcompanion.storage.models import Base
from runcompanion.storage.records import NewScheduledRun, RunRecord
from runcompanion.storage.run_repository import RunNotFoundError, RunRepository
from runcompanion.storage.schedule_repository import ScheduleRepository

WHEN = dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)
LOG: list[dict[str, Any]] = [
    {"index": 0, "kind": "warmup", "planned_s": 300.0, "elapsed_s": 300.0, "skipped": False},
    {"index": 1, "kind": "run", "planned_s": 60.0, "elapsed_s": 41.5, "skipped": True},
]


@pytest.fixture
def runs(database: Database, clock: Callable[[], dt.datetime]) -> RunRepository:
    return RunRepository(database, now=clock)


def _start(runs: RunRepository, started_at: dt.datetime = WHEN, **overrides: Any) -> RunRecord:
    arguments: dict[str, Any] = {
        "session_id": "c25k-w1r1",
        "session_name": "Couch to 5K: week 1, run 1",
        "session_tags": ("c25k", "beginner"),
        "planned_s": 1800.0,
        "seed": 7,
        "started_at": started_at,
    }
    arguments.update(overrides)
    return runs.start(**arguments)


def test_start_records_a_run_in_progress(runs: RunRepository) -> None:
    run = _start(runs)

    assert type(run) is RunRecord
    assert not isinstance(run, Base)
    assert run.id > 0
    assert (run.session_id, run.session_name, run.session_tags) == (
        "c25k-w1r1",
        "Couch to 5K: week 1, run 1",
        ("c25k", "beginner"),
    )
    assert (run.planned_s, run.seed, run.scheduled_run_id, run.source) == (1800.0, 7, None, "app")
    assert (run.status, run.started_at, run.ended_at, run.checkpoint_at) == ("in_progress", WHEN, None, None)
    assert (run.elapsed_s, run.segment_index, run.segments_done, run.segment_log) == (0.0, 0, 0, [])
    assert runs.get(run.id) == run


def test_a_run_record_is_frozen(runs: RunRepository) -> None:
    run = _start(runs)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.status = "finished"  # type: ignore[misc]


def test_start_uses_the_clock_when_no_time_is_given(runs: RunRepository) -> None:
    run = runs.start("s", "S", (), 60.0, None)
    assert run.started_at == dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)  # the test clock's first reading


def test_a_finished_run_round_trips_exactly_through_a_reopened_file(
    database: Database, reopen: Callable[[], Database]
) -> None:
    runs = RunRepository(database)
    plus_two = dt.timezone(dt.timedelta(hours=2))
    started = dt.datetime(2024, 5, 6, 9, 30, 15, 123456, tzinfo=plus_two)
    run = _start(runs, started_at=started)
    runs.checkpoint(run.id, 600.25, 2, 2, at=started + dt.timedelta(seconds=600))
    finished = runs.finish(
        run.id, "finished", 1799.5, 5, 6, LOG, ended_at=started + dt.timedelta(minutes=30, microseconds=7)
    )
    database.close()

    again = RunRepository(reopen()).get(run.id)

    assert again == finished
    assert again is not None
    assert again.started_at == started
    assert again.started_at.tzinfo is dt.UTC
    assert again.started_at.hour == 7  # the same instant, expressed in UTC
    assert again.ended_at == started + dt.timedelta(minutes=30, microseconds=7)
    assert again.checkpoint_at == started + dt.timedelta(seconds=600)
    assert again.segment_log == LOG
    assert (again.status, again.elapsed_s, again.segment_index, again.segments_done) == (
        "finished",
        1799.5,
        5,
        6,
    )


def test_naive_times_are_refused(runs: RunRepository) -> None:
    with pytest.raises(ValueError, match="time zone"):
        _start(runs, started_at=dt.datetime(2024, 5, 6, 7, 30))
    run = _start(runs)
    with pytest.raises(ValueError, match="time zone"):
        runs.checkpoint(run.id, 1.0, 0, 0, at=dt.datetime(2024, 5, 6, 7, 31))
    assert runs.list() == [run]


def test_checkpoint_saves_progress(runs: RunRepository) -> None:
    run = _start(runs)
    runs.checkpoint(run.id, 95.5, 1, 1, at=WHEN + dt.timedelta(seconds=96))
    runs.checkpoint(run.id, 130.0, 2, 1)

    saved = runs.get(run.id)
    assert saved is not None
    assert (saved.elapsed_s, saved.segment_index, saved.segments_done) == (130.0, 2, 1)
    assert saved.checkpoint_at == dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)  # the clock's first reading
    assert saved.status == "in_progress"


def test_checkpoint_refuses_an_ended_or_unknown_run(runs: RunRepository) -> None:
    run = _start(runs)
    runs.finish(run.id, "stopped", 10.0, 0, 0, [], ended_at=WHEN + dt.timedelta(seconds=10))
    with pytest.raises(ValueError, match="stopped"):
        runs.checkpoint(run.id, 20.0, 1, 1)
    with pytest.raises(RunNotFoundError, match="no run with the id 999"):
        runs.checkpoint(999, 20.0, 1, 1)


@pytest.mark.parametrize("status", ["stopped", "finished"])
def test_finish_ends_a_run(runs: RunRepository, status: Any) -> None:
    run = _start(runs)
    ended = runs.finish(run.id, status, 900.0, 3, 3, LOG, ended_at=WHEN + dt.timedelta(minutes=15))
    assert (ended.status, ended.ended_at, ended.segment_log) == (status, WHEN + dt.timedelta(minutes=15), LOG)
    assert runs.get(run.id) == ended


@pytest.mark.parametrize("status", ["in_progress", "interrupted", "paused", ""])
def test_finish_refuses_other_statuses(runs: RunRepository, status: Any) -> None:
    run = _start(runs)
    with pytest.raises(ValueError, match="end status"):
        runs.finish(run.id, status, 900.0, 3, 3, [])
    assert runs.get(run.id) == run


def test_finish_refuses_a_run_that_already_ended(runs: RunRepository) -> None:
    run = _start(runs)
    first = runs.finish(run.id, "finished", 1800.0, 6, 6, LOG, ended_at=WHEN + dt.timedelta(minutes=30))
    with pytest.raises(ValueError, match="already finished"):
        runs.finish(run.id, "stopped", 10.0, 0, 0, [])
    assert runs.get(run.id) == first


def test_finish_refuses_an_end_before_the_start_and_an_unknown_run(runs: RunRepository) -> None:
    run = _start(runs)
    with pytest.raises(ValueError, match="before it started"):
        runs.finish(run.id, "stopped", 10.0, 0, 0, [], ended_at=WHEN - dt.timedelta(seconds=1))
    with pytest.raises(RunNotFoundError) as raised:
        runs.finish(12345, "stopped", 10.0, 0, 0, [])
    assert isinstance(raised.value, UserError)
    assert "12345" in str(raised.value)


def test_mark_interrupted_ends_every_run_left_in_progress(runs: RunRepository) -> None:
    first = _start(runs, WHEN)
    runs.checkpoint(first.id, 300.0, 1, 1)
    done = _start(runs, WHEN + dt.timedelta(hours=1))
    runs.finish(done.id, "finished", 1800.0, 6, 6, LOG, ended_at=WHEN + dt.timedelta(hours=2))
    second = _start(runs, WHEN + dt.timedelta(hours=3))

    interrupted = runs.mark_interrupted()

    assert [run.id for run in interrupted] == [first.id, second.id]
    assert all(type(run) is RunRecord and run.status == "interrupted" for run in interrupted)
    assert interrupted[0].elapsed_s == 300.0  # the last checkpoint is kept
    assert interrupted[0].ended_at is None
    assert [run.status for run in runs.list()] == ["interrupted", "finished", "interrupted"]
    assert runs.mark_interrupted() == []


def test_an_interrupted_run_can_still_be_finished(runs: RunRepository) -> None:
    run = _start(runs)
    runs.mark_interrupted()
    ended = runs.finish(run.id, "stopped", 300.0, 1, 1, [], ended_at=WHEN + dt.timedelta(minutes=5))
    assert ended.status == "stopped"


def test_list_is_newest_first_and_limited(runs: RunRepository) -> None:
    middle = _start(runs, WHEN)
    oldest = _start(runs, WHEN - dt.timedelta(days=1))
    newest = _start(runs, WHEN + dt.timedelta(days=1))

    assert [run.id for run in runs.list()] == [newest.id, middle.id, oldest.id]
    assert [run.id for run in runs.list(2)] == [newest.id, middle.id]
    assert runs.list(0) == []
    with pytest.raises(ValueError, match="negative"):
        runs.list(-1)


def test_delete_removes_a_run(runs: RunRepository) -> None:
    kept = _start(runs)
    gone = _start(runs)
    assert runs.delete(gone.id) is True
    assert runs.delete(gone.id) is False
    assert runs.get(gone.id) is None
    assert runs.list() == [kept]


def test_a_run_can_point_at_a_scheduled_run(database: Database, runs: RunRepository) -> None:
    (scheduled,) = ScheduleRepository(database).add_scheduled_runs(
        [NewScheduledRun("w1r1@runcompanion", "c25k-w1r1", "Week 1, run 1", dt.datetime(2024, 5, 6, 7, 0), 1800.0)]
    )
    run = _start(runs, scheduled_run_id=scheduled.id, source="manual")
    assert (run.scheduled_run_id, run.source) == (scheduled.id, "manual")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"session_tags": ("a,b",)}, "contain no"),
        ({"session_tags": ("",)}, "non-empty"),
        ({"planned_s": -1.0}, "planned_s"),
        ({"planned_s": float("nan")}, "planned_s"),
        ({"source": "phone"}, "source"),
    ],
)
def test_start_refuses_bad_values(runs: RunRepository, overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _start(runs, **overrides)
    assert runs.list() == []


def test_tags_must_be_a_sequence_not_a_string(runs: RunRepository) -> None:
    with pytest.raises(TypeError, match="not a string"):
        _start(runs, session_tags="mindful")


def test_a_run_without_tags_reads_back_with_none(runs: RunRepository) -> None:
    run = _start(runs, session_tags=())
    saved = runs.get(run.id)
    assert saved is not None
    assert saved.session_tags == ()

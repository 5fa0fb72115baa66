"""ScheduleRepository: enrolments and the runs on the calendar."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from runcompanion.core.errors import UserError
from runcompanion.storage.database import Database
from runcompanion.storage.models import Base
from runcompanion.storage.records import EnrolmentRecord, NewScheduledRun, ScheduledRunRecord
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.schedule_repository import ScheduledRunNotFoundError, ScheduleRepository

MONDAY = dt.datetime(2024, 5, 6, 7, 0)


@pytest.fixture
def schedule(database: Database, clock: Callable[[], dt.datetime]) -> ScheduleRepository:
    return ScheduleRepository(database, now=clock)


def _planned(uid: str, due_at: dt.datetime, **overrides: Any) -> NewScheduledRun:
    values: dict[str, Any] = {
        "uid": uid,
        "session_id": "c25k-w1r1",
        "title": f"Run {uid}",
        "due_at": due_at,
        "duration_s": 1800.0,
    }
    values.update(overrides)
    return NewScheduledRun(**values)


def test_an_enrolment_and_its_runs_are_added_together(schedule: ScheduleRepository) -> None:
    runs = [
        _planned("w1r1", MONDAY, week=1, run_number=1),
        _planned("w1r2", MONDAY + dt.timedelta(days=2), week=1, run_number=2),
    ]
    enrolment = schedule.add_enrolment("c25k", dt.date(2024, 5, 6), ["sat", "mon", "wed"], dt.time(7, 0), runs)

    assert type(enrolment) is EnrolmentRecord
    assert (enrolment.program_id, enrolment.start_date, enrolment.days, enrolment.time, enrolment.status) == (
        "c25k",
        dt.date(2024, 5, 6),
        ("mon", "wed", "sat"),
        dt.time(7, 0),
        "active",
    )
    assert schedule.list_enrolments() == [enrolment]
    scheduled = schedule.list_scheduled(enrolment_id=enrolment.id)
    assert [(run.uid, run.enrolment_id, run.week, run.run_number) for run in scheduled] == [
        ("w1r1", enrolment.id, 1, 1),
        ("w1r2", enrolment.id, 1, 2),
    ]


def test_a_bad_scheduled_run_leaves_no_enrolment_behind(schedule: ScheduleRepository) -> None:
    with pytest.raises(ValueError, match="naive"):
        schedule.add_enrolment(
            "c25k",
            dt.date(2024, 5, 6),
            ["mon"],
            dt.time(7, 0),
            [_planned("x", MONDAY.replace(tzinfo=dt.UTC))],
        )
    assert schedule.list_enrolments() == []
    assert schedule.list_scheduled() == []


@pytest.mark.parametrize(
    ("days", "time", "message"),
    [
        ([], dt.time(7, 0), "one or more"),
        (["monday"], dt.time(7, 0), "one or more"),
        (["mon", "mon"], dt.time(7, 0), "repeat"),
        (["mon"], dt.time(7, 0, 30), "whole minutes"),
        (["mon"], dt.time(7, 0, tzinfo=dt.UTC), "naive"),
    ],
)
def test_enrolment_days_and_time_are_checked(
    schedule: ScheduleRepository, days: list[str], time: dt.time, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        schedule.add_enrolment("c25k", dt.date(2024, 5, 6), days, time)
    assert schedule.list_enrolments() == []


def test_scheduled_runs_round_trip(schedule: ScheduleRepository, reopen: Callable[[], Database]) -> None:
    (added,) = schedule.add_scheduled_runs([_planned("weekly-tempo", MONDAY, recurrence="weekly")])

    assert type(added) is ScheduledRunRecord
    assert not isinstance(added, Base)
    assert (added.status, added.run_id, added.recurrence, added.enrolment_id) == (
        "planned",
        None,
        "weekly",
        None,
    )
    assert added.due_at == MONDAY
    assert added.due_at.tzinfo is None
    assert added.created_at == dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)
    assert ScheduleRepository(reopen()).get_scheduled(added.id) == added
    assert schedule.get_scheduled(added.id + 1) is None


def test_upcoming_lists_planned_runs_from_a_time_on(schedule: ScheduleRepository) -> None:
    added = schedule.add_scheduled_runs(
        [
            _planned("later", MONDAY + dt.timedelta(days=7)),
            _planned("past", MONDAY - dt.timedelta(days=1)),
            _planned("now", MONDAY),
            _planned("skipped", MONDAY + dt.timedelta(days=1)),
            _planned("soon", MONDAY + dt.timedelta(days=2)),
        ]
    )
    schedule.set_status(added[3].id, "skipped")

    assert [run.uid for run in schedule.upcoming(MONDAY)] == ["now", "soon", "later"]
    assert [run.uid for run in schedule.upcoming(MONDAY, limit=2)] == ["now", "soon"]
    assert [run.uid for run in schedule.upcoming(MONDAY + dt.timedelta(microseconds=1))] == ["soon", "later"]
    with pytest.raises(ValueError, match="naive"):
        schedule.upcoming(MONDAY.replace(tzinfo=dt.UTC))


def test_list_scheduled_filters_by_window_and_status(schedule: ScheduleRepository) -> None:
    added = schedule.add_scheduled_runs([_planned(f"day{day}", MONDAY + dt.timedelta(days=day)) for day in range(5)])
    schedule.set_status(added[1].id, "skipped")

    assert [run.uid for run in schedule.list_scheduled()] == ["day0", "day1", "day2", "day3", "day4"]
    window = schedule.list_scheduled(start=MONDAY + dt.timedelta(days=1), end=MONDAY + dt.timedelta(days=3))
    assert [run.uid for run in window] == ["day1", "day2"]
    assert [run.uid for run in schedule.list_scheduled(status="skipped")] == ["day1"]


def test_set_status_links_the_run_that_did_it(database: Database, schedule: ScheduleRepository) -> None:
    (scheduled,) = schedule.add_scheduled_runs([_planned("w1r1", MONDAY)])
    run = RunRepository(database).start("c25k-w1r1", "W1R1", (), 1800.0, None, scheduled_run_id=scheduled.id)

    done = schedule.set_status(scheduled.id, "done", run.id)
    assert (done.status, done.run_id) == ("done", run.id)
    assert schedule.get_scheduled(scheduled.id) == done

    replanned = schedule.set_status(scheduled.id, "planned")
    assert (replanned.status, replanned.run_id) == ("planned", None)


def test_set_status_refuses_bad_requests(schedule: ScheduleRepository) -> None:
    (scheduled,) = schedule.add_scheduled_runs([_planned("w1r1", MONDAY)])
    with pytest.raises(ScheduledRunNotFoundError, match="404") as raised:
        schedule.set_status(404, "done")
    assert isinstance(raised.value, UserError)
    with pytest.raises(ValueError, match="status"):
        schedule.set_status(scheduled.id, "maybe")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="planned"):
        schedule.set_status(scheduled.id, "planned", 1)
    assert schedule.get_scheduled(scheduled.id) == scheduled


def test_uids_must_be_unique_and_nothing_is_added_when_one_repeats(schedule: ScheduleRepository) -> None:
    schedule.add_scheduled_runs([_planned("taken", MONDAY)])
    with pytest.raises(ValueError, match="repeated: twice"):
        schedule.add_scheduled_runs([_planned("twice", MONDAY), _planned("twice", MONDAY)])
    with pytest.raises(ValueError, match="already in use: taken"):
        schedule.add_scheduled_runs([_planned("fresh", MONDAY), _planned("taken", MONDAY)])
    assert [run.uid for run in schedule.list_scheduled()] == ["taken"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"uid": ""}, "uid"),
        ({"session_id": ""}, "session_id"),
        ({"duration_s": -1.0}, "duration_s"),
        ({"recurrence": "daily"}, "recurrence"),
        ({"due_at": MONDAY.replace(tzinfo=dt.UTC)}, "naive"),
    ],
)
def test_scheduled_run_values_are_checked(
    schedule: ScheduleRepository, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        schedule.add_scheduled_runs([_planned("ok", MONDAY), dataclasses.replace(_planned("bad", MONDAY), **overrides)])
    assert schedule.list_scheduled() == []


def test_runs_for_a_new_enrolment_must_not_name_one(schedule: ScheduleRepository) -> None:
    with pytest.raises(ValueError, match="must not name an enrolment"):
        schedule.add_enrolment(
            "c25k", dt.date(2024, 5, 6), ["mon"], dt.time(7, 0), [_planned("a", MONDAY, enrolment_id=3)]
        )
    assert schedule.list_enrolments() == []

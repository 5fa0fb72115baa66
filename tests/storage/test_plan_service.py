"""PlanService on a real SQLite file: enrol, skip, move, repeat a week, mark done, progress, one-off and weekly runs."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest

from runcompanion.core.errors import UserError
from runcompanion.core.programs import ProgramLibrary
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.paths import resource_files
from runcompanion.services.plan_service import PlanService
from runcompanion.storage.database import Database
from runcompanion.storage.records import ScheduledRunRecord
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.schedule_repository import (
    EnrolmentNotFoundError,
    ScheduledRunNotFoundError,
    ScheduleRepository,
)

PROGRAMS = ProgramLibrary.from_files(resource_files("programs", ".toml"))
NOW = dt.datetime(2025, 3, 1, 9, 0)  # a Saturday, local wall-clock time
MONDAY = dt.date(2025, 3, 3)
OWN = SessionPlan(
    id="my-tempo",
    name="My tempo run",
    segments=(Segment(SegmentKind.WARMUP, 600.0, speed_kmh=6.0), Segment(SegmentKind.RUN, 1200.0, speed_kmh=10.0)),
)


class FakeCatalog:
    """Stands in for SessionCatalog.get: one own session, UserError for anything else."""

    def get(self, session_id: str) -> SessionPlan:
        if session_id == OWN.id:
            return OWN
        raise UserError(f"There is no session called '{session_id}'.")


class Clock:
    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def local_clock() -> Clock:
    return Clock()


@pytest.fixture
def service(database: Database, clock: Callable[[], dt.datetime], local_clock: Clock) -> PlanService:
    counter = itertools.count(1)
    return PlanService(
        ScheduleRepository(database, now=clock),
        PROGRAMS,
        FakeCatalog().get,
        now=local_clock,
        stamp=lambda: dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC),
        uid_factory=lambda: f"uid-{next(counter)}",
    )


def _enrol_c25k(service: PlanService) -> list[ScheduledRunRecord]:
    return service.enrol("c25k", MONDAY, ["mon", "wed", "sat"], dt.time(7, 0)).runs


def _finished_run(database: Database, scheduled: ScheduledRunRecord) -> int:
    runs = RunRepository(database)
    record = runs.start(scheduled.session_id, scheduled.title, (), scheduled.duration_s, 1, scheduled.id)
    return record.id


# -------------------------------------------------------------------------------------------- enrolment


def test_enrolling_lays_out_every_run_of_the_program(service: PlanService) -> None:
    enrolled = service.enrol("c25k", MONDAY, ["sat", "mon", "wed"], dt.time(7, 0))
    runs = enrolled.runs
    assert enrolled.enrolment.days == ("mon", "wed", "sat")
    assert enrolled.enrolment.status == "active"
    assert len(runs) == 27
    assert [(r.week, r.run_number) for r in runs] == [(w, n) for w in range(1, 10) for n in (1, 2, 3)]
    assert runs[0].due_at == dt.datetime(2025, 3, 3, 7, 0)
    assert runs[-1].due_at == dt.datetime(2025, 5, 3, 7, 0)
    first = runs[7]
    assert (first.session_id, first.title) == ("c25k-w3-r2", "Couch to 5K · Week 3 · Run 2")
    assert first.duration_s == PROGRAMS.get("c25k").run(3, 2).total_s
    assert {r.status for r in runs} == {"planned"}
    assert {r.enrolment_id for r in runs} == {enrolled.enrolment.id}
    assert [r.uid for r in runs] == [f"uid-{i}" for i in range(1, 28)]
    assert service.scheduled() == runs


def test_enrolment_input_is_checked_and_nothing_is_stored_when_refused(service: PlanService) -> None:
    with pytest.raises(UserError, match="no program called 'c26k'"):
        service.enrol("c26k", MONDAY, ["mon", "wed", "sat"], dt.time(7, 0))
    with pytest.raises(UserError, match="more than a year ago"):
        service.enrol("c25k", dt.date(2024, 2, 29), ["mon", "wed", "sat"], dt.time(7, 0))
    with pytest.raises(UserError, match="choose at least 3 days"):
        service.enrol("c25k", MONDAY, ["mon", "wed"], dt.time(7, 0))
    assert service.enrolments() == []
    assert service.scheduled() == []


def test_enrolling_twice_in_one_program_is_refused_until_cancelled(service: PlanService) -> None:
    first = service.enrol("small-steps", MONDAY, ["tue", "thu", "sun"], dt.time(18, 0)).enrolment
    with pytest.raises(UserError, match=r"already following Small steps \(since 2025-03-03\)"):
        service.enrol("small-steps", MONDAY, ["mon", "wed", "fri"], dt.time(18, 0))
    service.cancel_enrolment(first.id)
    again = service.enrol("small-steps", MONDAY, ["mon", "wed", "fri"], dt.time(18, 0))
    assert len(again.runs) == 12


# ----------------------------------------------------------------------------------------- the runs


def test_skip_and_unskip(service: PlanService) -> None:
    run = _enrol_c25k(service)[0]
    skipped = service.skip(run.id)
    assert skipped.status == "skipped"
    assert service.get(run.id).status == "skipped"
    assert service.unskip(run.id).status == "planned"


def test_moving_a_run_keeps_its_uid_and_brings_a_skipped_run_back(service: PlanService) -> None:
    runs = _enrol_c25k(service)
    moved = service.move(runs[1].id, dt.datetime(2025, 3, 6, 18, 30))
    assert (moved.uid, moved.due_at, moved.status) == (runs[1].uid, dt.datetime(2025, 3, 6, 18, 30), "planned")
    service.skip(runs[2].id)
    assert service.move(runs[2].id, dt.datetime(2025, 3, 9, 8, 0)).status == "planned"
    assert [r.id for r in service.scheduled()][:3] == [runs[0].id, runs[1].id, runs[2].id]


def test_a_done_run_cannot_be_skipped_or_moved(service: PlanService, database: Database) -> None:
    run = _enrol_c25k(service)[0]
    service.mark_done(run.id, _finished_run(database, run))
    with pytest.raises(UserError, match="already done, so it cannot be skipped"):
        service.skip(run.id)
    with pytest.raises(UserError, match="already done, so it cannot be moved"):
        service.move(run.id, dt.datetime(2025, 3, 4, 7, 0))


def test_a_move_far_away_is_refused(service: PlanService) -> None:
    run = _enrol_c25k(service)[0]
    with pytest.raises(UserError, match="too far away"):
        service.move(run.id, dt.datetime(2030, 1, 1, 7, 0))
    assert service.get(run.id).due_at == run.due_at


def test_unknown_ids_are_user_errors(service: PlanService) -> None:
    with pytest.raises(ScheduledRunNotFoundError):
        service.skip(999)
    with pytest.raises(ScheduledRunNotFoundError):
        service.move(999, dt.datetime(2025, 3, 4, 7, 0))
    with pytest.raises(EnrolmentNotFoundError):
        service.progress(999)
    with pytest.raises(EnrolmentNotFoundError):
        service.repeat_week(999, 1)


def test_mark_done_links_the_run_and_progress_follows(service: PlanService, database: Database) -> None:
    runs = _enrol_c25k(service)
    enrolment_id = runs[0].enrolment_id
    assert enrolment_id is not None
    before = service.progress(enrolment_id)
    assert (before.done, before.total, before.current_week, before.weeks) == (0, 27, 1, 9)
    assert before.next_run == runs[0]

    for run in runs[:3]:
        run_id = _finished_run(database, run)
        done = service.mark_done(run.id, run_id)
        assert (done.status, done.run_id) == ("done", run_id)
    service.skip(runs[3].id)
    progress = service.progress(enrolment_id)
    assert (progress.done, progress.skipped, progress.planned, progress.total) == (3, 1, 23, 27)
    assert progress.current_week == 2
    assert progress.next_run is not None
    assert progress.next_run.id == runs[4].id
    assert progress.fraction_done == pytest.approx(3 / 27)
    assert service.all_progress() == [progress]


def test_the_last_run_finishes_the_enrolment_and_unskipping_reopens_it(
    service: PlanService, database: Database
) -> None:
    runs = service.enrol("small-steps", MONDAY, ["mon", "wed", "fri"], dt.time(18, 0)).runs
    enrolment_id = runs[0].enrolment_id
    assert enrolment_id is not None
    for run in runs[:-1]:
        service.mark_done(run.id, _finished_run(database, run))
    assert service.progress(enrolment_id).enrolment.status == "active"
    service.skip(runs[-1].id)
    finished = service.progress(enrolment_id)
    assert (finished.enrolment.status, finished.current_week, finished.next_run) == ("finished", None, None)
    service.unskip(runs[-1].id)
    assert service.progress(enrolment_id).enrolment.status == "active"


def test_repeating_a_week_moves_later_weeks_and_adds_the_week_again(service: PlanService) -> None:
    runs = _enrol_c25k(service)
    enrolment_id = runs[0].enrolment_id
    assert enrolment_id is not None
    added = service.repeat_week(enrolment_id, 3)
    assert [(r.week, r.run_number, r.session_id) for r in added] == [(3, n, f"c25k-w3-r{n}") for n in (1, 2, 3)]
    week_3 = [r for r in runs if r.week == 3]
    assert [r.due_at for r in added] == [r.due_at + dt.timedelta(days=7) for r in week_3]
    assert {r.uid for r in added}.isdisjoint({r.uid for r in runs})

    after = {r.id: r for r in service.scheduled(enrolment_id=enrolment_id)}
    assert len(after) == 30
    for run in runs:
        now = after[run.id]
        assert now.uid == run.uid
        shift = dt.timedelta(days=7) if run.week is not None and run.week > 3 else dt.timedelta(0)
        assert now.due_at == run.due_at + shift
    ordered = service.scheduled(enrolment_id=enrolment_id)
    assert [r.week for r in ordered] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3] + [
        w for w in range(4, 10) for _ in range(3)
    ]
    assert service.progress(enrolment_id).total == 30


def test_cancelling_keeps_history_and_drops_what_was_planned(service: PlanService, database: Database) -> None:
    runs = _enrol_c25k(service)
    enrolment_id = runs[0].enrolment_id
    assert enrolment_id is not None
    service.mark_done(runs[0].id, _finished_run(database, runs[0]))
    service.skip(runs[1].id)
    cancelled = service.cancel_enrolment(enrolment_id)
    assert cancelled.status == "cancelled"
    assert [(r.id, r.status) for r in service.scheduled()] == [(runs[0].id, "done"), (runs[1].id, "skipped")]
    with pytest.raises(UserError, match="was cancelled"):
        service.repeat_week(enrolment_id, 1)


def test_upcoming_lists_planned_runs_from_now(service: PlanService, local_clock: Clock) -> None:
    runs = _enrol_c25k(service)
    local_clock.now = dt.datetime(2025, 3, 5, 7, 0)
    service.skip(runs[2].id)
    assert [r.id for r in service.upcoming(3)] == [runs[1].id, runs[3].id, runs[4].id]


# ------------------------------------------------------------------------------------ one-off and weekly


def test_schedule_once_with_an_own_or_a_program_session(service: PlanService) -> None:
    once = service.schedule_once("my-tempo", dt.datetime(2025, 3, 2, 10, 15))
    assert (once.session_id, once.title, once.duration_s) == ("my-tempo", "My tempo run", 1800.0)
    assert (once.enrolment_id, once.recurrence, once.week, once.status) == (None, None, None, "planned")
    program_run = service.schedule_once("mindful-running-w1-r1", dt.datetime(2025, 3, 4, 6, 45))
    assert program_run.title == "Mindful running · Week 1 · Run 1"


def test_schedule_once_refuses_unknown_sessions_and_past_times(service: PlanService) -> None:
    with pytest.raises(UserError, match="no session called 'nope'"):
        service.schedule_once("nope", dt.datetime(2025, 3, 2, 10, 0))
    with pytest.raises(UserError, match="2025-03-01 08:59 has already passed"):
        service.schedule_once("my-tempo", dt.datetime(2025, 3, 1, 8, 59))
    assert service.scheduled() == []


def test_schedule_weekly_lays_out_n_weekly_runs(service: PlanService) -> None:
    weekly = service.schedule_weekly("my-tempo", "tue", dt.time(19, 0), weeks=5)
    assert [r.due_at for r in weekly] == [dt.datetime(2025, 3, 4, 19, 0) + dt.timedelta(weeks=i) for i in range(5)]
    assert {r.recurrence for r in weekly} == {"weekly"}
    assert len({r.uid for r in weekly}) == 5
    assert service.scheduled(status="planned") == weekly

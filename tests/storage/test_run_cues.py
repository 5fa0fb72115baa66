"""The coach's memory in a real SQLite file: the cues each run said, counted only as far as the run got."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from runcompanion.core.coach import coach_run
from runcompanion.core.coach_program import heard_cue_ids
from runcompanion.core.cue_library import load_cue_library
from runcompanion.core.cue_scheduler import CueSettings, schedule_cues
from runcompanion.core.programs import ProgramLibrary
from runcompanion.paths import resource_files
from runcompanion.services.coach_service import CoachService
from runcompanion.storage.database import Database
from runcompanion.storage.models import RunCueRow
from runcompanion.storage.run_cue_repository import RunCueRepository
from runcompanion.storage.run_repository import RunRepository
from tests.storage.conftest import SteppingClock


def _run(runs: RunRepository, session_id: str = "s", *, elapsed_s: float, status: str = "finished") -> int:
    record = runs.start(session_id, "S", (), 600.0, 1)
    if status == "finished":
        runs.finish(record.id, "finished", elapsed_s, 0, 1, [])
    elif status == "stopped":
        runs.finish(record.id, "stopped", elapsed_s, 0, 0, [])
    else:
        runs.checkpoint(record.id, elapsed_s, 0, 0)
    return record.id


def _rows(database: Database) -> int:
    with database.transaction(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(RunCueRow)) or 0)


def test_what_a_run_said_is_remembered_oldest_run_first(database: Database, clock: SteppingClock) -> None:
    runs, cues = RunRepository(database, now=clock), RunCueRepository(database)
    first = _run(runs, elapsed_s=600)
    second = _run(runs, elapsed_s=600)
    cues.remember(first, [("a", 10.0), ("b", 300.0)])
    cues.remember(second, [("c", 20.0)])

    assert cues.heard(10) == [["a", "b"], ["c"]]
    assert cues.heard(1) == [["c"]]


def test_a_stopped_run_heard_only_what_came_before_the_stop(database: Database, clock: SteppingClock) -> None:
    runs, cues = RunRepository(database, now=clock), RunCueRepository(database)
    stopped = _run(runs, elapsed_s=120, status="stopped")
    going = _run(runs, elapsed_s=50, status="in_progress")
    cues.remember(stopped, [("early", 60.0), ("late", 400.0)])
    cues.remember(going, [("now", 40.0), ("later", 90.0)])

    assert cues.heard(10) == [["early"], ["now"]]


def test_remembering_again_replaces_and_a_deleted_run_takes_its_cues(database: Database, clock: SteppingClock) -> None:
    runs, cues = RunRepository(database, now=clock), RunCueRepository(database)
    run_id = _run(runs, elapsed_s=600)
    cues.remember(run_id, [("a", 1.0), ("b", 2.0)])
    cues.remember(run_id, [("c", 3.0)])
    assert cues.heard(5) == [["c"]]

    assert runs.delete(run_id)
    assert _rows(database) == 0


@pytest.mark.parametrize(
    "bad", [[("", 1.0)], [("x" * 65, 1.0)], [("a", -1.0)], [("a", float("nan"))], [("ok", 1.0), ("a", float("inf"))]]
)
def test_bad_cues_are_refused_and_nothing_is_written(
    database: Database, clock: SteppingClock, bad: list[tuple[str, float]]
) -> None:
    runs, cues = RunRepository(database, now=clock), RunCueRepository(database)
    run_id = _run(runs, elapsed_s=600)

    with pytest.raises(ValueError, match="cue"):
        cues.remember(run_id, bad)
    with pytest.raises(ValueError, match="no run 999"):
        cues.remember(999, [("a", 1.0)])
    assert _rows(database) == 0


def test_the_coach_service_carries_the_memory_into_the_next_run(database: Database, clock: SteppingClock) -> None:
    runs = RunRepository(database, now=clock)
    programs = ProgramLibrary.from_files(resource_files("programs", ".toml"))
    library = load_cue_library(resource_files("cues", ".toml"))
    service = CoachService(RunCueRepository(database), programs, list, runs.list, lambda: dt.date(2024, 5, 6))
    plan = programs.get("c25k").run(2, 1)

    context = service.context(plan, feeling=-3)
    assert context.place is not None
    assert (context.place.week, context.place.run, context.place.number) == (2, 1, 4)
    assert context.feeling == -3
    first = schedule_cues(plan, library, CueSettings(), 7, lambda t: len(t) / 14, coach_run(plan, context, 7))
    run_id = _run(runs, plan.id, elapsed_s=plan.total_s)
    service.remember(run_id, first)

    again = service.context(plan)
    assert again.memory.run_count == 1
    second = schedule_cues(plan, library, CueSettings(), 7, lambda t: len(t) / 14, coach_run(plan, again, 7))
    assert heard_cue_ids(first)
    assert not set(heard_cue_ids(first)) & set(heard_cue_ids(second))


def test_journal_facts_count_only_runs_like_this_one(database: Database, clock: SteppingClock) -> None:
    runs = RunRepository(database, now=clock)
    programs = ProgramLibrary.from_files(resource_files("programs", ".toml"))
    service = CoachService(RunCueRepository(database), programs, list, runs.list, lambda: dt.date(2024, 5, 6))
    plan = programs.get("c25k").run(1, 3)
    for week, run in ((1, 1), (1, 2)):
        _run(runs, f"c25k-w{week}-r{run}", elapsed_s=600)
    _run(runs, "mindful-30", elapsed_s=600)
    _run(runs, "c25k-w1-r1", elapsed_s=100, status="stopped")

    facts = service.facts(plan, service.place(plan))

    assert facts.program_runs_done == 2
    assert facts.program_runs_total == 27
    assert facts.similar_runs == 0  # no reflections with feelings yet: no personal lift cue
    assert facts.week_streak == 1

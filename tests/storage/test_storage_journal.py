"""The journal on a real SQLite file: check-in, drafts, finishing, runs logged by hand, the list, search,
filters, detail, edit, delete and undo, charts and insights."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from runcompanion.core.errors import UserError
from runcompanion.core.mood import OutOfScaleError
from runcompanion.core.reflection_prompts import prompt_for
from runcompanion.services.journal_service import JournalService
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries, match_expression
from runcompanion.storage.models import Base
from runcompanion.storage.records import (
    MAX_REFLECTION_CHARS,
    CheckIn,
    JournalEntry,
    JournalFilter,
    ManualRun,
    NewScheduledRun,
    ReflectionInput,
    ReflectionRecord,
    RunRecord,
)
from runcompanion.storage.reflection_repository import InvalidReflectionError, ReflectionRepository
from runcompanion.storage.run_repository import RunNotFoundError, RunRepository
from runcompanion.storage.schedule_repository import ScheduleRepository

ZONE = dt.timezone(dt.timedelta(hours=2), "CEST")
MONDAY = dt.datetime(2024, 5, 6, 7, 30, tzinfo=ZONE)  # 05:30 UTC
NOW = dt.datetime(2024, 6, 3, 12, 0, tzinfo=ZONE)  # a Monday, four weeks later

_TRIGGERS = {
    "journal_search_run_added",
    "journal_search_run_renamed",
    "journal_search_run_removed",
    "journal_search_reflection_added",
    "journal_search_reflection_changed",
    "journal_search_reflection_removed",
    "journal_search_tag_added",
    "journal_search_tag_changed",
    "journal_search_tag_removed",
}


@dataclasses.dataclass
class Journal:
    database: Database
    runs: RunRepository
    reflections: ReflectionRepository
    queries: JournalQueries
    service: JournalService

    def run(
        self,
        started: dt.datetime = MONDAY,
        *,
        session_id: str = "easy-30",
        name: str = "Easy 30",
        tags: tuple[str, ...] = ("easy",),
        status: str = "finished",
        elapsed_s: float = 1800.0,
        scheduled_run_id: int | None = None,
    ) -> RunRecord:
        run = self.runs.start(session_id, name, tags, 1800.0, 1, scheduled_run_id, started_at=started)
        if status == "in_progress":
            return run
        return self.runs.finish(run.id, status, elapsed_s, 3, 3, [], ended_at=started + dt.timedelta(seconds=1800))  # type: ignore[arg-type]

    def entry(
        self,
        started: dt.datetime = MONDAY,
        before: int | None = 0,
        after: int | None = 2,
        *,
        words: str = "",
        tags: tuple[str, ...] = (),
        effort: int | None = 4,
        draft: bool = False,
        **run_options: Any,
    ) -> RunRecord:
        run = self.run(started, **run_options)
        self.service.check_in(run.id, before)
        reflection = ReflectionInput(feeling_after=after, effort=effort, text=words, tags=tags)
        if draft:
            self.service.save_draft(run.id, reflection)
        else:
            self.service.complete(run.id, reflection)
        return run


@pytest.fixture
def journal(database: Database, clock: Callable[[], dt.datetime]) -> Journal:
    reflections = ReflectionRepository(database, now=clock)
    queries = JournalQueries(database)
    service = JournalService(reflections, queries, zone=ZONE, now=lambda: NOW)
    return Journal(database, RunRepository(database), reflections, queries, service)


def _ids(entries: tuple[JournalEntry, ...] | list[JournalEntry]) -> list[int]:
    return [entry.run_id for entry in entries]


def _search(journal: Journal, words: str) -> list[int]:
    return _ids(journal.service.search(words).entries)


def _count(database: Database, table: str) -> int:
    with database.transaction(write=False) as session:
        count: int = session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        return count


# ------------------------------------------------------------------------------------------- check-in


def test_a_check_in_starts_a_draft_reflection_with_the_answers_before(journal: Journal) -> None:
    run = journal.run(status="in_progress")

    saved = journal.service.check_in(run.id, -2, 5)

    assert type(saved) is ReflectionRecord
    assert not isinstance(saved, Base)
    assert (saved.run_id, saved.feeling_before, saved.arousal_before, saved.is_draft) == (run.id, -2, 5, True)
    assert (saved.feeling_after, saved.text, saved.tags, saved.lift) == (None, "", (), None)
    again = journal.service.check_in(run.id, 1)  # tapped again: the answers are replaced, the row kept
    assert (again.id, again.feeling_before, again.arousal_before) == (saved.id, 1, None)
    assert again.created_at == saved.created_at < again.updated_at


def test_a_check_in_for_an_unknown_run_is_refused(journal: Journal) -> None:
    with pytest.raises(RunNotFoundError, match="999") as raised:
        journal.service.check_in(999, 1)
    assert isinstance(raised.value, UserError)
    assert _count(journal.database, "reflections") == 0


@pytest.mark.parametrize(("feeling", "arousal"), [(6, None), (-6, None), (0, 0), (0, 7)])
def test_a_check_in_off_the_scales_writes_nothing(journal: Journal, feeling: int, arousal: int | None) -> None:
    run = journal.run()
    with pytest.raises(OutOfScaleError):
        journal.service.check_in(run.id, feeling, arousal)
    assert _count(journal.database, "reflections") == 0


# ------------------------------------------------------------------------------ drafts and finishing


def test_a_draft_keeps_the_check_in_and_gets_the_runs_prompt(journal: Journal) -> None:
    run = journal.run()
    journal.service.check_in(run.id, -1, 2)

    draft = journal.service.save_draft(run.id, ReflectionInput(feeling_after=3, text="Half a thought"))

    assert (draft.feeling_before, draft.arousal_before, draft.feeling_after, draft.lift) == (-1, 2, 3, 4)
    assert (draft.is_draft, draft.text, draft.prompt) == (True, "Half a thought", prompt_for(run.id))
    assert journal.service.prompt_for_run(run.id) == prompt_for(run.id)


def test_finishing_a_draft_later_marks_it_finished_and_keeps_its_creation(journal: Journal) -> None:
    run = journal.run()
    draft = journal.service.save_draft(run.id, ReflectionInput(text="Half", prompt="Own prompt?"))

    done = journal.service.complete(
        run.id,
        ReflectionInput(
            feeling_after=4,
            effort=6,
            text="Half a thought, finished.",
            prompt="Own prompt?",
            tags=(" Park ", "with  Sam", "park", ""),
            distance_km=5,
            arousal_after=3,
        ),
        check_in=CheckIn(1, 4),
    )

    assert done.id == draft.id
    assert done.is_draft is False
    assert (done.feeling_before, done.arousal_before, done.feeling_after, done.arousal_after) == (1, 4, 4, 3)
    assert (done.effort, done.distance_km, done.prompt) == (6, 5.0, "Own prompt?")
    assert done.tags == ("park", "with sam")
    assert done.created_at == draft.created_at < done.updated_at
    assert journal.service.detail(run.id).reflection == done


def test_a_draft_survives_the_app_closing_without_finishing(journal: Journal, reopen: Callable[[], Database]) -> None:
    run = journal.run()
    journal.service.save_draft(run.id, ReflectionInput(text="typed before the crash", tags=("rain",)))
    journal.database.close()

    queries = JournalQueries(reopen())
    entry = queries.get(run.id)

    assert entry is not None
    assert entry.reflection is not None
    assert (entry.reflection.text, entry.reflection.tags, entry.reflection.is_draft) == (
        "typed before the crash",
        ("rain",),
        True,
    )
    assert _ids(queries.page(JournalFilter(drafts_only=True)).entries) == [run.id]


def test_a_reflection_of_a_hundred_thousand_characters_is_kept_whole(journal: Journal) -> None:
    run = journal.run()
    words = ("Ran. Breathed. Noticed the light. " * 3100)[:MAX_REFLECTION_CHARS]

    journal.service.complete(run.id, ReflectionInput(text=words))

    entry = journal.service.detail(run.id)
    assert entry.reflection is not None
    assert entry.reflection.text == words
    assert len(entry.reflection.text) == MAX_REFLECTION_CHARS


def test_a_longer_reflection_is_refused_in_words_and_the_draft_stays(journal: Journal) -> None:
    run = journal.run()
    journal.service.save_draft(run.id, ReflectionInput(text="kept"))

    with pytest.raises(InvalidReflectionError, match="at most 100,000 characters") as raised:
        journal.service.complete(run.id, ReflectionInput(text="x" * (MAX_REFLECTION_CHARS + 1)))

    assert isinstance(raised.value, UserError)
    assert isinstance(raised.value, ValueError)
    reflection = journal.service.detail(run.id).reflection
    assert reflection is not None
    assert (reflection.text, reflection.is_draft) == ("kept", True)


@pytest.mark.parametrize(
    ("reflection", "error", "message"),
    [
        (ReflectionInput(feeling_after=6), OutOfScaleError, "feeling after"),
        (ReflectionInput(effort=11), OutOfScaleError, "effort"),
        (ReflectionInput(arousal_after=0), OutOfScaleError, "arousal after"),
        (ReflectionInput(distance_km=-0.1), InvalidReflectionError, "between 0 and 1000 km"),
        (ReflectionInput(distance_km=1000.5), InvalidReflectionError, "between 0 and 1000 km"),
        (ReflectionInput(distance_km=float("nan")), InvalidReflectionError, "between 0 and 1000 km"),
        (ReflectionInput(tags=("a" * 41,)), InvalidReflectionError, "too long"),
        (ReflectionInput(tags=("a,b",)), InvalidReflectionError, "comma"),
        (ReflectionInput(tags=tuple(f"t{i}" for i in range(21))), InvalidReflectionError, "at most 20 tags"),
        (ReflectionInput(prompt="?" * 501), InvalidReflectionError, "prompt"),
    ],
)
def test_values_that_cannot_be_saved_are_refused_before_writing(
    journal: Journal, reflection: ReflectionInput, error: type[Exception], message: str
) -> None:
    run = journal.run()
    with pytest.raises(error, match=message):
        journal.service.complete(run.id, reflection)
    assert _count(journal.database, "reflections") == 0


def test_a_distance_of_zero_and_the_ends_of_every_scale_are_kept(journal: Journal) -> None:
    run = journal.run()
    saved = journal.service.complete(
        run.id, ReflectionInput(feeling_after=-5, effort=10, arousal_after=6, distance_km=0), check_in=CheckIn(5, 1)
    )
    assert (saved.feeling_before, saved.feeling_after, saved.lift, saved.effort, saved.distance_km) == (
        5,
        -5,
        -10,
        10,
        0.0,
    )


# --------------------------------------------------------------------------------------- manual runs


def test_a_run_done_without_the_app_is_logged_with_its_reflection(journal: Journal) -> None:
    started = dt.datetime(2024, 5, 20, 18, 0, tzinfo=ZONE)

    entry = journal.service.log_manual_run(
        ManualRun(started, 2400.0, "  Park   loop ", session_tags=("outdoors",)),
        ReflectionInput(feeling_after=4, text="Geese on the pond", distance_km=6.2, tags=("park",)),
        check_in=CheckIn(0, 3),
    )

    run = entry.run
    assert (run.source, run.status, run.session_id, run.session_name) == ("manual", "finished", "manual", "Park loop")
    assert (run.started_at, run.ended_at) == (started, started + dt.timedelta(minutes=40))
    assert (run.elapsed_s, run.planned_s, run.session_tags) == (2400.0, 2400.0, ("outdoors",))
    assert entry.reflection is not None
    assert (entry.lift, entry.reflection.is_draft, entry.reflection.distance_km) == (4, False, 6.2)
    assert entry.reflection.prompt  # the dialog showed one; an empty prompt gets the rotation's
    assert journal.service.detail(run.id) == entry
    assert _search(journal, "geese") == [run.id]


@pytest.mark.parametrize(
    ("manual", "message"),
    [
        (ManualRun(NOW + dt.timedelta(minutes=1), 600.0), "in the future"),
        (ManualRun(MONDAY, 0.0), "more than 0"),
        (ManualRun(MONDAY, 73 * 3600.0), "at most 72 hours"),
        (ManualRun(MONDAY, 600.0, "   "), "name"),
    ],
)
def test_a_manual_run_that_cannot_be_right_is_refused(journal: Journal, manual: ManualRun, message: str) -> None:
    with pytest.raises(InvalidReflectionError, match=message):
        journal.service.log_manual_run(manual, ReflectionInput())
    assert _count(journal.database, "runs") == 0


# ------------------------------------------------------------------------------------------- the list


def test_the_list_is_newest_first_with_paging_and_a_total(journal: Journal) -> None:
    ids = [journal.entry(MONDAY + dt.timedelta(days=i)).id for i in range(7)]

    first = journal.service.entries(limit=3)
    third = journal.service.entries(limit=3, offset=6)

    assert _ids(first.entries) == ids[::-1][:3]
    assert (first.total, first.has_more) == (7, True)
    assert _ids(third.entries) == [ids[0]]
    assert third.has_more is False
    entry = first.entries[0]
    assert (entry.feeling_before, entry.feeling_after, entry.lift) == (0, 2, 2)
    assert entry.run == journal.runs.get(ids[-1])


def test_runs_in_progress_are_not_entries_and_runs_without_reflection_are(journal: Journal) -> None:
    quiet = journal.run(MONDAY, status="stopped")
    journal.run(MONDAY + dt.timedelta(days=1), status="in_progress")

    page = journal.service.entries()

    assert _ids(page.entries) == [quiet.id]
    assert page.entries[0].reflection is None
    assert page.entries[0].lift is None


def test_paging_arguments_are_checked(journal: Journal) -> None:
    with pytest.raises(ValueError, match="limit"):
        journal.service.entries(limit=1001)
    with pytest.raises(ValueError, match="offset"):
        journal.service.entries(offset=-1)


def test_filters_by_local_days_tag_session_and_lift(journal: Journal) -> None:
    late_sunday = journal.entry(dt.datetime(2024, 5, 5, 23, 30, tzinfo=ZONE), 0, 3, tags=("park",))
    monday = journal.entry(dt.datetime(2024, 5, 6, 0, 30, tzinfo=ZONE), 2, 1, session_id="intervals")
    tuesday = journal.entry(dt.datetime(2024, 5, 7, 23, 59, tzinfo=ZONE), -1, 4, tags=("park", "rain"))
    no_lift = journal.entry(dt.datetime(2024, 5, 7, 8, 0, tzinfo=ZONE), None, 4)

    def shown(**criteria: Any) -> list[int]:
        return _ids(journal.service.entries(journal.service.make_filter(**criteria)).entries)

    days = shown(first_day=dt.date(2024, 5, 6), last_day=dt.date(2024, 5, 7))
    assert days == [tuesday.id, no_lift.id, monday.id]
    assert shown(last_day=dt.date(2024, 5, 5)) == [late_sunday.id]
    assert shown(tag="park") == [tuesday.id, late_sunday.id]
    assert shown(tag=" Rain ") == [tuesday.id]
    assert shown(session_id="intervals") == [monday.id]
    assert shown(min_lift=3) == [tuesday.id, late_sunday.id]
    assert shown(max_lift=0) == [monday.id]
    assert shown(min_lift=-10, max_lift=10) == [tuesday.id, monday.id, late_sunday.id]
    assert shown(tag="park", min_lift=4) == [tuesday.id]


def test_filter_by_program_follows_the_scheduled_run(journal: Journal, clock: Callable[[], dt.datetime]) -> None:
    schedule = ScheduleRepository(journal.database, now=clock)
    enrolment = schedule.add_enrolment(
        "c25k",
        dt.date(2024, 5, 6),
        ("mon",),
        dt.time(7, 0),
        [NewScheduledRun("w1r1@rc", "c25k-w1r1", "Week 1, run 1", dt.datetime(2024, 5, 6, 7, 0), 1800.0)],
    )
    [scheduled] = schedule.list_scheduled(enrolment_id=enrolment.id)
    of_program = journal.entry(scheduled_run_id=scheduled.id, session_id="c25k-w1r1")
    journal.entry(MONDAY + dt.timedelta(days=1))

    page = journal.service.entries(journal.service.make_filter(program_id="c25k"))

    assert _ids(page.entries) == [of_program.id]
    assert page.entries[0].program_id == "c25k"
    assert journal.service.programs() == ["c25k"]
    assert journal.service.entries(journal.service.make_filter(program_id="other")).total == 0


def test_tags_sessions_and_drafts_for_the_filter_choices(journal: Journal) -> None:
    journal.entry(tags=("rain", "park"), name="Old name")
    journal.entry(MONDAY + dt.timedelta(days=1), tags=("park",), name="Easy thirty")
    draft = journal.entry(MONDAY + dt.timedelta(days=2), session_id="intervals", name="Intervals", draft=True)

    assert journal.service.all_tags() == ["park", "rain"]
    assert journal.service.sessions() == [("easy-30", "Easy thirty"), ("intervals", "Intervals")]
    assert _ids(journal.service.drafts()) == [draft.id]


# ------------------------------------------------------------------------------------------------ search


def test_search_finds_words_in_text_prompt_tags_and_session(journal: Journal) -> None:
    text_hit = journal.entry(words="Felt strong on the hills")
    tag_hit = journal.entry(MONDAY + dt.timedelta(days=1), tags=("treadmill",))
    session_hit = journal.entry(MONDAY + dt.timedelta(days=2), name="Café intervals", tags=("speedwork",))
    prompt_run = journal.run(MONDAY + dt.timedelta(days=3))
    journal.service.complete(prompt_run.id, ReflectionInput(prompt="Which birds did you hear?"))

    assert _search(journal, "strong") == [text_hit.id]
    assert _search(journal, "tread") == [tag_hit.id]
    assert _search(journal, "cafe") == [session_hit.id]  # accents folded
    assert _search(journal, "SPEEDWORK") == [session_hit.id]
    assert _search(journal, "birds") == [prompt_run.id]
    assert _search(journal, "strong hills") == [text_hit.id]
    assert _search(journal, "strong treadmill") == []
    assert journal.service.search("hil").total == 1


def test_search_combines_with_the_filters(journal: Journal) -> None:
    journal.entry(words="calm", tags=("park",))
    wanted = journal.entry(MONDAY + dt.timedelta(days=1), words="calm", tags=("rain",))
    journal.entry(MONDAY + dt.timedelta(days=2), words="restless", tags=("rain",))

    page = journal.service.search("calm", journal.service.make_filter(tag="rain"))

    assert _ids(page.entries) == [wanted.id]
    assert page.total == 1


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ('"', 1),  # nothing searchable: no text filter
        ("(", 1),
        ("''", 1),
        ("*", 1),
        ('calm"', 1),
        ("AND(", 1),
        ("calm OR", 1),
        ("-calm", 1),
        ("^calm", 1),
        ("calm AND NOT", 1),
        ("NEAR(calm", 0),  # the phrase "near calm" is not in the text
        ("text:calm", 0),  # a phrase, not a column filter
        ("calm stormy", 0),
    ],
)
def test_what_the_runner_types_is_searched_as_words_and_never_breaks(journal: Journal, typed: str, found: int) -> None:
    hit = journal.entry(words="calm and not hurried, or near enough")

    page = journal.service.search(typed)

    assert page.total == found
    assert _ids(page.entries) == [hit.id] * found


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_no_typed_text_at_all_raises(journal: Journal, typed: str) -> None:
    page = journal.queries.page(JournalFilter(text=typed), limit=5)
    assert page.total >= 0


def test_match_expression_quotes_every_word_as_a_prefix() -> None:
    assert match_expression('calm "strong" AND(') == '"calm"* """strong"""* "AND("*'
    assert match_expression('  " ( * ') is None
    assert match_expression("calm\x00storm") == '"calm"* "storm"*'  # a NUL would cut the query short
    assert match_expression("") is None


def test_the_index_follows_every_change_to_text_tags_and_session(journal: Journal) -> None:
    run = journal.entry(words="sunrise", tags=("park",))
    assert _search(journal, "sunrise") == [run.id]

    journal.service.edit(run.id, ReflectionInput(text="sunset", tags=("river",)))
    assert _search(journal, "sunrise") == []
    assert _search(journal, "sunset") == [run.id]
    assert _search(journal, "park") == []
    assert _search(journal, "river") == [run.id]

    with journal.database.transaction() as session:  # a write path that bypasses the repositories
        session.execute(text("UPDATE runs SET session_name = 'Hill reps' WHERE id = :id"), {"id": run.id})
        session.execute(text("UPDATE reflection_tags SET tag = 'canal'"))
    assert _search(journal, "hill") == [run.id]
    assert _search(journal, "canal") == [run.id]
    assert _search(journal, "river") == []

    journal.service.delete(run.id)
    assert _search(journal, "sunset") == []
    assert _count(journal.database, "journal_search") == 0


def test_every_search_trigger_exists_at_head(database: Database) -> None:
    # A batch migration that rebuilds runs, reflections or reflection_tags drops their triggers silently.
    with database.transaction(write=False) as session:
        names = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert names >= _TRIGGERS


# ----------------------------------------------------------------------------- detail, edit, delete, undo


def test_detail_of_a_missing_run_is_a_user_error(journal: Journal) -> None:
    with pytest.raises(RunNotFoundError):
        journal.service.detail(42)
    with pytest.raises(RunNotFoundError):
        journal.service.delete(42)


def test_edit_replaces_the_reflection_and_finishes_it(journal: Journal) -> None:
    run = journal.entry(words="first", tags=("a",), draft=True)

    edited = journal.service.edit(
        run.id, ReflectionInput(feeling_after=5, text="second", tags=("b",)), check_in=CheckIn(-3, None)
    )

    assert edited.reflection is not None
    assert (edited.feeling_before, edited.feeling_after, edited.lift) == (-3, 5, 8)
    assert (edited.reflection.text, edited.reflection.tags, edited.reflection.is_draft) == ("second", ("b",), False)


def test_delete_then_undo_brings_back_exactly_what_was_there(
    journal: Journal, clock: Callable[[], dt.datetime]
) -> None:
    schedule = ScheduleRepository(journal.database, now=clock)
    [scheduled] = schedule.add_scheduled_runs(
        [NewScheduledRun("one@rc", "easy-30", "Easy", dt.datetime(2024, 5, 6, 7, 0), 1800.0)]
    )
    run = journal.entry(words="keep me", tags=("rain", "park"), scheduled_run_id=scheduled.id)
    schedule.set_status(scheduled.id, "done", run.id)
    later = journal.entry(MONDAY + dt.timedelta(days=1))
    before = journal.service.detail(run.id)

    token = journal.service.delete(run.id)

    assert token.run_id == run.id
    assert _ids(journal.service.entries().entries) == [later.id]
    assert _count(journal.database, "reflection_tags") == 0
    assert schedule.get_scheduled(scheduled.id).run_id is None  # type: ignore[union-attr]

    restored = journal.service.restore(token)

    assert restored == before
    assert restored.reflection is not None
    assert restored.reflection.id == before.reflection.id  # type: ignore[union-attr]
    assert schedule.get_scheduled(scheduled.id).run_id == run.id  # type: ignore[union-attr]
    assert _search(journal, "keep") == [run.id]
    assert journal.service.restore(token) == before  # a second undo adds nothing
    assert journal.service.entries().total == 2


def test_undo_after_the_id_was_reused_brings_the_entry_back_under_a_new_id(journal: Journal) -> None:
    newest = journal.entry(words="the deleted one", tags=("park",))
    token = journal.service.delete(newest.id)
    reuser = journal.run(MONDAY + dt.timedelta(days=5))  # SQLite hands the freed highest id out again
    assert reuser.id == newest.id

    restored = journal.service.restore(token)

    assert restored.run_id != newest.id
    assert restored.reflection is not None
    assert (restored.reflection.text, restored.reflection.tags) == ("the deleted one", ("park",))
    assert journal.runs.get(reuser.id) == reuser


# -------------------------------------------------------------------------------------- charts, insights


def test_chart_points_are_on_the_local_clock_oldest_first(journal: Journal) -> None:
    # 23:30 on Sunday in the runner's zone is 21:30 UTC: the chart must say Sunday, 23 h.
    late = journal.entry(dt.datetime(2024, 5, 5, 23, 30, tzinfo=ZONE), -1, 2, tags=("night",))
    journal.run(MONDAY, status="stopped")

    points = journal.service.chart_points()

    assert [point.run_id for point in points] == [late.id, late.id + 1]
    first = points[0]
    assert (first.local_date, first.hour, first.tags, first.session_tags) == (
        dt.date(2024, 5, 5),
        23,
        ("night",),
        ("easy",),
    )
    assert (first.feeling_before, first.feeling_after, first.lift, first.elapsed_s) == (-1, 2, 3, 1800.0)
    assert (points[1].feeling_after, points[1].lift) == (None, None)


def test_weekly_minutes_cover_the_last_weeks_with_empty_ones(journal: Journal) -> None:
    journal.entry(dt.datetime(2024, 5, 27, 7, 0, tzinfo=ZONE), elapsed_s=1200.0)
    journal.entry(dt.datetime(2024, 6, 2, 21, 0, tzinfo=ZONE), elapsed_s=1800.0)  # Sunday: still last week
    journal.entry(dt.datetime(2024, 6, 3, 7, 0, tzinfo=ZONE), elapsed_s=600.0)
    journal.entry(dt.datetime(2024, 4, 1, 7, 0, tzinfo=ZONE))  # long before the window

    weeks = journal.service.weekly_minutes(3)

    assert [(w.week_start, w.minutes, w.runs) for w in weeks] == [
        (dt.date(2024, 5, 20), 0.0, 0),
        (dt.date(2024, 5, 27), 50.0, 2),
        (dt.date(2024, 6, 3), 10.0, 1),
    ]


def test_mood_days_are_the_last_four_weeks_on_the_local_clock(journal: Journal) -> None:
    # 00:30 local is 22:30 UTC the day before: by UTC dates this run would fall outside the 28 days.
    early = journal.entry(dt.datetime(2024, 5, 7, 0, 30, tzinfo=ZONE), -1, 3)  # the first of the 28 days
    journal.entry(dt.datetime(2024, 5, 6, 23, 30, tzinfo=ZONE), 0, 1)  # the day before: outside
    today = journal.entry(dt.datetime(2024, 6, 3, 7, 0, tzinfo=ZONE), 1, 4)
    plain = journal.run(dt.datetime(2024, 5, 20, 18, 0, tzinfo=ZONE))  # no reflection: still a day with a run

    mood = journal.service.mood_days()

    assert (mood.first, mood.last) == (dt.date(2024, 5, 7), dt.date(2024, 6, 3))
    assert [p.run_id for p in mood.points] == [early.id, plain.id, today.id]
    assert [(p.local_date, p.feeling_after) for p in mood.points] == [
        (dt.date(2024, 5, 7), 3),
        (dt.date(2024, 5, 20), None),
        (dt.date(2024, 6, 3), 4),
    ]


def test_mood_days_follow_the_filter_and_end_on_its_last_day(journal: Journal) -> None:
    journal.entry(dt.datetime(2024, 5, 10, 7, 0, tzinfo=ZONE), 0, 2, tags=("calm",))
    journal.entry(dt.datetime(2024, 5, 12, 7, 0, tzinfo=ZONE), 0, -1)
    kept = journal.entry(dt.datetime(2024, 4, 20, 7, 0, tzinfo=ZONE), 0, 5, tags=("calm",))

    calm = journal.service.mood_days(journal.service.make_filter(tag="calm", last_day=dt.date(2024, 5, 1)), days=14)

    assert (calm.first, calm.last) == (dt.date(2024, 4, 18), dt.date(2024, 5, 1))
    assert [p.run_id for p in calm.points] == [kept.id]
    later = journal.service.mood_days(journal.service.make_filter(first_day=dt.date(2024, 5, 11)), days=28)
    assert [p.local_date for p in later.points] == [dt.date(2024, 5, 12)]
    with pytest.raises(ValueError, match="at least 1"):
        journal.service.mood_days(days=0)


def test_insights_need_enough_finished_runs_with_both_feelings(journal: Journal) -> None:
    for day in range(4):
        journal.entry(dt.datetime(2024, 5, 6 + day, 7, 0, tzinfo=ZONE), 0, 2)
    journal.entry(dt.datetime(2024, 5, 10, 7, 0, tzinfo=ZONE), None, 2)  # no feeling before
    journal.entry(dt.datetime(2024, 5, 11, 7, 0, tzinfo=ZONE), 0, 5, draft=True)
    assert journal.service.insights() == []

    journal.entry(dt.datetime(2024, 5, 12, 18, 0, tzinfo=ZONE), 1, 2)

    [overall] = journal.service.insights()
    assert overall.text == "Across 5 runs your feeling rose by 1.8 on average from before to after."

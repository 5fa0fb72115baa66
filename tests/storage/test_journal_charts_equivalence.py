"""The Charts tab's data, read and worked out the fast way (``JournalService.charts``: one query for the rows, one
for all their tags, one for all their device figures, each start put on the local clock once; ``weekly_minutes``
from the starts and durations alone), is exactly what the straightforward way gives: every entry the list shows
for the same filter, read one by one with plain SQL, each start converted with ``astimezone``, and the insights
made from those.

A real SQLite file with a varied journal: runs on both sides of daylight-saving changes in several zones (a
30-minute change on Lord Howe Island, Newfoundland's half-hour offset, and the system's own zone through TZ),
drafts, check-ins only, runs without a reflection, runs logged by hand, stopped runs, a run in progress, tags
and session kinds, device figures with heart rate and distance, with only one of them, and none. Every filter
of the Journal screen, and one that matches nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
from collections.abc import Iterator
from typing import Literal
from zoneinfo import ZoneInfo

import pytest

from runcompanion.core.device_insights import MeasuredRun, device_insights
from runcompanion.core.insights import Insight, MoodSample, insights
from runcompanion.services.devices.run_metrics import RunFigures, SegmentFigures
from runcompanion.services.journal_service import ChartPoint, JournalService, WeekMinutes
from runcompanion.services.run_figures_service import RunFiguresService
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import CheckIn, JournalEntry, JournalFilter, ManualRun, ReflectionInput
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.run_figures_repository import RunFiguresRepository
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.run_sample_repository import RunSampleRepository

_UTC = dt.UTC
# Instants (UTC) at which clocks change: Berlin and New York, spring and autumn 2026; St John's (Newfoundland,
# UTC-3:30) in spring; Lord Howe Island, whose clocks move by 30 minutes, in April and October.
_CHANGES = [
    dt.datetime(2026, 3, 29, 1, 0, tzinfo=_UTC),
    dt.datetime(2026, 10, 25, 1, 0, tzinfo=_UTC),
    dt.datetime(2026, 3, 8, 7, 0, tzinfo=_UTC),
    dt.datetime(2026, 11, 1, 6, 0, tzinfo=_UTC),
    dt.datetime(2026, 3, 8, 5, 30, tzinfo=_UTC),
    dt.datetime(2026, 4, 4, 15, 0, tzinfo=_UTC),
    dt.datetime(2026, 10, 3, 15, 30, tzinfo=_UTC),
]
_AROUND = [dt.timedelta(minutes=m) for m in (-61, -31, -1, 0, 1, 29, 59)]
_SESSIONS = [
    ("easy-30", "Easy 30", ("easy",)),
    ("intervals-8x1", "Intervals", ("intervals", "hard")),
    ("mindful-20", "Mindful 20", ("mindful", "easy")),
    ("long-60", "Long run", ("long",)),
]
_TAGS = ["rain", "tired", "music", "friends", "morning light"]
_ZONES: list[dt.tzinfo | None] = [
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/St_Johns"),
    ZoneInfo("Australia/Lord_Howe"),
    dt.timezone(dt.timedelta(hours=-7), "fixed"),
    None,  # the system's zone, set through TZ below
]


def _fill(database: Database, count: int) -> None:
    rng = random.Random(20261206)
    runs = RunRepository(database)
    journal = JournalService(ReflectionRepository(database), JournalQueries(database))
    figures = RunFiguresService(RunFiguresRepository(database), RunSampleRepository(database))
    starts = [change + shift for change in _CHANGES for shift in _AROUND]
    first = dt.datetime(2025, 11, 1, 5, tzinfo=_UTC)
    starts += [first + dt.timedelta(hours=rng.randrange(24 * 400)) for _ in range(count - len(starts))]
    for i, started in enumerate(starts):
        session_id, name, kinds = rng.choice(_SESSIONS)
        if i % 23 == 0:
            manual = ManualRun(started_at=started, elapsed_s=1500.0, session_name="Run outside")
            reflection = ReflectionInput(feeling_after=rng.randint(-2, 5), effort=rng.randint(0, 10), text="park")
            journal.log_manual_run(manual, reflection, check_in=CheckIn(rng.randint(-3, 3)))
            continue
        run = runs.start(session_id, name, kinds, 1800.0, i, None, "app", started)
        if i % 41 == 0:
            continue  # still in progress: never an entry
        status: Literal["finished", "stopped"] = "stopped" if i % 13 == 0 else "finished"
        elapsed = float(rng.randrange(600, 3600))
        runs.finish(run.id, status, elapsed, 2, 3, [], started + dt.timedelta(seconds=elapsed))
        shape = rng.random()
        before = None if rng.random() < 0.1 else rng.randint(-5, 5)
        tags = tuple(rng.sample(_TAGS, rng.randint(0, 3)))
        reflection = ReflectionInput(
            feeling_after=max(-5, min(5, (before or 0) + rng.randint(-2, 4))),
            effort=None if rng.random() < 0.1 else rng.randint(0, 10),
            text=rng.choice(["calm", "hard going", "sunny and calm", ""]),
            tags=tags,
        )
        if shape < 0.08:
            pass  # no reflection at all
        elif shape < 0.14:
            journal.check_in(run.id, before)  # checked in, nothing after
        elif shape < 0.22:
            journal.save_draft(run.id, reflection, check_in=CheckIn(before))
        else:
            journal.complete(run.id, reflection, check_in=CheckIn(before))
        measured = rng.random()
        if measured < 0.45:
            heart = rng.randint(110, 175) if measured < 0.35 else None
            distance = float(rng.randrange(2000, 12000)) if measured > 0.1 else None
            segments = (SegmentFigures(0, distance, 9.5, 1.0),) if distance and measured > 0.3 else ()
            found = RunFigures(distance, heart, None if heart is None else heart + 15, None, segments)
            figures.record(run.id, found, devices="Test treadmill", zone_max_heart_rate=None)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with Database.open(tmp_path_factory.mktemp("charts") / "journal.sqlite3") as opened:
        _fill(opened, 360)
        yield opened


@pytest.fixture
def system_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The system's zone is America/New_York for ``zone=None`` (DST changes of its own)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


NOW = dt.datetime(2026, 11, 4, 12, tzinfo=_UTC)  # the weekly minutes' last 60 weeks hold every clock change above


def _service(database: Database, zone: dt.tzinfo | None) -> JournalService:
    figures = RunFiguresRepository(database)
    return JournalService(
        ReflectionRepository(database),
        JournalQueries(database),
        zone=zone,
        measured=figures.for_runs,
        now=lambda: NOW,
    )


def _straightforward_weeks(service: JournalService, zone: dt.tzinfo | None, weeks: int) -> list[WeekMinutes]:
    """Every entry, oldest first, in the week (Monday to Sunday) of its local day, if that is one of the last."""

    def local(instant: dt.datetime) -> dt.datetime:
        return instant.astimezone(zone) if zone is not None else instant.astimezone()

    today = local(NOW).date()
    first = today - dt.timedelta(days=today.weekday(), weeks=weeks - 1)
    totals = {first + dt.timedelta(weeks=i): [0.0, 0] for i in range(weeks)}
    page = service.entries(limit=1000)
    assert page.total <= 1000
    for entry in reversed(page.entries):
        day = local(entry.run.started_at).date()
        week = totals.get(day - dt.timedelta(days=day.weekday()))
        if week is not None:
            week[0] += entry.run.elapsed_s / 60
            week[1] += 1
    return [WeekMinutes(monday, minutes, int(runs)) for monday, (minutes, runs) in totals.items()]


def _straightforward(
    database: Database, service: JournalService, journal_filter: JournalFilter, zone: dt.tzinfo | None
) -> tuple[list[ChartPoint], list[Insight], dict[int, tuple[object, ...]]]:
    """The entries the list shows, oldest first, each read on its own with plain SQL and converted on its own."""
    entries: list[JournalEntry] = []
    offset = 0
    while True:
        page = service.entries(journal_filter, limit=1000, offset=offset)
        entries += page.entries
        offset += len(page.entries)
        if offset >= page.total:
            break
    ids = [entry.run.id for entry in reversed(entries)]  # the list is newest first, the charts oldest first
    points: list[ChartPoint] = []
    samples: list[MoodSample] = []
    measured_runs: list[MeasuredRun] = []
    figures: dict[int, tuple[object, ...]] = {}
    with sqlite3.connect(database.path) as raw:
        for run_id in ids:
            started_text, session_id, session_tags, elapsed, reflection_id, before, after, effort, draft = raw.execute(
                "SELECT r.started_at, r.session_id, r.session_tags, r.elapsed_s, f.id, f.feeling_before, "
                "f.feeling_after, f.effort, f.is_draft FROM runs r LEFT JOIN reflections f ON f.run_id = r.id "
                "WHERE r.id = ?",
                (run_id,),
            ).fetchone()
            tags = tuple(
                tag
                for (tag,) in raw.execute(
                    "SELECT tag FROM reflection_tags WHERE reflection_id = ? ORDER BY tag", (reflection_id,)
                )
            )
            kinds = tuple(session_tags.split(",")) if session_tags else ()
            started = dt.datetime.fromisoformat(started_text)
            local = started.astimezone(zone) if zone is not None else started.astimezone()
            points.append(
                ChartPoint(run_id, local.date(), local.hour, session_id, kinds, tags, elapsed, before, after, effort)
            )
            finished = reflection_id is not None and not draft
            if finished and before is not None and after is not None:
                samples.append(MoodSample(local, before, after, effort, kinds, tags))
            row = raw.execute(
                "SELECT avg_heart_rate, distance_m, max_heart_rate, "
                "(SELECT count(*) FROM run_segment_figures s WHERE s.run_id = f.run_id) "
                "FROM run_figures f WHERE run_id = ?",
                (run_id,),
            ).fetchone()
            if row is not None:
                figures[run_id] = row
                measured_runs.append(
                    MeasuredRun(started, row[0], row[1], before if finished else None, after if finished else None)
                )
    return points, insights(samples) + device_insights(measured_runs), figures


def _filters(service: JournalService) -> list[JournalFilter]:
    return [
        JournalFilter(),
        service.make_filter(first_day=dt.date(2026, 3, 1), last_day=dt.date(2026, 10, 31)),
        service.make_filter(first_day=dt.date(2026, 3, 29), last_day=dt.date(2026, 3, 29)),  # a day of 23 hours
        service.make_filter(tag="rain"),
        service.make_filter(session_id="intervals-8x1"),
        service.make_filter(text="calm"),
        service.make_filter(min_lift=1),
        service.make_filter(max_lift=0),
        service.make_filter(drafts_only=True),
        service.make_filter(text="nothing-like-this"),
    ]


def _assert_same(
    database: Database, service: JournalService, journal_filter: JournalFilter, zone: dt.tzinfo | None
) -> None:
    points, found, figures = service.charts(journal_filter)
    expected_points, expected_insights, expected_figures = _straightforward(database, service, journal_filter, zone)
    assert points == expected_points, journal_filter
    assert found == expected_insights, journal_filter
    assert service.chart_points(journal_filter) == expected_points, journal_filter
    got = {run_id: (f.avg_heart_rate, f.distance_m, f.max_heart_rate, len(f.segments)) for run_id, f in figures.items()}
    assert got == expected_figures, journal_filter


@pytest.mark.parametrize("zone", _ZONES, ids=lambda zone: str(zone) if zone is not None else "system")
@pytest.mark.usefixtures("system_zone")
def test_in_every_zone_the_charts_are_exactly_the_straightforward_computation(
    database: Database, zone: dt.tzinfo | None
) -> None:
    service = _service(database, zone)
    for journal_filter in _filters(service)[:3]:  # everything, and local days across the clock changes
        _assert_same(database, service, journal_filter, zone)
    weeks = service.weekly_minutes(60)
    assert weeks == _straightforward_weeks(service, zone, 60)
    assert sum(week.runs for week in weeks) > 300


def test_with_every_filter_the_charts_are_exactly_the_straightforward_computation(database: Database) -> None:
    zone = ZoneInfo("Europe/Berlin")
    service = _service(database, zone)
    for journal_filter in _filters(service)[3:]:
        _assert_same(database, service, journal_filter, zone)
    everything = JournalFilter()
    assert service.insights(everything) == _straightforward(database, service, everything, zone)[1]


@pytest.mark.usefixtures("system_zone")
def test_the_comparison_covers_what_it_claims(database: Database) -> None:
    # The journal above has what the equivalence needs to mean something: every kind of insight, figures of
    # every shape, starts on both sides of each change, and a filter that matches nothing.
    berlin = _service(database, ZoneInfo("Europe/Berlin"))
    points, found, figures = berlin.charts()
    assert {i.kind for i in found} >= {"overall", "time_of_day", "session_kind", "tag", "effort", "heart_rate"}
    assert {"distance", "distance_trend"} <= {i.kind for i in found}
    assert any(f.avg_heart_rate is None for f in figures.values())
    assert any(f.distance_m is None for f in figures.values())
    assert len(figures) < len(points)
    hours = {(p.local_date, p.hour) for p in points if p.local_date == dt.date(2026, 3, 29)}
    assert (dt.date(2026, 3, 29), 1) in hours  # 02:00 never happened that night
    assert (dt.date(2026, 3, 29), 3) in hours
    assert berlin.charts(berlin.make_filter(text="nothing-like-this")) == ([], [], {})
    assert len(points) > 300
    assert any(p.feeling_after is None for p in points)
    assert any(p.feeling_before is None for p in points)


def test_the_ids_go_to_sqlite_in_one_statement_however_many(database: Database) -> None:
    # The figures and tags of thousands of runs are asked for with one parameter each, past SQLite's old cap of
    # 999 parameters a statement (unknown ids, repeated ids and the empty list included).
    figures = RunFiguresRepository(database)
    everything = figures.for_runs(range(1, 5000))
    assert everything == figures.for_runs([*range(5000, 1, -1), 1, 1, 10**9])
    assert len(everything) > 100
    assert figures.for_runs([]) == {}
    some = sorted(everything)[:3]
    assert figures.for_runs(some) == {run_id: everything[run_id] for run_id in some}

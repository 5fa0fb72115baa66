"""The journal's insights include what the devices measured, from a real SQLite file, once there are enough runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest

from runcompanion.paths import resolve_paths
from runcompanion.services.composition import Services, build_services
from runcompanion.services.devices.run_metrics import RunFigures
from runcompanion.services.journal_service import JournalService
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import CheckIn, ReflectionInput
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.run_figures_repository import RunFiguresRecord
from runcompanion.storage.run_repository import RunRepository


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(resolve_paths(tmp_path / "home", env={}))
    yield built
    built.close()


def _run(services: Services, day: int, heart: int, lift: int) -> None:
    runs = RunRepository(services.database)
    started = dt.datetime(2026, 1, 1, 7, tzinfo=dt.UTC) + dt.timedelta(days=day)
    record = runs.start("easy-30", "Easy 30", (), 1800.0, 1, None, "app", started)
    runs.finish(record.id, "finished", 1800.0, 2, 3, [], started + dt.timedelta(minutes=30))
    services.journal.complete(record.id, ReflectionInput(feeling_after=lift, effort=4, text="ran"), check_in=CheckIn(0))
    figures = RunFigures(4000.0, heart, heart + 20, None, ())
    services.run_figures.record(record.id, figures, devices="Simulated treadmill", zone_max_heart_rate=None)


def _heart_sentences(services: Services) -> list[str]:
    return [i.text for i in services.journal.insights() if i.kind == "heart_rate"]


def test_heart_rate_insight_appears_at_five_runs_a_side_and_not_before(services: Services) -> None:
    for day in range(5):
        _run(services, day, 150 + day, 3)
    for day in range(4):
        _run(services, 5 + day, 120 + day, 1)
    assert _heart_sentences(services) == []  # 9 runs: one side has only 4
    _run(services, 9, 124, 1)
    [sentence] = _heart_sentences(services)
    assert sentence.startswith("After runs with a higher average heart rate (above 137 bpm) your feeling rose by 3.0")
    assert "(5 runs); after runs at 137 bpm or lower it rose by 1.0 (5 runs)" in sentence


def test_the_charts_read_the_figures_once_and_hand_them_over(services: Services) -> None:
    # The Charts tab read the figures of every run twice: for the insights, then for the charts.
    for day in range(10):
        _run(services, day, 120 + 5 * day, 1 + day % 3)
    asked: list[int] = []
    read = services.run_figures.for_runs

    def counted(run_ids: Iterable[int]) -> Mapping[int, RunFiguresRecord]:
        asked.append(1)
        return read(run_ids)

    database = services.database
    journal = JournalService(ReflectionRepository(database), JournalQueries(database), measured=counted)
    points, insights, figures = journal.charts()

    assert len(asked) == 1
    assert sorted(figures) == sorted(p.run_id for p in points)
    assert {f.avg_heart_rate for f in figures.values()} == {120 + 5 * day for day in range(10)}
    assert any(i.kind == "heart_rate" for i in insights)

"""The journal's insights include what the devices measured, from a real SQLite file, once there are enough runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from runcompanion.paths import resolve_paths
from runcompanion.services.composition import Services, build_services
from runcompanion.services.devices.run_metrics import RunFigures
from runcompanion.storage.records import CheckIn, ReflectionInput
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

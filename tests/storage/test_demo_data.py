"""The demo data (scripts/demo_data.py, behind the screenshots and the layout check): its treadmill runs carry
device figures and samples a real run could have recorded, and adding them changed none of the demo's runs or
reflections, which the screenshots and the layout check rely on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from runcompanion.core.run_samples import check_samples
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.services.journal_json_reader import read_archive
from runcompanion.storage.archive_records import ArchivedRun

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture
def scripts() -> Iterator[tuple[ModuleType, ModuleType]]:
    sys.path.insert(0, str(SCRIPTS))
    try:
        import demo_data
        import demo_devices

        yield demo_data, demo_devices
    finally:
        sys.path.remove(str(SCRIPTS))


def _archive(home: Path, out: Path) -> tuple[ArchivedRun, ...]:
    """The demo's journal as its JSON backup, read back by the importer's own checks."""
    services = build_services(resolve_paths(home, env={}))
    try:
        services.journal_transfer.export("json", out)
    finally:
        services.close()
    return read_archive(out).runs


def test_treadmill_runs_have_plausible_figures_and_samples(
    scripts: tuple[ModuleType, ModuleType], tmp_path: Path
) -> None:
    demo_data, _ = scripts
    demo_data.main(tmp_path / "home")
    runs = _archive(tmp_path / "home", tmp_path / "backup.json")  # refuses any implausible figure or sample
    outdoors = [r for r in runs if r.reflection is not None and "outdoors" in r.reflection.tags]
    measured = [r for r in runs if r not in outdoors]
    assert len(measured) >= 10
    for run in outdoors:
        assert run.figures is None
        assert run.samples == ()
    for run in measured:
        assert run.figures is not None
        assert run.figures.avg_heart_rate is not None
        check_samples(run.samples)
        assert run.samples[-1].elapsed_s == pytest.approx(run.elapsed_s, abs=5.0)
        speeds = [s.speed_kmh for s in run.samples if s.speed_kmh is not None]
        hearts = [s.heart_rate for s in run.samples if s.heart_rate is not None]
        assert min(speeds) >= 3.0
        assert max(speeds) <= 14.0
        assert min(hearts) >= 50
        assert max(hearts) <= 186
        assert run.figures.max_heart_rate == max(hearts)
        assert run.figures.distance_m == pytest.approx(run.samples[-1].distance_m, abs=1.0)
        assert run.figures.zone_s is not None
        assert sum(run.figures.zone_s) <= run.elapsed_s + 5.0


def test_the_charts_tab_has_device_insights(scripts: tuple[ModuleType, ModuleType], tmp_path: Path) -> None:
    demo_data, _ = scripts
    demo_data.main(tmp_path / "home")
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        texts = [insight.text for insight in services.journal.insights()]
    finally:
        services.close()
    assert any("heart rate" in t for t in texts), texts
    assert any("longer runs on the treadmill" in t for t in texts), texts


EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _without_devices(run: ArchivedRun, first_start: dt.datetime) -> ArchivedRun:
    """The run as the demo made it before it had devices. Times count from the demo's first run, so two demos
    built an hour apart still compare; the reflection's writing time (the clock's now) is left out."""
    reflection = run.reflection
    if reflection is not None:
        reflection = dataclasses.replace(reflection, created_at=EPOCH, updated_at=EPOCH)
    return dataclasses.replace(
        run,
        figures=None,
        samples=(),
        reflection=reflection,
        started_at=EPOCH + (run.started_at - first_start),
        ended_at=None if run.ended_at is None else EPOCH + (run.ended_at - first_start),
        checkpoint_at=None if run.checkpoint_at is None else EPOCH + (run.checkpoint_at - first_start),
    )


def test_device_data_leaves_every_run_and_reflection_as_it_was(
    scripts: tuple[ModuleType, ModuleType], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_data, demo_devices = scripts
    demo_data.main(tmp_path / "with")
    monkeypatch.setattr(demo_devices, "add_run", lambda *args: None)
    demo_data.main(tmp_path / "without")
    with_devices = _archive(tmp_path / "with", tmp_path / "with.json")
    without = _archive(tmp_path / "without", tmp_path / "without.json")
    assert any(r.samples for r in with_devices)
    assert not any(r.samples for r in without)
    assert len(with_devices) == len(without) > 10
    assert [_without_devices(r, with_devices[0].started_at) for r in with_devices] == [
        _without_devices(r, without[0].started_at) for r in without
    ]

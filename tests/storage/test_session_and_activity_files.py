"""Sessions in and out as .toml/.zwo/.fit and runs out as FIT/TCX, through the services on a real SQLite file:
nothing is stored when a file is bad, nothing is written over what the app did not create, and what is written
decodes with the official FIT SDK and an independent TCX reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from garmin_fit_sdk import Decoder, Stream
from tcxreader.tcxreader import TCXReader

from runcompanion.core.errors import UserError
from runcompanion.core.run_samples import RunSample
from runcompanion.core.session_files import parse_session_toml
from runcompanion.services.activity_export import ActivityExport
from runcompanion.services.journal_service import JournalService
from runcompanion.services.run_figures_service import RunFiguresService
from runcompanion.services.session_catalog import SessionCatalog
from runcompanion.services.session_transfer import SessionTransfer
from runcompanion.services.settings_service import SettingsService
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import ReflectionInput
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.run_figures_repository import RunFiguresRecord, RunFiguresRepository, SegmentFiguresRecord
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.run_sample_repository import RunSampleRepository
from runcompanion.storage.session_repository import SessionRepository
from runcompanion.storage.settings_repository import SettingsRepository

ZWO = Path(__file__).parent.parent / "fixtures" / "zwo"
BUILTIN = (
    "easy.toml",
    b'id = "easy"\nname = "Easy"\n[[segments]]\nkind = "warmup"\nduration = 60\nspeed_kmh = 6.0\n'
    b'[[segments]]\nkind = "run"\nduration = 120\nspeed_kmh = 9.0\n',
)


def _transfer(database: Database) -> tuple[SessionTransfer, SessionCatalog, SettingsService]:
    catalog = SessionCatalog([BUILTIN], SessionRepository(database))
    settings = SettingsService(SettingsRepository(database))
    return SessionTransfer(catalog, settings, now=lambda: dt.datetime(2026, 3, 1, tzinfo=dt.UTC)), catalog, settings


def test_a_zwo_import_uses_the_runners_pace_and_says_so(database: Database) -> None:
    transfer, catalog, settings = _transfer(database)
    settings.save(settings.load().with_changes(reference_pace_s=270))
    result = transfer.import_file(ZWO / "tempo-intervals.zwo")
    assert "your 5 km pace, 4:30 per km" in result.message
    assert result.message.startswith("Imported “Tempo 5 x 3 min” as tempo-5-x-3-min, from a Zwift run workout.")
    stored = catalog.get("tempo-5-x-3-min")
    assert stored == result.plan
    assert stored.repeats[0].times == 5


def test_bad_files_store_nothing(database: Database, tmp_path: Path) -> None:
    transfer, catalog, _ = _transfer(database)
    for name in ("bad-bike.zwo", "bad-entities.zwo", "bad-external.zwo"):
        with pytest.raises(UserError) as caught:
            transfer.import_file(ZWO / name)
        assert str(caught.value).startswith(f"{name}: ")
    broken = tmp_path / "broken.fit"
    broken.write_bytes(b"\x0e\x10" + b"\x00" * 40)
    with pytest.raises(UserError):
        transfer.import_file(broken)
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(UserError) as caught:
        transfer.import_file(other)
    assert str(caught.value).startswith("notes.txt: ")  # read as TOML, as any other name is
    assert catalog.own() == []


@pytest.mark.parametrize("suffix", [".toml", ".zwo", ".fit"])
def test_export_and_import_again_in_every_format(database: Database, tmp_path: Path, suffix: str) -> None:
    transfer, catalog, _ = _transfer(database)
    out = tmp_path / f"easy{suffix}"
    message = transfer.export_file("easy", out)
    assert message.startswith(f"Wrote {out}")
    again = transfer.read(out).plan
    assert [(s.kind, s.duration_s, s.speed_kmh) for s in again.segments] == [
        (s.kind, s.duration_s, s.speed_kmh) for s in catalog.get("easy").segments
    ]


def test_export_refuses_a_folder_and_leaves_it(database: Database, tmp_path: Path) -> None:
    transfer, _, _ = _transfer(database)
    folder = tmp_path / "taken.zwo"
    folder.mkdir()
    with pytest.raises(UserError):
        transfer.export_file("easy", folder)
    assert folder.is_dir()


PLAN_TOML = """
name = "Intervals"
id = "intervals-x"
[[segments]]
kind = "warmup"
duration = 60
speed_kmh = 6.0
[[segments]]
repeat = 2
segments = [{ kind = "run", duration = 30, speed_kmh = 12.0 }, { kind = "walk", duration = 30, speed_kmh = 5.0 }]
"""


def _run(database: Database, catalog: SessionCatalog, *, finished: bool) -> int:
    plan = catalog.add_own(parse_session_toml(PLAN_TOML, "plan.toml"), "plan.toml")
    runs = RunRepository(database)
    start = dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
    run = runs.start(plan.id, plan.name, plan.tags, plan.total_s, 1, started_at=start)
    if finished:
        log = [
            {"index": i, "kind": s.kind.value, "planned_s": s.duration_s, "actual_s": s.duration_s, "skipped": False}
            for i, s in enumerate(plan.segments)
        ]
        runs.finish(run.id, "finished", plan.total_s, len(plan.segments) - 1, len(plan.segments), log)
        ReflectionRepository(database).save(
            run.id, ReflectionInput(text="Light legs.", distance_km=0.5, feeling_after=4), draft=False
        )
    else:
        runs.checkpoint(run.id, 100.0, 2, 2)
        runs.mark_interrupted()
    return run.id


@pytest.mark.parametrize("finished", [True, False])
def test_a_run_exports_to_fit_and_tcx(database: Database, tmp_path: Path, finished: bool) -> None:
    _, catalog, _ = _transfer(database)
    run_id = _run(database, catalog, finished=finished)
    journal = JournalService(ReflectionRepository(database), JournalQueries(database))
    export = ActivityExport(journal, catalog)
    record = RunRepository(database).get(run_id)
    assert record is not None
    fit = export.export(run_id, "fit", tmp_path / "run.fit")
    messages, errors = Decoder(Stream.from_byte_array(bytearray(fit.read_bytes()))).read()
    assert errors == []
    laps = messages["lap_mesgs"]
    if finished:
        assert [lap["total_timer_time"] for lap in laps] == pytest.approx([60.0, 30.0, 30.0, 30.0, 30.0])
        assert messages["session_mesgs"][0]["total_distance"] == pytest.approx(500.0)
    else:
        assert [lap["total_timer_time"] for lap in laps] == pytest.approx([60.0, 30.0, 10.0])
    assert messages["session_mesgs"][0]["total_timer_time"] == pytest.approx(record.elapsed_s)
    tcx = export.export(run_id, "tcx", tmp_path / "run.tcx")
    exercise = TCXReader().read(str(tcx), only_gps=False)
    assert len(exercise.laps) == len(laps)
    assert exercise.activity_type == "Running"


def test_several_runs_to_a_folder(database: Database, tmp_path: Path) -> None:
    _, catalog, _ = _transfer(database)
    first = _run(database, catalog, finished=True)
    catalog.delete_own("intervals-x")
    second = _run(database, catalog, finished=True)
    export = ActivityExport(JournalService(ReflectionRepository(database), JournalQueries(database)), catalog)
    written = export.export_many([first, second], "tcx", tmp_path)
    assert [p.name for p in written] == [f"run-{first}-2026-03-01.tcx", f"run-{second}-2026-03-01.tcx"]
    with pytest.raises(UserError):
        export.export_many([first, 999], "fit", tmp_path)
    assert not list(tmp_path.glob("*.fit"))  # every run is checked before the first file is written


def test_the_treadmills_distance_goes_into_the_activity(database: Database, tmp_path: Path) -> None:
    _, catalog, _ = _transfer(database)
    run_id = _run(database, catalog, finished=True)  # the runner typed 0.5 km
    figures = RunFiguresRepository(database)
    figures.save(
        RunFiguresRecord(
            run_id,
            612.0,
            138,
            161,
            None,
            None,
            "Simulated treadmill",
            tuple(SegmentFiguresRecord(i, d, None, None) for i, d in enumerate((101.0, 99.0, 41.0, 100.0, 271.0))),
        )
    )
    journal = JournalService(ReflectionRepository(database), JournalQueries(database))
    export = ActivityExport(journal, catalog, RunFiguresService(figures, RunSampleRepository(database)))
    fit = export.export(run_id, "fit", tmp_path / "run.fit")
    messages, errors = Decoder(Stream.from_byte_array(bytearray(fit.read_bytes()))).read()
    assert errors == []
    assert [lap["total_distance"] for lap in messages["lap_mesgs"]] == pytest.approx([101, 99, 41, 100, 271])
    assert messages["session_mesgs"][0]["total_distance"] == pytest.approx(612.0)


def test_the_runs_samples_give_the_records_heart_rate_and_belt_speed(database: Database, tmp_path: Path) -> None:
    _, catalog, _ = _transfer(database)
    run_id = _run(database, catalog, finished=True)  # 180 s of running, no pause
    # a strap that lost contact from 100 to 130 s: those samples have the belt only
    samples = tuple(
        RunSample(float(t), 8.0 + t / 100, 1.0, t * 2.3, None if 100 <= t <= 130 else 90 + t // 5)
        for t in range(5, 181, 5)
    )
    RunSampleRepository(database).append(run_id, samples)
    journal = JournalService(ReflectionRepository(database), JournalQueries(database))
    figures = RunFiguresService(RunFiguresRepository(database), RunSampleRepository(database))
    export = ActivityExport(journal, catalog, figures)

    fit = export.export(run_id, "fit", tmp_path / "run.fit")
    messages, errors = Decoder(Stream.from_byte_array(bytearray(fit.read_bytes()))).read()
    assert errors == []
    stamps = [r["timestamp"] for r in messages["record_mesgs"]]
    assert all(isinstance(stamp, dt.datetime) for stamp in stamps)
    by_second = {
        round((stamp - stamps[0]).total_seconds()): r  # type: ignore[operator, union-attr]
        for stamp, r in zip(stamps, messages["record_mesgs"], strict=True)
    }
    assert by_second[60]["heart_rate"] == 102
    assert by_second[60]["speed"] == pytest.approx(8.6 / 3.6, abs=0.002)
    assert "heart_rate" not in by_second[115]  # no beat in the file where the strap had none
    assert by_second[180]["heart_rate"] == 126

    tcx = export.export(run_id, "tcx", tmp_path / "run.tcx")
    exercise = TCXReader().read(str(tcx), only_gps=False)
    points = [point for lap in exercise.laps for point in lap.trackpoints]
    hearts = {round((p.time - points[0].time).total_seconds()): p.hr_value for p in points}
    assert hearts[60] == 102
    assert hearts[115] is None
    assert exercise.hr_max == 126

"""Calendar export: the .ics file, parsed back with icalendar, says what the plan says, and UIDs stay put."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from icalendar import Alarm, Calendar, Event

from runcompanion.core.errors import UserError
from runcompanion.core.programs import ProgramLibrary
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.units import SpeedUnit
from runcompanion.paths import resource_files
from runcompanion.services.calendar_export import build_calendar, describe_session
from runcompanion.services.plan_service import PlanService
from runcompanion.storage.database import Database
from runcompanion.storage.schedule_repository import ScheduleRepository

PROGRAMS = ProgramLibrary.from_files(resource_files("programs", ".toml"))
NOW = dt.datetime(2025, 3, 1, 9, 0)
STAMP = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)


def _no_own_sessions(session_id: str) -> SessionPlan:
    raise UserError(f"There is no session called '{session_id}'.")


@pytest.fixture
def service(database: Database, clock: Callable[[], dt.datetime]) -> PlanService:
    # Real random UIDs, as the app makes them.
    return PlanService(
        ScheduleRepository(database, now=clock), PROGRAMS, _no_own_sessions, now=lambda: NOW, stamp=lambda: STAMP
    )


def _events(path: Path) -> list[Event]:
    calendar = Calendar.from_ical(path.read_bytes())
    return calendar.events


def test_one_event_per_planned_run_with_name_time_length_description_and_alarm(
    service: PlanService, tmp_path: Path
) -> None:
    runs = service.enrol("c25k", dt.date(2025, 3, 3), ["mon", "wed", "sat"], dt.time(7, 0)).runs
    service.skip(runs[1].id)
    out = tmp_path / "plan.ics"

    assert service.export_ics(out) == 26
    events = _events(out)
    assert len(events) == 26
    first = events[0]
    assert str(first["SUMMARY"]) == "Couch to 5K · Week 1 · Run 1"
    assert first.start == dt.datetime(2025, 3, 3, 7, 0)  # floating local time: no zone
    assert isinstance(first.start, dt.datetime)
    assert first.start.tzinfo is None
    assert first.end - first.start == dt.timedelta(minutes=30)
    assert str(first["UID"]) == runs[0].uid
    description = str(first["DESCRIPTION"])
    assert "5:00 Brisk walk, 5.5 km/h" in description
    assert "8 × (1:00 Run, 8.0 km/h; 1:30 Walk, 5.5 km/h)" in description
    assert "5:00 Easy walk, 5.0 km/h" in description
    alarms = first.walk("VALARM")
    assert len(alarms) == 1
    assert isinstance(alarms[0], Alarm)
    assert -dt.timedelta(minutes=15) == alarms[0].TRIGGER
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert runs[1].uid not in {str(e["UID"]) for e in events}  # skipped: not in the calendar

    durations = {str(e["SUMMARY"]): e.end - e.start for e in events}
    assert durations["Couch to 5K · Week 9 · Run 3"] == dt.timedelta(minutes=40)
    assert durations["Couch to 5K · Week 3 · Run 2"] == dt.timedelta(minutes=28)


def test_the_file_is_private_and_written_whole(service: PlanService, tmp_path: Path) -> None:
    service.enrol("small-steps", dt.date(2025, 3, 3), ["mon", "wed", "fri"], dt.time(18, 0))
    folder = tmp_path / "export"
    folder.mkdir()
    out = folder / "plan.ics"
    out.write_text("old contents")
    out.chmod(0o644)
    service.export_ics(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert os.listdir(folder) == ["plan.ics"]  # no temporary file left behind


def test_uids_are_stable_across_exports_and_a_move_changes_only_the_time(service: PlanService, tmp_path: Path) -> None:
    runs = service.enrol("mindful-running", dt.date(2025, 3, 3), ["tue", "thu", "sat"], dt.time(6, 30)).runs
    first, second = tmp_path / "one.ics", tmp_path / "two.ics"
    service.export_ics(first)
    service.export_ics(second)
    uids_one = [str(e["UID"]) for e in _events(first)]
    assert uids_one == [str(e["UID"]) for e in _events(second)]
    assert len(set(uids_one)) == len(uids_one) == 12

    service.move(runs[4].id, dt.datetime(2025, 3, 13, 19, 15))
    third = tmp_path / "three.ics"
    service.export_ics(third)
    by_uid = {str(e["UID"]): e for e in _events(third)}
    assert sorted(by_uid) == sorted(uids_one)
    moved = by_uid[runs[4].uid]
    assert moved.start == dt.datetime(2025, 3, 13, 19, 15)
    assert moved.end - moved.start == dt.timedelta(seconds=runs[4].duration_s)
    unmoved = by_uid[runs[5].uid]
    assert unmoved.start == runs[5].due_at


def test_one_off_runs_of_a_session_that_is_gone_still_export(database: Database, tmp_path: Path) -> None:
    plans = {"gone": dataclasses.replace(PROGRAMS.get("c25k").run(1, 1), id="gone")}

    def lookup(session_id: str) -> SessionPlan:
        if session_id not in plans:
            raise UserError(f"There is no session called '{session_id}'.")
        return plans[session_id]

    service = PlanService(ScheduleRepository(database), PROGRAMS, lookup, now=lambda: NOW, stamp=lambda: STAMP)
    service.schedule_once("gone", dt.datetime(2025, 3, 2, 10, 0))
    del plans["gone"]
    service.schedule_weekly("small-steps-w1-r1", "sun", dt.time(9, 0), weeks=2)
    out = tmp_path / "plan.ics"
    assert service.export_ics(out, reminder=None, unit=SpeedUnit.MPH) == 3
    events = _events(out)
    assert [e.start for e in events] == [
        dt.datetime(2025, 3, 2, 9, 0),
        dt.datetime(2025, 3, 2, 10, 0),
        dt.datetime(2025, 3, 9, 9, 0),
    ]
    assert all(not list(e.walk("VALARM")) for e in events)
    assert "mph" in str(events[0]["DESCRIPTION"])
    assert str(events[1]["DESCRIPTION"]) == "30 min, planned in RunCompanion."


def test_an_export_needs_an_ics_name_and_an_existing_folder(service: PlanService, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"name it with \.ics at the end"):
        service.export_ics(tmp_path / "plan.txt")
    with pytest.raises(UserError, match="no such folder"):
        service.export_ics(tmp_path / "missing" / "plan.ics")
    (tmp_path / "dir.ics").mkdir()
    with pytest.raises(UserError, match="is a folder, not a file"):
        service.export_ics(tmp_path / "dir.ics")


def test_build_calendar_needs_an_aware_stamp() -> None:
    with pytest.raises(ValueError, match="aware"):
        build_calendar([], lambda _id: None, stamp=dt.datetime(2025, 3, 1, 8, 0))
    calendar = build_calendar([], lambda _id: None, stamp=STAMP)
    assert str(calendar["PRODID"]).startswith("-//RunCompanion//")
    assert str(calendar["VERSION"]) == "2.0"


def test_describe_session_folds_repeats_and_names_steep_inclines() -> None:
    plan = PROGRAMS.get("intervals-focus").run(6, 2)
    assert describe_session(plan).splitlines() == [
        "3:00 Warm-up walk, 5.5 km/h",
        "5:00 Easy jog, 8.0 km/h",
        "10 × (0:30 Sprint, 12.5 km/h; 1:15 Easy recovery, 6.0 km/h)",
        "5:00 Easy walk, 5.0 km/h",
    ]
    hills = Segment(SegmentKind.RUN, 120.0, label="Hill", speed_kmh=6.0, incline_pct=6.0)
    assert describe_session(SessionPlan("h", "H", (hills,))) == "2:00 Hill, 6.0 km/h, incline 6%"

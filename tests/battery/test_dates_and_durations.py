"""Zero, negative and absurd durations and dates: refused in words, with nothing written."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from runcompanion.core.errors import UserError
from runcompanion.services.journal_service import JournalService
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import CheckIn, ManualRun, ReflectionInput
from runcompanion.storage.reflection_repository import ReflectionRepository
from tests.battery import Cli, assert_one_line_error, table_contents

NOW = dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)

ENROL_CASES: dict[str, tuple[tuple[str, ...], str]] = {
    "start-in-1900": (("--start", "1900-01-01"), "more than a year ago"),
    "start-in-year-9999": (("--start", "9999-12-31"), "more than two years ahead"),
    "start-year-zero": (("--start", "0000-01-01"), "not a date"),
    "start-february-30": (("--start", "2024-02-30"), "not a date"),
    "start-in-words": (("--start", "next monday"), "not a date"),
    "start-overflowing-digits": (("--start", "99999999999-01-01"), "not a date"),
    "time-25-00": (("--time", "25:00"), "not a time of day"),
    "time-negative": (("--time", "-1:00"), "not a time of day"),
    "no-days": (("--days", ","), "at least one day"),
    "unknown-day": (("--days", "mon,funday,sat"), "funday"),
    "too-few-days": (("--days", "mon"), "at least 3 days"),
}


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli.at(tmp_path_factory.mktemp("dates") / "home")
    cli.ok("history")
    return cli


@pytest.mark.parametrize(("change", "expected"), ENROL_CASES.values(), ids=ENROL_CASES.keys())
def test_an_absurd_enrolment_is_refused(cli: Cli, change: tuple[str, ...], expected: str) -> None:
    options = {"--start": dt.date.today().isoformat(), "--days": "mon,wed,sat", "--time": "07:00"}
    options[change[0]] = change[1]
    before = table_contents(cli.database)

    result = cli.run("plan", "enrol", "c25k", *(f"{option}={value}" for option, value in options.items()))

    assert_one_line_error(result, expected)
    assert table_contents(cli.database) == before
    assert json.loads(cli.ok("plan", "list", "--json"))["enrolments"] == []


# ------------------------------------------------------------------------------------- runs logged by hand


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[JournalService]:
    with Database.open(tmp_path / "runcompanion.sqlite3") as database:
        yield JournalService(ReflectionRepository(database), JournalQueries(database), zone=dt.UTC, now=lambda: NOW)


DURATIONS = {"zero": 0.0, "negative": -60.0, "nan": math.nan, "infinite": math.inf, "a-year": 365 * 86400.0}


@pytest.mark.parametrize("elapsed_s", DURATIONS.values(), ids=DURATIONS.keys())
def test_a_run_logged_by_hand_with_an_absurd_duration_is_refused(journal: JournalService, elapsed_s: float) -> None:
    with pytest.raises(UserError, match="duration") as caught:
        journal.log_manual_run(
            ManualRun(started_at=NOW - dt.timedelta(hours=2), elapsed_s=elapsed_s), ReflectionInput()
        )
    assert "\n" not in str(caught.value)
    assert journal.entries().total == 0


def test_a_run_logged_in_the_future_is_refused(journal: JournalService) -> None:
    with pytest.raises(UserError, match="future"):
        journal.log_manual_run(ManualRun(started_at=NOW + dt.timedelta(days=1), elapsed_s=600.0), ReflectionInput())
    assert journal.entries().total == 0


SCALES = {
    "feeling-after-6": (ReflectionInput(feeling_after=6), None),
    "effort-11": (ReflectionInput(effort=11), None),
    "arousal-0": (ReflectionInput(arousal_after=0), None),
    "distance-negative": (ReflectionInput(distance_km=-1.0), None),
    "distance-nan": (ReflectionInput(distance_km=math.nan), None),
    "distance-absurd": (ReflectionInput(distance_km=1e9), None),
    "feeling-before-minus-6": (ReflectionInput(), CheckIn(feeling=-6)),
}


@pytest.mark.parametrize(("reflection", "check_in"), SCALES.values(), ids=SCALES.keys())
def test_a_value_off_its_scale_is_refused(
    journal: JournalService, reflection: ReflectionInput, check_in: CheckIn | None
) -> None:
    # Scales come from buttons, so a value off one is a programming error (ValueError); a typed distance is
    # the runner's (InvalidReflectionError: a UserError and a ValueError). Either way: one line, nothing saved.
    with pytest.raises(ValueError, match=r"from|distance") as caught:
        journal.log_manual_run(
            ManualRun(started_at=NOW - dt.timedelta(hours=1), elapsed_s=1800.0), reflection, check_in=check_in
        )
    assert "\n" not in str(caught.value)
    assert journal.entries().total == 0

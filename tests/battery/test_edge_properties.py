"""Property tests at the edges: every reader of dates, times and numbers, fed values at the type boundaries.

Each reader starts from a valid document and gets one field replaced by an edge value (year 1, year 9999,
offsets that push past them, huge and negative numbers, NaN, infinity). The property is always the same:
a clean refusal (one ``UserError`` line) or the correct value; never a traceback, and never a change in the
database when it refuses.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runcompanion.core.app_settings import AppSettings
from runcompanion.core.cue_library import parse_cue_pack
from runcompanion.core.errors import UserError
from runcompanion.core.programs import ProgramLibrary, parse_program_toml
from runcompanion.core.session_files import parse_session_toml
from runcompanion.paths import resource_files
from runcompanion.services.journal_transfer import JournalTransfer, parse_archive
from runcompanion.services.plan_service import PlanService
from runcompanion.services.settings_service import SettingsService
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.schedule_repository import ScheduleRepository
from runcompanion.storage.settings_repository import SettingsRepository
from tests.battery import TABLES, table_contents

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
FEWER = settings(SETTINGS, max_examples=60)

EDGE_INTS = st.sampled_from([0, -1, 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 10**400, -(10**400)])
EDGE_FLOATS = st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 1e308, -1e308, math.nan, math.inf, -math.inf, 1e-9])
EDGE_NUMBERS = EDGE_INTS | EDGE_FLOATS | st.integers() | st.floats()
YEARS = st.sampled_from([1, 2, 1899, 1900, 1970, 2024, 2199, 2200, 9998, 9999]) | st.integers(1, 9999)


@st.composite
def edge_datetimes(draw: st.DrawFn, *, with_offset: bool = True) -> str:
    """ISO 8601 text for a moment near the calendar's ends, with an offset that may push it past them."""
    year = draw(YEARS)
    month = draw(st.sampled_from([1, 12]) | st.integers(1, 12))
    day = draw(st.sampled_from([1, 28]) | st.integers(1, 28)) if month != 12 else draw(st.sampled_from([1, 31]))
    hour = draw(st.sampled_from([0, 23]) | st.integers(0, 23))
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{draw(st.integers(0, 59)):02d}:00"
    if not with_offset:
        return text
    minutes = draw(st.sampled_from([0, 1439, -1439, 60, -60, 330]) | st.integers(-1439, 1439))
    sign = "+" if minutes >= 0 else "-"
    return f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@st.composite
def edge_dates(draw: st.DrawFn) -> str:
    return draw(edge_datetimes(with_offset=False))[:10]


def _one_line(error: UserError) -> None:
    message = str(error)
    assert message.strip(), "an empty message"
    assert "\n" not in message, message


# ----------------------------------------------------------------------------------------- journal import

ARCHIVE: dict[str, Any] = {
    "format": "runcompanion-journal",
    "version": 1,
    "runs": [
        {
            "started_at": "2024-05-06T07:30:00+00:00",
            "session_id": "easy-30",
            "source": "app",
            "session_name": "Easy 30",
            "planned_s": 1800,
            "status": "finished",
            "ended_at": "2024-05-06T08:00:00+00:00",
            "elapsed_s": 1800,
            "reflection": {
                "feeling_after": 3,
                "effort": 4,
                "distance_km": 5.0,
                "text": "Steady.",
                "draft": False,
                "created_at": "2024-05-06T08:01:00+00:00",
                "updated_at": "2024-05-06T08:02:00+00:00",
            },
        }
    ],
    "enrolments": [
        {
            "program_id": "c25k",
            "start_date": "2024-05-06",
            "days": ["mon", "wed", "sat"],
            "time": "07:00",
            "status": "active",
            "created_at": "2024-05-05T10:00:00+00:00",
        }
    ],
    "scheduled_runs": [
        {
            "uid": "edge-1@runcompanion",
            "session_id": "easy-30",
            "due_at": "2024-05-08T07:00:00",
            "duration_s": 1800,
            "status": "planned",
            "created_at": "2024-05-05T10:00:00+00:00",
        }
    ],
}

INSTANT_FIELDS = [
    ("runs", 0, "started_at"),
    ("runs", 0, "ended_at"),
    ("runs", 0, "reflection", "created_at"),
    ("enrolments", 0, "created_at"),
    ("scheduled_runs", 0, "created_at"),
]
NUMBER_FIELDS = [
    ("runs", 0, "planned_s"),
    ("runs", 0, "elapsed_s"),
    ("runs", 0, "seed"),
    ("runs", 0, "segment_index"),
    ("runs", 0, "reflection", "distance_km"),
    ("runs", 0, "reflection", "effort"),
    ("scheduled_runs", 0, "duration_s"),
    ("scheduled_runs", 0, "week"),
]


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(ARCHIVE)
    node: Any = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return document


def _encode(document: dict[str, Any]) -> bytes:
    # allow_nan: a hostile file may say NaN or Infinity; the reader must refuse them, not the writer here.
    return json.dumps(document, allow_nan=True).encode("utf-8")


@SETTINGS
@given(field=st.sampled_from(INSTANT_FIELDS), value=edge_datetimes())
def test_journal_instants_at_the_calendar_edges(field: tuple[Any, ...], value: str) -> None:
    try:
        archive = parse_archive(_encode(_with(field, value)), "edge.json")
    except UserError as error:
        _one_line(error)
        return
    expected = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    run = archive.runs[0]
    if field[0] == "runs" and field[-1] in ("started_at", "ended_at"):
        assert getattr(run, field[-1]) == expected
    elif field[0] == "runs":
        assert run.reflection is not None
        assert run.reflection.created_at == expected
    elif field[0] == "enrolments":
        assert archive.enrolments[0].created_at == expected
    else:
        assert archive.scheduled_runs[0].created_at == expected


@SETTINGS
@given(value=edge_datetimes(with_offset=False))
def test_journal_due_times_at_the_calendar_edges(value: str) -> None:
    try:
        archive = parse_archive(_encode(_with(("scheduled_runs", 0, "due_at"), value)), "edge.json")
    except UserError as error:
        _one_line(error)
        return
    assert archive.scheduled_runs[0].due_at == dt.datetime.fromisoformat(value)


@SETTINGS
@given(value=edge_dates())
def test_journal_enrolment_dates_at_the_calendar_edges(value: str) -> None:
    try:
        archive = parse_archive(_encode(_with(("enrolments", 0, "start_date"), value)), "edge.json")
    except UserError as error:
        _one_line(error)
        return
    assert archive.enrolments[0].start_date == dt.date.fromisoformat(value)


@SETTINGS
@given(field=st.sampled_from(NUMBER_FIELDS), value=EDGE_NUMBERS)
def test_journal_numbers_at_their_edges(field: tuple[Any, ...], value: int | float) -> None:
    try:
        archive = parse_archive(_encode(_with(field, value)), "edge.json")
    except UserError as error:
        _one_line(error)
        return
    run = archive.runs[0]
    holder: Any = run.reflection if field[-2] == "reflection" else archive.scheduled_runs[0]
    holder = run if field[0] == "runs" and field[-2] != "reflection" else holder
    got = getattr(holder, {"planned_s": "planned_s"}.get(field[-1], field[-1]))
    assert got == value  # accepted only as exactly what the file says
    assert not (isinstance(got, float) and not math.isfinite(got))


@pytest.fixture
def journal_db(tmp_path: Path) -> Iterator[tuple[Database, JournalTransfer]]:
    with Database.open(tmp_path / "runcompanion.sqlite3") as database:
        transfer = JournalTransfer(JournalQueries(database), ReflectionRepository(database))
        yield database, transfer


@FEWER
@given(
    field=st.sampled_from([*INSTANT_FIELDS, ("scheduled_runs", 0, "due_at"), ("enrolments", 0, "start_date")]),
    value=edge_datetimes(),
)
def test_a_journal_import_at_the_edges_stores_it_right_or_changes_nothing(
    journal_db: tuple[Database, JournalTransfer], tmp_path: Path, field: tuple[Any, ...], value: str
) -> None:
    database, transfer = journal_db
    if field[-1] == "due_at":
        value = value[:19]
    elif field[-1] == "start_date":
        value = value[:10]
    file = tmp_path / "edge.json"
    file.write_bytes(_encode(_with(field, value)))
    before = table_contents(database.path)
    try:
        transfer.import_file(file)
    except UserError as error:
        _one_line(error)
        assert table_contents(database.path) == before
        return
    exported = tmp_path / "out.json"
    transfer.export("json", exported)  # what was stored can be read back and written out whole
    transfer.export("md", tmp_path / "out.md")
    transfer.export("csv", tmp_path / "out.csv")
    assert set(table_contents(database.path)) == set(TABLES)


# ------------------------------------------------------------------------------- session and program files

SESSION = """\
id = "edge-session"
name = "Edge"
[[segments]]
kind = "warmup"
duration = "5:00"
[[segments]]
kind = "run"
duration = "{duration}"
effort = {effort}
speed_kmh = {speed}
incline_pct = {incline}
"""


def _toml_number(value: int | float) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    return str(value)


DURATIONS = st.sampled_from(["0:00", "0:01", "9999:59", "99:59:59", "-1:00", "1e400", "1:60", "00:00:00"]) | st.builds(
    lambda m, s: f"{m}:{s:02d}", st.integers(0, 10**6), st.integers(0, 59)
)


@SETTINGS
@given(
    duration=DURATIONS,
    effort=EDGE_NUMBERS,
    speed=EDGE_NUMBERS,
    incline=EDGE_NUMBERS,
    which=st.sampled_from(["duration", "effort", "speed", "incline"]),
)
def test_session_files_at_their_edges(
    duration: str, effort: int | float, speed: int | float, incline: int | float, which: str
) -> None:
    values = {"duration": "10:00", "effort": "5", "speed": "8.0", "incline": "1.0"}
    values[which] = (
        duration if which == "duration" else _toml_number({"effort": effort, "speed": speed, "incline": incline}[which])
    )
    try:
        plan = parse_session_toml(SESSION.format(**values).encode(), "edge.toml")
    except UserError as error:
        _one_line(error)
        return
    run = plan.segments[1]
    assert math.isfinite(plan.total_s)
    assert plan.total_s > 0
    if which == "speed":
        assert run.speed_kmh == speed
        assert math.isfinite(run.speed_kmh)
        assert run.speed_kmh >= 0
    if which == "incline":
        assert run.incline_pct == incline
        assert math.isfinite(run.incline_pct)
    if which == "effort":
        assert run.effort == effort


PROGRAM = resource_files("programs", ".toml")[0][1].decode("utf-8")


@SETTINGS
@given(
    key=st.sampled_from(["effort", "speed_kmh", "incline_pct"]),
    value=EDGE_NUMBERS,
)
def test_program_files_at_their_edges(key: str, value: int | float) -> None:
    # The first default's value is replaced: every run of the program inherits it.
    text = PROGRAM.replace(
        {"effort": "effort = 2", "speed_kmh": "speed_kmh = 5.5", "incline_pct": "incline_pct = 1.0"}[key],
        f"{key} = {_toml_number(value)}",
        1,
    )
    try:
        program = parse_program_toml(text.encode("utf-8"), "edge.toml")
    except UserError as error:
        _one_line(error)
        return
    first = program.run(1, 1).segments[0]
    got = {"effort": first.effort, "speed_kmh": first.speed_kmh, "incline_pct": first.incline_pct}[key]
    assert got == value


CUE_PACK = """\
[[cue]]
id = "edge-cue"
kind = "motivation"
text = "One step, then the next."
segments = ["run"]
{key} = {value}
"""


@SETTINGS
@given(key=st.sampled_from(["min_elapsed_s", "max_effort", "weight"]), value=EDGE_NUMBERS)
def test_cue_packs_at_their_edges(key: str, value: int | float) -> None:
    try:
        pack = parse_cue_pack(CUE_PACK.format(key=key, value=_toml_number(value)).encode(), "edge.toml")
    except UserError as error:
        _one_line(error)
        return
    (cue,) = pack.cues
    got = getattr(cue, key)
    assert got == value  # accepted only as exactly what the file says
    assert math.isfinite(got)


# ------------------------------------------------------------------------------------------ plan enrol


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[tuple[Database, PlanService]]:
    with Database.open(tmp_path / "runcompanion.sqlite3") as database:
        programs = ProgramLibrary.from_files(resource_files("programs", ".toml"))
        service = PlanService(ScheduleRepository(database), programs, lambda _id: None)  # type: ignore[arg-type,return-value]
        yield database, service


@FEWER
@given(
    start=st.sampled_from([dt.date.min, dt.date.max, dt.date(1, 1, 2), dt.date(9999, 12, 30)]) | st.dates(),
    at=st.sampled_from([dt.time.min, dt.time.max, dt.time(23, 59)]) | st.times(),
)
def test_enrolment_dates_at_the_calendar_edges(plan: tuple[Database, PlanService], start: dt.date, at: dt.time) -> None:
    database, service = plan
    before = table_contents(database.path)
    try:
        enrolled = service.enrol("c25k", start, ["mon", "wed", "sat"], at)
    except UserError as error:
        _one_line(error)
        assert table_contents(database.path) == before
        return
    assert enrolled.enrolment.start_date == start
    service.cancel_enrolment(enrolled.enrolment.id)


# -------------------------------------------------------------------------------------------- settings


@pytest.fixture
def settings_db(tmp_path: Path) -> Iterator[tuple[SettingsRepository, SettingsService]]:
    with Database.open(tmp_path / "runcompanion.sqlite3") as database:
        repository = SettingsRepository(database)
        yield repository, SettingsService(repository)


SETTING_KEYS = ["rate", "volume", "countdown_s", "remind_before_min", "theme", "units", "chime", "density"]


@FEWER
@given(key=st.sampled_from(SETTING_KEYS), value=EDGE_NUMBERS | st.text(max_size=10) | st.booleans() | st.none())
def test_stored_settings_at_their_edges_load_as_a_value_or_the_default(
    settings_db: tuple[SettingsRepository, SettingsService], key: str, value: object
) -> None:
    repository, service = settings_db
    try:
        repository.set(key, value)
    except (UserError, ValueError):
        return  # the store itself refused it: nothing to load
    loaded = service.load()  # whatever a stored row holds, the app starts
    assert isinstance(loaded, AppSettings)
    for field in ("rate", "volume", "countdown_s", "remind_before_min"):
        number = getattr(loaded, field)
        assert isinstance(number, int)
        assert not isinstance(number, bool)


RAW_JSON = st.sampled_from(["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1" + "0" * 400, "1.5", "-0", "[]"])


@FEWER
@given(key=st.sampled_from(SETTING_KEYS), text=RAW_JSON)
def test_a_settings_row_another_program_wrote_at_the_edges_still_loads(
    settings_db: tuple[SettingsRepository, SettingsService], tmp_path: Path, key: str, text: str
) -> None:
    _repository, service = settings_db
    import sqlite3

    connection = sqlite3.connect(tmp_path / "runcompanion.sqlite3")
    try:
        with connection:
            connection.execute(
                "INSERT OR REPLACE INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)",
                (key, text, "2024-05-06 07:30:00.000000"),
            )
    except sqlite3.IntegrityError:
        return  # the schema itself refuses it
    finally:
        connection.close()
    loaded = service.load()
    default = AppSettings()
    number = getattr(loaded, key)
    if key in ("rate", "volume", "countdown_s", "remind_before_min"):
        assert isinstance(number, int)
        assert not isinstance(number, bool)
        assert number == getattr(loaded.clamped(), key)
    else:
        assert number == getattr(default, key)  # not a valid value for it: the default

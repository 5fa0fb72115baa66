"""Export (CSV, JSON, Markdown) and import of the JSON backup, on real SQLite files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from runcompanion.core.errors import UserError
from runcompanion.core.run_samples import RunSample
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.session_writer import session_to_dict
from runcompanion.services.journal_transfer import CSV_COLUMNS, FORMAT_NAME, JournalTransfer
from runcompanion.storage.archive_records import ImportReport, JournalArchive
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import MAX_REFLECTION_CHARS, CheckIn, ManualRun, NewScheduledRun, ReflectionInput
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.run_figures_repository import RunFiguresRecord, RunFiguresRepository, SegmentFiguresRecord
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.run_sample_repository import RunSampleRepository
from runcompanion.storage.schedule_repository import ScheduleRepository
from runcompanion.storage.session_repository import SessionRepository

ZONE = dt.timezone(dt.timedelta(hours=2))
EXPORTED_AT = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
START = dt.datetime(2024, 5, 6, 5, 30, 15, 123456, tzinfo=dt.UTC)
GUIDED_SAMPLES = (
    RunSample(5.0, 9.6, 1.0, 13.3, 120),
    RunSample(10.1, 9.55, -2.5, 26.6, None),
    RunSample(15.0, None, None, None, 131),
)
LONG_TEXT = ("Ran by the river; “quoted”, commas, and a line break\n" * 2000)[:MAX_REFLECTION_CHARS]


def _transfer(database: Database) -> JournalTransfer:
    return JournalTransfer(JournalQueries(database), ReflectionRepository(database), zone=ZONE, now=lambda: EXPORTED_AT)


def _fill(database: Database, clock: Callable[[], dt.datetime]) -> None:
    """A journal with every kind of thing a backup must carry."""
    runs = RunRepository(database)
    reflections = ReflectionRepository(database, now=clock)
    schedule = ScheduleRepository(database, now=clock)
    plan = SessionPlan(
        id="my-hills",
        name="My hills",
        segments=(Segment(SegmentKind.WARMUP, 300.0), Segment(SegmentKind.RUN, 600.0, label="Up", effort=7)),
        tags=("hills",),
    )
    SessionRepository(database, now=clock).add(plan.id, plan.name, session_to_dict(plan))
    enrolment = schedule.add_enrolment(
        "c25k",
        dt.date(2024, 5, 6),
        ("mon", "wed"),
        dt.time(7, 0),
        [
            NewScheduledRun("c25k-1@rc", "c25k-w1r1", "Week 1, run 1", dt.datetime(2024, 5, 6, 7, 0), 1800.0, 1, 1),
            NewScheduledRun("c25k-2@rc", "c25k-w1r2", "Week 1, run 2", dt.datetime(2024, 5, 8, 7, 0), 1800.0, 1, 2),
        ],
    )
    [hand_added] = schedule.add_scheduled_runs(
        [NewScheduledRun("own@rc", "my-hills", "Hills", dt.datetime(2024, 5, 11, 9, 0), 900.0, recurrence="weekly")]
    )
    first_scheduled = schedule.list_scheduled(enrolment_id=enrolment.id)[0]

    guided = runs.start(
        "c25k-w1r1", "Couch to 5K: week 1, run 1", ("c25k", "beginner"), 1800.0, 7, first_scheduled.id, started_at=START
    )
    runs.checkpoint(guided.id, 600.5, 2, 2, at=START + dt.timedelta(seconds=600))
    runs.finish(
        guided.id,
        "finished",
        1799.25,
        8,
        8,
        [{"index": 0, "kind": "warmup", "elapsed_s": 300.0, "skipped": False}],
        ended_at=START + dt.timedelta(seconds=1800),
    )
    schedule.set_status(first_scheduled.id, "done", guided.id)
    RunFiguresRepository(database).save(
        RunFiguresRecord(
            guided.id,
            4612.5,
            141,
            168,
            185,
            (60.0, 120.5, 300.0, 30.0, 0.0),
            "Simulated treadmill, Simulated heart-rate strap",
            (SegmentFiguresRecord(0, 800.0, 9.6, 1.0), SegmentFiguresRecord(1, 3812.5, None, -2.5)),
        )
    )
    RunSampleRepository(database).append(guided.id, GUIDED_SAMPLES)
    reflections.check_in(guided.id, CheckIn(-2, 5))
    reflections.save(
        guided.id,
        ReflectionInput(
            feeling_after=3,
            effort=6,
            text=LONG_TEXT,
            prompt="What did you notice around you?",
            tags=("river", "with sam"),
            distance_km=4.75,
            arousal_after=4,
        ),
        draft=False,
    )
    stopped = runs.start("my-hills", "My hills", ("hills",), 900.0, None, started_at=START + dt.timedelta(days=2))
    runs.finish(stopped.id, "stopped", 420.0, 1, 1, [], ended_at=START + dt.timedelta(days=2, minutes=7))
    reflections.save(stopped.id, ReflectionInput(text="Draft: legs heavy, ça va"), draft=True)
    runs.start("easy-30", "Easy 30", (), 1800.0, 3, started_at=START + dt.timedelta(days=3))  # no reflection
    runs.mark_interrupted()
    reflections.add_manual_run(
        ManualRun(START + dt.timedelta(days=4), 3600.0, 'Park, loop "B"', session_tags=("outdoors",)),
        ReflectionInput(feeling_after=4, text="Geese =1+1", tags=("park",)),
        check_in=CheckIn(1),
        not_after=EXPORTED_AT,
    )
    runs.start("easy-30", "Easy 30", ("easy",), 1800.0, 4, started_at=START + dt.timedelta(days=5))  # in progress
    assert hand_added.run_id is None


@pytest.fixture
def filled(database: Database, clock: Callable[[], dt.datetime]) -> Database:
    _fill(database, clock)
    return database


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Database]:
    with Database.open(tmp_path / "empty.sqlite3") as opened:
        yield opened


def _snapshot(database: Database) -> JournalArchive:
    return JournalQueries(database).archive()


# ------------------------------------------------------------------------------------------------- JSON


def test_export_import_into_an_empty_folder_and_export_again_gives_the_same_file(
    filled: Database, empty: Database, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    exported = _transfer(filled).export("json", first)

    report = _transfer(empty).import_file(first)
    _transfer(empty).export("json", second)

    assert (exported.runs, exported.reflections) == (5, 3)
    assert report == ImportReport(
        runs_added=5, reflections_added=3, own_sessions_added=1, enrolments_added=1, scheduled_runs_added=3
    )
    assert second.read_bytes() == first.read_bytes()
    assert _snapshot(empty) == _snapshot(filled)


def test_the_backup_is_versioned_and_carries_everything(filled: Database, tmp_path: Path) -> None:
    out = tmp_path / "backup.json"
    _transfer(filled).export("json", out)

    document = json.loads(out.read_text(encoding="utf-8"))

    assert (document["format"], document["version"]) == (FORMAT_NAME, 1)
    assert document["exported_at"] == "2024-06-01T12:00:00+00:00"
    assert [run["status"] for run in document["runs"]] == [
        "finished",
        "stopped",
        "interrupted",
        "finished",
        "in_progress",
    ]
    guided = document["runs"][0]
    assert guided["started_at"] == "2024-05-06T05:30:15.123456+00:00"
    assert guided["scheduled_run_uid"] == "c25k-1@rc"
    assert guided["reflection"]["text"] == LONG_TEXT
    assert guided["reflection"]["tags"] == ["river", "with sam"]
    assert guided["figures"]["distance_m"] == 4612.5
    assert guided["figures"]["heart_rate_zones_s"] == [60.0, 120.5, 300.0, 30.0, 0.0]
    assert guided["figures"]["segment_figures"][1] == {
        "index": 1,
        "distance_m": 3812.5,
        "speed_kmh": None,
        "incline_pct": -2.5,
    }
    assert [sample["elapsed_s"] for sample in guided["samples"]] == [5.0, 10.1, 15.0]
    assert guided["samples"][1] == {
        "elapsed_s": 10.1,
        "speed_kmh": 9.55,
        "incline_pct": -2.5,
        "distance_m": 26.6,
        "heart_rate": None,
    }
    assert [(run["figures"], run["samples"]) for run in document["runs"][1:]] == [(None, [])] * 4
    assert [own["id"] for own in document["own_sessions"]] == ["my-hills"]
    assert document["enrolments"][0]["days"] == ["mon", "wed"]
    done = document["scheduled_runs"][0]
    assert done["run"] == {"started_at": guided["started_at"], "session_id": "c25k-w1r1", "source": "app"}
    assert done["enrolment"]["program_id"] == "c25k"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    filled: Database, empty: Database, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    _transfer(filled).export("json", backup)
    _transfer(empty).import_file(backup)
    after_first = _snapshot(empty)

    again = _transfer(empty).import_file(backup)

    assert not again.added_anything
    assert (again.runs_present, again.own_sessions_present, again.enrolments_present, again.scheduled_runs_present) == (
        5,
        1,
        1,
        3,
    )
    assert _snapshot(empty) == after_first


def test_import_adds_only_what_the_folder_lacks_and_keeps_the_runners_own_version(
    filled: Database, empty: Database, tmp_path: Path, clock: Callable[[], dt.datetime]
) -> None:
    backup = tmp_path / "backup.json"
    _transfer(filled).export("json", backup)
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["runs"] = document["runs"][3:]  # only the manual run and the one in progress
    document["scheduled_runs"] = [s for s in document["scheduled_runs"] if s["run"] is None]
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(document), encoding="utf-8")
    _transfer(empty).import_file(partial)
    [manual] = [e for e in JournalQueries(empty).page().entries if e.run.source == "manual"]
    ReflectionRepository(empty, now=clock).save(manual.run_id, ReflectionInput(text="edited here"), draft=False)

    report = _transfer(empty).import_file(backup)

    assert (report.runs_added, report.runs_present, report.scheduled_runs_added) == (3, 2, 1)
    entry = JournalQueries(empty).get(manual.run_id)
    assert entry is not None
    assert entry.reflection is not None
    assert entry.reflection.text == "edited here"  # the copy in the data folder wins
    assert JournalQueries(empty).page().total == 4


def test_a_run_already_there_keeps_its_own_device_figures(filled: Database, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    _transfer(filled).export("json", backup)
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["runs"][0]["figures"]["distance_m"] = 1.0
    document["runs"][0]["samples"] = [{"elapsed_s": 1.0, "heart_rate": 99}]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    guided = next(e.run.id for e in JournalQueries(filled).page().entries if e.run.session_id == "c25k-w1r1")

    report = _transfer(filled).import_file(edited)

    assert report.runs_added == 0
    figures = RunFiguresRepository(filled).get(guided)
    assert figures is not None
    assert figures.distance_m == 4612.5
    assert RunSampleRepository(filled).for_run(guided) == GUIDED_SAMPLES


def test_a_hundred_thousand_character_reflection_survives_the_round_trip(
    filled: Database, empty: Database, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    _transfer(filled).export("json", backup)
    _transfer(empty).import_file(backup)

    [entry] = JournalQueries(empty).page(limit=1, offset=3).entries
    assert entry.reflection is not None
    assert entry.reflection.text == LONG_TEXT
    assert len(entry.reflection.text) == MAX_REFLECTION_CHARS


# ------------------------------------------------------------------------------------ refused imports


def _backup_text(filled: Database, tmp_path: Path) -> str:
    out = tmp_path / "good.json"
    _transfer(filled).export("json", out)
    return out.read_text(encoding="utf-8")


def _edited(filled: Database, tmp_path: Path, edit: Callable[[dict[str, Any]], object]) -> bytes:
    document = json.loads(_backup_text(filled, tmp_path))
    edit(document)
    return json.dumps(document).encode()


def _refused(empty: Database, path: Path, match: str, **options: Any) -> str:
    before = _snapshot(empty)
    with pytest.raises(UserError, match=match) as raised:
        _transfer(empty).import_file(path, **options)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert "Traceback" not in message
    assert _snapshot(empty) == before
    return message


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b'{"format": "runcompanion-journal", "version": 1, "runs": [', "ends too early"),
        (b'{"format": "runcompanion-journal", "version": 1,, "runs": []}', r"not valid JSON \(Expecting"),
        (b'{"format": "runcompanion-journal", "version": 1, "runs": [NaN]}', "NaN is not a number"),
        (b'{"hello": "world"}', 'no "format": "runcompanion-journal"'),
        (b"[1, 2, 3]", 'no "format": "runcompanion-journal"'),
        (b'id = "x"\nname = "A session"\n', r"not valid JSON"),
        (b'{"format": "some-other-app", "version": 1, "runs": []}', "not a RunCompanion journal export"),
        (b'{"format": "runcompanion-journal", "version": 2, "runs": []}', "newer RunCompanion .*version 2"),
        (b'{"format": "runcompanion-journal", "version": "1", "runs": []}', 'no valid "version"'),
        (b'{"format": "runcompanion-journal", "version": 0, "runs": []}', "unknown journal format version 0"),
        (b'{"format": "runcompanion-journal", "version": 1}', 'the field "runs" is missing'),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", r"not UTF-8 text \(byte 0x89 at position 0\)"),
        ('{"format": "runcompanion-journal", "note": "café"}'.encode("latin-1"), "not UTF-8 text .*0xe9"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"format": "runcompanion-journal", "version": 1, "runs": [], "note": "\\ud800"}', "not valid Unicode"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_damaged_or_foreign_file_changes_nothing_and_says_why(
    empty: Database, tmp_path: Path, content: bytes, match: str
) -> None:
    path = tmp_path / "backup.json"
    path.write_bytes(content)
    _refused(empty, path, match)


def test_a_cut_short_backup_changes_nothing(filled: Database, empty: Database, tmp_path: Path) -> None:
    text = _backup_text(filled, tmp_path)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    _refused(empty, path, "ends too early")


def test_an_oversized_file_is_refused_before_it_is_read(empty: Database, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"format": "runcompanion-journal", "version": 1, "runs": []}' + b" " * 3_000_000)
    message = _refused(empty, path, r"the file is 3\.0 MB, larger than any journal backup", max_bytes=2_000_000)
    assert "at most 2 MB" in message


def test_a_missing_file_a_folder_or_a_pipe_is_named(empty: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        _transfer(empty).import_file(tmp_path / "nope.json")
    with pytest.raises(UserError, match="is a folder"):
        _transfer(empty).import_file(tmp_path)
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    _refused(empty, pipe, "not a regular file")  # never opened: reading a pipe nobody writes would hang


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (
            lambda d: d["runs"][0]["reflection"].update(feeling_after=9),
            r"runs\[0\]\.reflection\.feeling_after: .*-5 to 5",
        ),
        (lambda d: d["runs"][0]["reflection"].update(effort=True), r"effort: must be null or a whole number"),
        (lambda d: d["runs"][0]["reflection"].update(tags=["a,b"]), r"runs\[0\]\.reflection\.tags: .*comma"),
        (lambda d: d["runs"][0]["reflection"].update(text="x" * 100_001), "longer than 100,000 characters"),
        (lambda d: d["runs"][0]["reflection"].update(distance_km=-1), "distance_km: must be a number from 0"),
        (lambda d: d["runs"][1].update(status="paused"), r"runs\[1\]\.status: must be one of"),
        (lambda d: d["runs"][1].update(started_at="2024-05-08T07:30:00"), "with its UTC offset"),
        (lambda d: d["runs"][1].update(started_at="yesterday"), "ISO 8601"),
        (lambda d: d["runs"][1].update(elapsed_s=float("inf")), "NaN|Infinity"),
        (lambda d: d["runs"][1].update(colour="red"), r'runs\[1\]: unknown field "colour"'),
        (lambda d: d["runs"][1].update(seed=2**64), r"runs\[1\]\.seed: must be a whole number"),
        (lambda d: d["runs"][1].pop("session_id"), r"runs\[1\]\.session_id: missing"),
        (lambda d: d["runs"][1].update(scheduled_run_uid="ghost@rc"), "not a scheduled run in the file"),
        (lambda d: d["runs"].append(d["runs"][0]) or d["scheduled_runs"].append(d["scheduled_runs"][0]), "uid"),
        (lambda d: d["scheduled_runs"][0].update(due_at="2024-05-06T07:00:00+02:00"), "without an offset"),
        (
            lambda d: d["scheduled_runs"][0].update(
                run={"started_at": "2020-01-01T00:00:00+00:00", "session_id": "x", "source": "app"}
            ),
            "no such run in the file",
        ),
        (lambda d: d["enrolments"][0].update(days=["mon", "someday"]), r"enrolments\[0\]\.days"),
        (lambda d: d["enrolments"][0].update(time="7am"), "a local time like 07:00"),
        (
            lambda d: d["own_sessions"][0]["definition"].update(segments=[]),
            r"own_sessions\[0\]\.definition: a session needs",
        ),
        (lambda d: d["own_sessions"][0].update(id="other"), "differs from its definition"),
        (lambda d: d.update(runs={"not": "a list"}), r"the file\.runs: must be a list"),
        (
            lambda d: d["runs"][0]["figures"].update(avg_heart_rate=300),
            r"runs\[0\]\.figures\.avg_heart_rate: .*25 to 240",
        ),
        (lambda d: d["runs"][0]["figures"].update(heart_rate_zones_s=[1, 2]), "list of 5 numbers"),
        (lambda d: d["runs"][0]["figures"].update(distance_m=-3), r"figures\.distance_m: must be null or a number"),
        (
            lambda d: d["runs"][0]["figures"]["segment_figures"][0].update(speed_kmh=500),
            r"segment_figures\[0\]\.speed_kmh: .*0 to 40",
        ),
        (
            lambda d: d["runs"][0]["figures"]["segment_figures"][1].update(index=0),
            "a segment index appears twice",
        ),
        (lambda d: d["runs"][0]["samples"][0].update(heart_rate=0), r"samples\[0\]\.heart_rate: .*25 to 240"),
        (lambda d: d["runs"][0]["samples"][1].update(incline_pct=60), r"samples\[1\]\.incline_pct"),
        (lambda d: d["runs"][0]["samples"][2].update(elapsed_s=5.0), r"runs\[0\]\.samples: sample 2.*does not come"),
        (lambda d: d["runs"][0]["samples"][0].pop("elapsed_s"), r"samples\[0\]\.elapsed_s: missing"),
        (lambda d: d["runs"][0]["samples"][0].update(pace=3), r'samples\[0\]: unknown field "pace"'),
        (lambda d: d["runs"][0].update(samples={"a": 1}), r"runs\[0\]\.samples: must be a list"),
    ],
)
def test_a_backup_with_one_bad_field_is_refused_whole(
    filled: Database, empty: Database, tmp_path: Path, edit: Callable[[dict[str, Any]], object], match: str
) -> None:
    path = tmp_path / "edited.json"
    if match == "NaN|Infinity":
        document = json.loads(_backup_text(filled, tmp_path))
        edit(document)
        path.write_text(json.dumps(document), encoding="utf-8")  # Python writes Infinity; JSON does not allow it
    else:
        path.write_bytes(_edited(filled, tmp_path, edit))
    _refused(empty, path, match)


def test_a_file_from_an_older_export_with_optional_lists_left_out_imports(empty: Database, tmp_path: Path) -> None:
    path = tmp_path / "minimal.json"
    run = {
        "started_at": "2024-05-06T05:30:00+00:00",
        "session_id": "manual",
        "source": "manual",
        "session_name": "Run",
        "session_tags": [],
        "planned_s": 600,
        "status": "finished",
    }
    path.write_text(json.dumps({"format": FORMAT_NAME, "version": 1, "runs": [run]}), encoding="utf-8")

    report = _transfer(empty).import_file(path)

    assert (report.runs_added, report.reflections_added) == (1, 0)
    [entry] = JournalQueries(empty).page().entries
    assert (entry.run.elapsed_s, entry.run.seed, entry.run.segment_log) == (0.0, None, [])


# ------------------------------------------------------------------------------------------ CSV, Markdown


def test_csv_has_a_header_and_one_quoted_row_per_journal_entry(filled: Database, tmp_path: Path) -> None:
    out = tmp_path / "journal.csv"
    report = _transfer(filled).export("csv", out)

    raw = out.read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))

    assert report.runs == 4  # the run still in progress is not a journal entry
    assert raw.startswith(",".join(CSV_COLUMNS).encode() + b"\r\n")
    assert len(rows) == 4
    guided = rows[0]
    assert guided["text"] == LONG_TEXT  # commas, quotes and line breaks survive the quoting
    assert (guided["feeling_before"], guided["feeling_after"], guided["lift"], guided["effort"]) == (
        "-2",
        "3",
        "5",
        "6",
    )
    assert (guided["local_date"], guided["local_time"]) == ("2024-05-06", "07:30")
    assert (guided["tags"], guided["session_tags"], guided["draft"]) == ("river, with sam", "c25k, beginner", "no")
    assert rows[1]["draft"] == "yes"
    assert rows[2]["feeling_after"] == ""  # no reflection: empty cells
    assert rows[3]["session_name"] == 'Park, loop "B"'
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_csv_cells_that_start_like_a_formula_stay_text(database: Database, tmp_path: Path) -> None:
    ReflectionRepository(database).add_manual_run(
        ManualRun(START, 1800.0, '=HYPERLINK("http://example.invalid")', session_tags=("@home",)),
        ReflectionInput(feeling_after=-3, text="-felt heavy\n+then light", tags=("+1",)),
        check_in=CheckIn(1),
        not_after=EXPORTED_AT,
    )
    out = tmp_path / "journal.csv"
    _transfer(database).export("csv", out)
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))

    assert row["session_name"] == '\'=HYPERLINK("http://example.invalid")'
    assert (row["session_tags"], row["tags"]) == ("'@home", "'+1")
    assert row["text"] == "'-felt heavy\n+then light"
    assert (row["feeling_after"], row["lift"]) == ("-3", "-4")  # numbers as they are
    # The JSON backup keeps the runner's words exactly.
    _transfer(database).export("json", tmp_path / "journal.json")
    saved = json.loads((tmp_path / "journal.json").read_text(encoding="utf-8"))
    assert saved["runs"][0]["reflection"]["text"] == "-felt heavy\n+then light"


def test_markdown_is_one_readable_section_per_entry_newest_first(filled: Database, tmp_path: Path) -> None:
    out = tmp_path / "journal.md"
    _transfer(filled).export("md", out)

    text = out.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]

    assert text.startswith("# RunCompanion journal\n\nExported on Saturday 1 June 2024 at 14:00: 4 runs, newest first.")
    assert headings == [
        '## Friday 10 May 2024, 07:30: Park, loop "B"',
        "## Thursday 9 May 2024, 07:30: Easy 30",
        "## Wednesday 8 May 2024, 07:30: My hills",
        "## Monday 6 May 2024, 07:30: Couch to 5K: week 1, run 1",
    ]
    assert "- Feeling: -2 (Pretty bad) before, +3 (Good) after (lift +5)" in text
    assert "- Effort: 6 of 10 (Harder)" in text
    assert "*What did you notice around you?*" in text
    assert "> Ran by the river; “quoted”, commas, and a line break\n> Ran by the river" in text
    assert "- A draft, not finished yet." in text
    assert "- Time: 1:00:00 (logged by hand)" in text
    assert "- Time: 7:00 (stopped early)" in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_an_export_that_cannot_be_written_says_so_and_leaves_nothing_behind(filled: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"Cannot write .*missing"):
        _transfer(filled).export("json", tmp_path / "missing" / "backup.json")
    with pytest.raises(UserError, match='Unknown export format "xml"'):
        _transfer(filled).export("xml", tmp_path / "backup.xml")
    assert sorted(os.listdir(tmp_path)) == [
        "runcompanion.sqlite3",
        "runcompanion.sqlite3-shm",
        "runcompanion.sqlite3-wal",
    ]

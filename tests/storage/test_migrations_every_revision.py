"""Every earlier schema revision upgrades to head with every row intact.

For each revision in ``runcompanion/storage/migrations/versions`` before head, a database is built at exactly
that revision (``alembic command.upgrade``), filled through plain SQL with a journal that uses every table and
the awkward values (NULLs, negative scales, 64-bit seeds, Unicode, newlines), then opened by the app
(``Database.open``: a pre-migration backup, then the upgrade to head). Every row must still be there with the
same values, and the app must read all of it back. A new migration is covered without touching this file;
one that adds a required column without a default makes the fill fail with a message saying what to add.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from runcompanion.storage.database import Database, alembic_config
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import JournalFilter
from runcompanion.storage.settings_repository import SettingsRepository

Row = Mapping[str, object]

TS: Final = "2024-05-06T07:30:00.000000+00:00"
LATER: Final = "2024-05-06T08:05:30.250000+00:00"
OWN_SESSION: Final = (
    '{"id": "my-hills", "name": "My hills", "description": "Up and down", "tags": ["hills"], '
    '"segments": [{"kind": "warmup", "duration_s": 300.0}, {"kind": "run", "duration_s": 60.0, "incline_pct": 6.0}]}'
)
TEXT: Final = "Felt heavy at first,\nthen light. 🏃‍♀️ “Quotes”, 'apostrophes' and a backslash \\ too."

# The journal, table by table, in an order that satisfies every foreign key. Columns are those of revision 0001;
# a later revision's new columns take their defaults.
DATASET: Final[dict[str, list[Row]]] = {
    "settings": [
        {"key": "theme", "value_json": '"dark"', "updated_at": TS},
        {"key": "rate", "value_json": "170", "updated_at": TS},
        {"key": "recovery.dismissed_run_ids", "value_json": "[3]", "updated_at": LATER},
    ],
    "own_sessions": [
        {"id": "my-hills", "name": "My hills", "definition_json": OWN_SESSION, "created_at": TS, "updated_at": LATER},
    ],
    "enrolments": [
        {
            "id": 1,
            "program_id": "c25k",
            "start_date": "2024-05-06",
            "days": "mon,wed,sat",
            "time": "07:00",
            "status": "active",
            "created_at": TS,
        },
        {
            "id": 2,
            "program_id": "mindful",
            "start_date": "2024-01-01",
            "days": "tue",
            "time": "18:30",
            "status": "cancelled",
            "created_at": TS,
        },
    ],
    "scheduled_runs": [
        {
            "id": 1,
            "uid": "7d3c0a0e-1b8e-4c52-9d7e-2f1f3c4b5a61",
            "enrolment_id": 1,
            "session_id": "c25k-w1-r1",
            "title": "Couch to 5K · Week 1 · Run 1",
            "due_at": "2024-05-06T07:00:00.000000",
            "duration_s": 1800.0,
            "week": 1,
            "run_number": 1,
            "recurrence": None,
            "status": "done",
            "run_id": 1,
            "created_at": TS,
        },
        {
            "id": 2,
            "uid": "a1b2c3d4-0000-4000-8000-000000000002",
            "enrolment_id": None,
            "session_id": "easy-30",
            "title": "Easy run",
            "due_at": "2024-05-10T18:00:00.000000",
            "duration_s": 1800.0,
            "week": None,
            "run_number": None,
            "recurrence": "weekly",
            "status": "planned",
            "run_id": None,
            "created_at": TS,
        },
    ],
    "runs": [
        {
            "id": 1,
            "session_id": "c25k-w1-r1",
            "session_name": "Couch to 5K · Week 1 · Run 1",
            "session_tags": "beginner,walk-run",
            "planned_s": 1800.0,
            "seed": 7,
            "scheduled_run_id": 1,
            "source": "app",
            "status": "finished",
            "started_at": TS,
            "ended_at": LATER,
            "elapsed_s": 1795.25,
            "segment_index": 8,
            "segments_done": 8,
            "segment_log_json": '[{"segment": 0, "kind": "warmup", "elapsed_s": 300.0}]',
            "checkpoint_at": LATER,
        },
        {
            "id": 2,
            "session_id": "easy-30",
            "session_name": "Easy Café 30 — “quoted”",
            "session_tags": "",
            "planned_s": 1800.0,
            "seed": None,
            "scheduled_run_id": None,
            "source": "app",
            "status": "stopped",
            "started_at": "2024-05-07T17:00:00.000000+00:00",
            "ended_at": "2024-05-07T17:15:00.500000+00:00",
            "elapsed_s": 900.5,
            "segment_index": 3,
            "segments_done": 2,
            "segment_log_json": "[]",
            "checkpoint_at": None,
        },
        {
            "id": 3,
            "session_id": "long-steady-45",
            "session_name": "Long steady",
            "session_tags": "long",
            "planned_s": 2700.0,
            "seed": 2**62,
            "scheduled_run_id": None,
            "source": "app",
            "status": "interrupted",
            "started_at": "2024-05-08T06:00:00.000000+00:00",
            "ended_at": None,
            "elapsed_s": 1200.0,
            "segment_index": 5,
            "segments_done": 4,
            "segment_log_json": "[]",
            "checkpoint_at": "2024-05-08T06:20:05.000000+00:00",
        },
        {
            "id": 4,
            "session_id": "manual",
            "session_name": "Park loop",
            "session_tags": "",
            "planned_s": 2400.0,
            "seed": None,
            "scheduled_run_id": None,
            "source": "manual",
            "status": "finished",
            "started_at": "2024-05-09T06:00:00.000000+00:00",
            "ended_at": "2024-05-09T06:40:00.000000+00:00",
            "elapsed_s": 2400.0,
            "segment_index": 0,
            "segments_done": 0,
            "segment_log_json": "[]",
            "checkpoint_at": None,
        },
        {
            "id": 5,
            "session_id": "my-hills",
            "session_name": "My hills",
            "session_tags": "hills",
            "planned_s": 360.0,
            "seed": 0,
            "scheduled_run_id": None,
            "source": "app",
            "status": "in_progress",
            "started_at": "2024-05-10T06:00:00.000000+00:00",
            "ended_at": None,
            "elapsed_s": 0.0,
            "segment_index": 0,
            "segments_done": 0,
            "segment_log_json": "[]",
            "checkpoint_at": None,
        },
    ],
    "reflections": [
        {
            "id": 10,
            "run_id": 1,
            "feeling_before": -5,
            "arousal_before": 1,
            "feeling_after": 5,
            "arousal_after": 6,
            "effort": 10,
            "prompt": "What did you notice around you?",
            "text": TEXT,
            "distance_km": 3.25,
            "is_draft": 0,
            "created_at": LATER,
            "updated_at": LATER,
        },
        {
            "id": 11,
            "run_id": 2,
            "feeling_before": None,
            "arousal_before": None,
            "feeling_after": None,
            "arousal_after": None,
            "effort": None,
            "prompt": "",
            "text": "half a thought",
            "distance_km": None,
            "is_draft": 1,
            "created_at": TS,
            "updated_at": TS,
        },
        {
            "id": 12,
            "run_id": 4,
            "feeling_before": 0,
            "arousal_before": 3,
            "feeling_after": 2,
            "arousal_after": 2,
            "effort": 0,
            "prompt": "One word for today?",
            "text": "Geese on the pond",
            "distance_km": 0.0,
            "is_draft": 0,
            "created_at": TS,
            "updated_at": TS,
        },
    ],
    "reflection_tags": [
        {"reflection_id": 10, "tag": "morning"},
        {"reflection_id": 10, "tag": "outdoors"},
        {"reflection_id": 12, "tag": "park"},
    ],
}
PRIMARY_KEYS: Final = {
    "settings": ("key",),
    "own_sessions": ("id",),
    "enrolments": ("id",),
    "scheduled_runs": ("id",),
    "runs": ("id",),
    "reflections": ("id",),
    "reflection_tags": ("reflection_id", "tag"),
}


def _revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


EARLIER: Final = _revisions()[:-1]


def _build_at(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    finally:
        engine.dispose()


def _upgrade_to(path: Path, revision: str) -> None:
    """One step of a plain Alembic upgrade, as a developer would run it (SQLite leaves foreign keys off)."""
    _build_at(path, revision)


def _columns(connection: sqlite3.Connection, table: str) -> dict[str, tuple[bool, object, int]]:
    """Column name -> (not null, default, primary-key position) at the file's current revision."""
    return {
        str(name): (bool(notnull), default, int(pk))
        for _cid, name, _type, notnull, default, pk in connection.execute(f"PRAGMA table_info({table})")
    }


def _fill(path: Path, dataset: Mapping[str, Sequence[Row]]) -> None:
    """Insert the dataset with plain SQL, each row's columns as far as this revision has them."""
    connection = sqlite3.connect(path)
    try:
        for table, rows in dataset.items():
            columns = _columns(connection, table)
            assert columns, f"the table {table} is missing at this revision"
            required = {
                name for name, (notnull, default, pk) in columns.items() if notnull and default is None and not pk
            }
            for row in rows:
                missing = required - set(row)
                assert not missing, (
                    f"{table} has required columns without a default {sorted(missing)}: give them values in "
                    "DATASET (tests/storage/test_migrations_every_revision.py) for the revisions that have them"
                )
                present = [name for name in row if name in columns]
                placeholders = ", ".join("?" for _ in present)
                connection.execute(
                    f"INSERT INTO {table} ({', '.join(present)}) VALUES ({placeholders})",
                    [row[name] for name in present],
                )
        connection.commit()
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def _rows(path: Path, table: str, columns: Sequence[str]) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        order = ", ".join(PRIMARY_KEYS[table])
        return list(connection.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"))
    finally:
        connection.close()


def _assert_every_row_survived(path: Path, dataset: Mapping[str, Sequence[Row]], *, nothing_else: bool) -> None:
    """Every row of ``dataset`` is in the file with the same values (and, ``nothing_else``, no other row)."""
    for table, rows in dataset.items():
        columns = list(rows[0])
        key_at = [columns.index(key) for key in PRIMARY_KEYS[table]]
        found = {tuple(values[i] for i in key_at): values for values in _rows(path, table, columns)}
        if nothing_else:
            assert len(found) == len(rows), f"{table}: {len(found)} rows after the upgrade, {len(rows)} before"
        for row in rows:
            before = tuple(row[name] for name in columns)
            key = tuple(before[i] for i in key_at)
            assert key in found, f"{table}: the row {key} is gone after the upgrade"
            after = found[key]
            assert after == before, f"{table}: the row {key} changed in the upgrade"
            # The same storage class too: REAL stays REAL and text stays text, so the models read it the same.
            assert [type(value) for value in after] == [type(value) for value in before], (
                f"{table}: a value of the row {key} changed type in the upgrade"
            )


def _assert_the_app_reads_it_all(database: Database) -> None:
    queries = JournalQueries(database)
    archive = queries.archive()
    assert [run.session_name for run in archive.runs] == [str(row["session_name"]) for row in DATASET["runs"]]
    by_name = {run.session_name: run for run in archive.runs}
    first = by_name["Couch to 5K · Week 1 · Run 1"]
    assert first.reflection is not None
    assert first.reflection.text == TEXT
    assert first.reflection.tags == ("morning", "outdoors")
    assert (first.reflection.feeling_before, first.reflection.feeling_after) == (-5, 5)
    assert first.scheduled_run_uid == "7d3c0a0e-1b8e-4c52-9d7e-2f1f3c4b5a61"
    assert by_name["Long steady"].seed == 2**62
    assert by_name["Long steady"].status == "interrupted"
    assert by_name["Easy Café 30 — “quoted”"].reflection is not None
    assert [own.id for own in archive.own_sessions] == ["my-hills"]
    assert [enrolment.program_id for enrolment in archive.enrolments] == ["c25k", "mindful"]
    assert [scheduled.uid for scheduled in archive.scheduled_runs] == [
        str(row["uid"]) for row in DATASET["scheduled_runs"]
    ]
    assert SettingsRepository(database).all() == {"theme": "dark", "rate": 170, "recovery.dismissed_run_ids": [3]}
    # The journal's search index (0002) covers rows written before it existed.
    assert [entry.run_id for entry in queries.page(JournalFilter(text="geese")).entries] == [4]
    assert [entry.run_id for entry in queries.page(JournalFilter(text="heavy light")).entries] == [1]


def test_there_are_earlier_revisions_to_upgrade_from() -> None:
    revisions = _revisions()
    assert revisions[0] == "0001"
    assert revisions[-1] == Database.head_revision()
    assert len(EARLIER) >= 1


@pytest.mark.parametrize("revision", EARLIER)
def test_a_journal_at_an_earlier_revision_survives_the_upgrade(tmp_path: Path, revision: str) -> None:
    path = tmp_path / "runcompanion.sqlite3"
    _build_at(path, revision)
    _fill(path, DATASET)
    before = path.read_bytes()
    backed_up: list[bytes] = []

    with Database.open(path, before_migrate=lambda p: backed_up.append(p.read_bytes())) as database:
        assert database.schema_revision() == Database.head_revision()
        _assert_the_app_reads_it_all(database)

    assert backed_up == [before]  # the hook ran before anything changed
    _assert_every_row_survived(path, DATASET, nothing_else=True)


def test_one_revision_at_a_time_with_rows_added_at_each_step(tmp_path: Path) -> None:
    path = tmp_path / "runcompanion.sqlite3"
    revisions = _revisions()
    _build_at(path, revisions[0])
    _fill(path, DATASET)
    added: dict[str, list[Row]] = {"runs": []}
    for step, revision in enumerate(revisions[1:], start=1):
        _upgrade_to(path, revision)
        _assert_every_row_survived(path, DATASET, nothing_else=False)
        # A run written at this revision must survive the next steps as well.
        run: Row = {**DATASET["runs"][1], "id": 100 + step, "session_name": f"Written at {revision}"}
        _fill(path, {"runs": [run]})
        added["runs"].append(run)
        _assert_every_row_survived(path, added, nothing_else=False)

    with Database.open(path) as database:
        names = [run.session_name for run in JournalQueries(database).archive().runs]
    assert [f"Written at {revision}" for revision in revisions[1:]] == [name for name in names if "Written" in name]
    _assert_every_row_survived(path, {"runs": [*DATASET["runs"], *added["runs"]]}, nothing_else=True)
    _assert_every_row_survived(path, DATASET, nothing_else=False)

"""The migrated schema equals the models, and SQLite enforces its constraints and foreign-key actions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, Column, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from runcompanion.storage.database import Database
from runcompanion.storage.models import (
    Base,
    EnrolmentRow,
    ReflectionRow,
    ReflectionTagRow,
    RunRow,
    ScheduledRunRow,
    is_journal_search_table,
)

WHEN = dt.datetime(2024, 5, 6, 7, 30, tzinfo=dt.UTC)


def _plain_default(sql: str | None) -> str | None:
    """A server default without wrapping parentheses or quotes: '' and ('') and '''' all mean empty text."""
    if sql is None:
        return None
    sql = sql.strip()
    while sql.startswith("(") and sql.endswith(")"):
        sql = sql[1:-1].strip()
    if len(sql) >= 2 and sql[0] == sql[-1] == "'":
        sql = sql[1:-1]
    return sql


def _server_defaults_differ(  # noqa: PLR0917 - Alembic passes all six positionally
    context: MigrationContext,
    inspected_column: Column[Any],
    metadata_column: Column[Any],
    inspected_default: str | None,
    metadata_default: Any,
    rendered_metadata_default: str | None,
) -> bool:
    # Alembic's own SQLite comparison reports DEFAULT '' as different from itself; compare the plain values.
    return _plain_default(inspected_default) != _plain_default(rendered_metadata_default)


def _squash(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def _outside_the_models(name: str | None, type_: str, _parent_names: Any) -> bool:
    # The journal's FTS5 table and its shadow tables are created by migration 0002 and left out of the models.
    return not (type_ == "table" and name is not None and is_journal_search_table(name))


def test_migrated_schema_matches_the_models(database: Database) -> None:
    with database.transaction(write=False) as session:
        context = MigrationContext.configure(
            session.connection(),
            opts={
                "compare_type": True,
                "compare_server_default": _server_defaults_differ,
                "include_name": _outside_the_models,
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_default_comparison_does_see_a_different_default() -> None:
    # The comparator above must not hide real differences while it forgives the quoting of ''.
    assert _plain_default("''") == _plain_default("('')") == ""
    assert _plain_default("'[]'") == "[]"
    assert _plain_default("0") != _plain_default("'1'")


def test_migrated_check_constraints_match_the_models(database: Database) -> None:
    # compare_metadata does not look at CHECK constraints, so compare them by name and text here.
    with database.transaction(write=False) as session:
        inspector = inspect(session.connection())
        for table in Base.metadata.tables.values():
            migrated = {
                (check["name"], _squash(check["sqltext"])) for check in inspector.get_check_constraints(table.name)
            }
            modelled = {
                (str(constraint.name), _squash(str(constraint.sqltext)))
                for constraint in table.constraints
                if isinstance(constraint, CheckConstraint)
            }
            assert migrated == modelled, table.name


def test_every_migrated_constraint_has_a_convention_name(database: Database) -> None:
    # Batch migrations find constraints by name; an unnamed one could never be dropped or changed.
    with database.transaction(write=False) as session:
        inspector = inspect(session.connection())
        for table in Base.metadata.tables:
            assert inspector.get_pk_constraint(table)["name"] == f"pk_{table}"
            for foreign_key in inspector.get_foreign_keys(table):
                assert foreign_key["name"] is not None
                assert foreign_key["name"].startswith(f"fk_{table}_")
            for unique in inspector.get_unique_constraints(table):
                assert unique["name"] == f"uq_{table}_{'_'.join(unique['column_names'])}"


def _add_run(database: Database, *, scheduled_run_id: int | None = None) -> int:
    with database.transaction() as session:
        run = RunRow(
            session_id="easy-30",
            session_name="Easy 30",
            planned_s=1800.0,
            scheduled_run_id=scheduled_run_id,
            source="app",
            status="finished",
            started_at=WHEN,
        )
        session.add(run)
        session.flush()
        return run.id


def _add_reflection(database: Database, run_id: int, **scores: int | float | None) -> int:
    with database.transaction() as session:
        reflection = ReflectionRow(run_id=run_id, created_at=WHEN, updated_at=WHEN, **scores)
        session.add(reflection)
        session.flush()
        return reflection.id


def _add_scheduled_run(database: Database, uid: str, *, enrolment_id: int | None = None) -> int:
    with database.transaction() as session:
        scheduled = ScheduledRunRow(
            uid=uid,
            enrolment_id=enrolment_id,
            session_id="c25k-w1r1",
            title="Week 1, run 1",
            due_at=dt.datetime(2024, 5, 7, 7, 0),
            duration_s=1800.0,
            status="planned",
            created_at=WHEN,
        )
        session.add(scheduled)
        session.flush()
        return scheduled.id


def _insert(database: Database, row: Base) -> None:
    with database.transaction() as session:
        session.add(row)


def _count(database: Database, table: str) -> int:
    with database.transaction(write=False) as session:
        count: int = session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        return count


def test_row_defaults_come_from_the_schema(database: Database) -> None:
    run_id = _add_run(database)
    reflection_id = _add_reflection(database, run_id)
    with database.transaction(write=False) as session:
        run = session.get(RunRow, run_id)
        reflection = session.get(ReflectionRow, reflection_id)
        assert run is not None
        assert reflection is not None
        assert (run.session_tags, run.elapsed_s, run.segment_index, run.segments_done) == ("", 0.0, 0, 0)
        assert run.segment_log_json == "[]"
        assert (reflection.prompt, reflection.text, reflection.is_draft) == ("", "", True)


@pytest.mark.parametrize(
    "scores",
    [
        {"feeling_before": 6},
        {"feeling_before": -6},
        {"feeling_after": 6},
        {"feeling_after": -6},
        {"arousal_before": 0},
        {"arousal_before": 7},
        {"arousal_after": 0},
        {"arousal_after": 7},
        {"effort": -1},
        {"effort": 11},
        {"distance_km": -0.1},
    ],
)
def test_out_of_range_scores_are_refused(database: Database, scores: dict[str, int | float]) -> None:
    run_id = _add_run(database)
    with pytest.raises(IntegrityError, match="CHECK constraint failed"):
        _add_reflection(database, run_id, **scores)
    assert _count(database, "reflections") == 0


def test_scores_at_the_ends_of_their_scales_are_kept(database: Database) -> None:
    low = _add_reflection(
        database,
        _add_run(database),
        feeling_before=-5,
        arousal_before=1,
        feeling_after=-5,
        arousal_after=1,
        effort=0,
        distance_km=0.0,
    )
    high = _add_reflection(
        database,
        _add_run(database),
        feeling_before=5,
        arousal_before=6,
        feeling_after=5,
        arousal_after=6,
        effort=10,
    )
    with database.transaction(write=False) as session:
        stored = session.scalars(select(ReflectionRow.feeling_after).order_by(ReflectionRow.id)).all()
    assert (low, high) == (1, 2)
    assert stored == [-5, 5]


@pytest.mark.parametrize(
    ("column", "value"),
    [("status", "paused"), ("source", "phone"), ("planned_s", -1.0), ("elapsed_s", -0.5)],
)
def test_runs_refuse_values_outside_their_checks(database: Database, column: str, value: object) -> None:
    run_id = _add_run(database)
    with pytest.raises(IntegrityError, match="CHECK constraint failed"), database.transaction() as session:
        session.execute(text(f"UPDATE runs SET {column} = :value WHERE id = :id"), {"value": value, "id": run_id})


def test_scheduled_runs_refuse_unknown_status_and_recurrence(database: Database) -> None:
    scheduled_id = _add_scheduled_run(database, "a@runcompanion")
    for column, value in (("status", "maybe"), ("recurrence", "daily")):
        with (
            pytest.raises(IntegrityError, match="CHECK constraint failed"),
            database.transaction() as session,
        ):
            session.execute(
                text(f"UPDATE scheduled_runs SET {column} = :value WHERE id = :id"),
                {"value": value, "id": scheduled_id},
            )
    with database.transaction() as session:
        session.execute(text("UPDATE scheduled_runs SET recurrence = 'weekly' WHERE id = :id"), {"id": scheduled_id})


def test_a_reflection_needs_an_existing_run(database: Database) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed"):
        _add_reflection(database, 999)


def test_a_run_has_at_most_one_reflection(database: Database) -> None:
    run_id = _add_run(database)
    _add_reflection(database, run_id)
    with pytest.raises(IntegrityError, match="UNIQUE constraint failed"):
        _add_reflection(database, run_id)


def test_deleting_a_run_deletes_its_reflection_and_unlinks_its_scheduled_run(database: Database) -> None:
    run_id = _add_run(database)
    reflection_id = _add_reflection(database, run_id, feeling_before=2)
    scheduled_id = _add_scheduled_run(database, "b@runcompanion")
    with database.transaction() as session:
        session.add(ReflectionTagRow(reflection_id=reflection_id, tag="calm"))
        scheduled = session.get(ScheduledRunRow, scheduled_id)
        assert scheduled is not None
        scheduled.run_id = run_id
        scheduled.status = "done"

    with database.transaction() as session:
        session.execute(text("DELETE FROM runs WHERE id = :id"), {"id": run_id})

    assert _count(database, "reflections") == 0
    assert _count(database, "reflection_tags") == 0
    with database.transaction(write=False) as session:
        scheduled = session.get(ScheduledRunRow, scheduled_id)
        assert scheduled is not None
        assert (scheduled.run_id, scheduled.status) == (None, "done")


def test_deleting_a_scheduled_run_unlinks_the_run(database: Database) -> None:
    scheduled_id = _add_scheduled_run(database, "c@runcompanion")
    run_id = _add_run(database, scheduled_run_id=scheduled_id)

    with database.transaction() as session:
        session.execute(text("DELETE FROM scheduled_runs WHERE id = :id"), {"id": scheduled_id})

    with database.transaction(write=False) as session:
        run = session.get(RunRow, run_id)
        assert run is not None
        assert run.scheduled_run_id is None


def test_deleting_an_enrolment_deletes_its_scheduled_runs(database: Database) -> None:
    with database.transaction() as session:
        enrolment = EnrolmentRow(
            program_id="c25k",
            start_date=dt.date(2024, 5, 6),
            days="mon,wed,sat",
            time="07:00",
            status="active",
            created_at=WHEN,
        )
        session.add(enrolment)
        session.flush()
        enrolment_id = enrolment.id
    _add_scheduled_run(database, "d@runcompanion", enrolment_id=enrolment_id)
    _add_scheduled_run(database, "e@runcompanion", enrolment_id=enrolment_id)
    _add_scheduled_run(database, "f@runcompanion")

    with database.transaction() as session:
        session.execute(text("DELETE FROM enrolments WHERE id = :id"), {"id": enrolment_id})

    with database.transaction(write=False) as session:
        assert session.scalars(select(ScheduledRunRow.uid)).all() == ["f@runcompanion"]


def test_timestamp_columns_refuse_naive_datetimes(database: Database) -> None:
    run = RunRow(
        session_id="s",
        session_name="S",
        planned_s=1.0,
        source="app",
        status="in_progress",
        started_at=dt.datetime(2024, 5, 6, 7, 30),
    )
    with pytest.raises(StatementError, match="needs a time zone"):
        _insert(database, run)
    assert _count(database, "runs") == 0


def test_wall_clock_columns_refuse_aware_datetimes(database: Database) -> None:
    scheduled = ScheduledRunRow(
        uid="g@runcompanion",
        session_id="s",
        title="S",
        due_at=WHEN,
        duration_s=60.0,
        status="planned",
        created_at=WHEN,
    )
    with pytest.raises(StatementError, match="must be naive"):
        _insert(database, scheduled)
    assert _count(database, "scheduled_runs") == 0

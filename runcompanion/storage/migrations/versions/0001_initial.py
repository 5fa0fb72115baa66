"""The first schema: settings, own sessions, runs and reflections, enrolments and scheduled runs.

Revision ID: 0001
Revises:
Create Date: 2024-11-22

Written by hand. Migrations never import the app's models (they change; a migration must not), so timestamp
columns are plain TEXT here: the models store ISO 8601 text in them. Constraint names follow the models'
naming convention, because batch migrations can only find a constraint by its name.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "own_sessions",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("definition_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_sessions")),
    )
    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("days", sa.Text(), nullable=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('active', 'finished', 'cancelled')", name=op.f("ck_enrolments_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
    )
    # runs and scheduled_runs refer to each other. SQLite checks a foreign key's parent table only when a row
    # is written, so runs can name scheduled_runs before it exists.
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Text(), nullable=False),
        sa.Column("session_name", sa.Text(), nullable=False),
        sa.Column("session_tags", sa.Text(), server_default="", nullable=False),
        sa.Column("planned_s", sa.REAL(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("scheduled_run_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("started_at", sa.Text(), nullable=False),
        sa.Column("ended_at", sa.Text(), nullable=True),
        sa.Column("elapsed_s", sa.REAL(), server_default=sa.text("0"), nullable=False),
        sa.Column("segment_index", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("segments_done", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("segment_log_json", sa.Text(), server_default="[]", nullable=False),
        sa.Column("checkpoint_at", sa.Text(), nullable=True),
        sa.CheckConstraint("source IN ('app', 'manual')", name=op.f("ck_runs_source")),
        sa.CheckConstraint(
            "status IN ('in_progress', 'finished', 'stopped', 'interrupted')", name=op.f("ck_runs_status")
        ),
        sa.CheckConstraint("planned_s >= 0", name=op.f("ck_runs_planned_s_not_negative")),
        sa.CheckConstraint("elapsed_s >= 0", name=op.f("ck_runs_elapsed_s_not_negative")),
        sa.ForeignKeyConstraint(
            ["scheduled_run_id"],
            ["scheduled_runs.id"],
            name=op.f("fk_runs_scheduled_run_id_scheduled_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_index(op.f("ix_runs_started_at"), "runs", ["started_at"])
    op.create_index(op.f("ix_runs_status"), "runs", ["status"])
    op.create_index(op.f("ix_runs_scheduled_run_id"), "runs", ["scheduled_run_id"])
    op.create_table(
        "scheduled_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("due_at", sa.Text(), nullable=False),
        sa.Column("duration_s", sa.REAL(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=True),
        sa.Column("run_number", sa.Integer(), nullable=True),
        sa.Column("recurrence", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.CheckConstraint("recurrence IS NULL OR recurrence IN ('weekly')", name=op.f("ck_scheduled_runs_recurrence")),
        sa.CheckConstraint("status IN ('planned', 'done', 'skipped')", name=op.f("ck_scheduled_runs_status")),
        sa.CheckConstraint("duration_s >= 0", name=op.f("ck_scheduled_runs_duration_s_not_negative")),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_scheduled_runs_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_scheduled_runs_run_id_runs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_runs")),
        sa.UniqueConstraint("uid", name=op.f("uq_scheduled_runs_uid")),
    )
    op.create_index(op.f("ix_scheduled_runs_due_at"), "scheduled_runs", ["due_at"])
    op.create_index(op.f("ix_scheduled_runs_enrolment_id"), "scheduled_runs", ["enrolment_id"])
    op.create_index(op.f("ix_scheduled_runs_run_id"), "scheduled_runs", ["run_id"])
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("feeling_before", sa.Integer(), nullable=True),
        sa.Column("arousal_before", sa.Integer(), nullable=True),
        sa.Column("feeling_after", sa.Integer(), nullable=True),
        sa.Column("arousal_after", sa.Integer(), nullable=True),
        sa.Column("effort", sa.Integer(), nullable=True),
        sa.Column("prompt", sa.Text(), server_default="", nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("distance_km", sa.REAL(), nullable=True),
        sa.Column("is_draft", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.CheckConstraint("feeling_before BETWEEN -5 AND 5", name=op.f("ck_reflections_feeling_before_range")),
        sa.CheckConstraint("arousal_before BETWEEN 1 AND 6", name=op.f("ck_reflections_arousal_before_range")),
        sa.CheckConstraint("feeling_after BETWEEN -5 AND 5", name=op.f("ck_reflections_feeling_after_range")),
        sa.CheckConstraint("arousal_after BETWEEN 1 AND 6", name=op.f("ck_reflections_arousal_after_range")),
        sa.CheckConstraint("effort BETWEEN 0 AND 10", name=op.f("ck_reflections_effort_range")),
        sa.CheckConstraint("distance_km >= 0", name=op.f("ck_reflections_distance_km_not_negative")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_reflections_run_id_runs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
        sa.UniqueConstraint("run_id", name=op.f("uq_reflections_run_id")),
    )
    op.create_table(
        "reflection_tags",
        sa.Column("reflection_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reflection_id"],
            ["reflections.id"],
            name=op.f("fk_reflection_tags_reflection_id_reflections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reflection_id", "tag", name=op.f("pk_reflection_tags")),
    )
    op.create_index(op.f("ix_reflection_tags_tag"), "reflection_tags", ["tag"])


def downgrade() -> None:
    # Children first, so no DROP finds rows still pointing at it.
    op.drop_table("reflection_tags")
    op.drop_table("reflections")
    op.drop_table("scheduled_runs")
    op.drop_table("runs")
    op.drop_table("enrolments")
    op.drop_table("own_sessions")
    op.drop_table("settings")

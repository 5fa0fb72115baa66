"""Run samples from devices: belt speed, incline, distance and heart rate every few seconds of running.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

A table beside ``runs`` (not columns in it: a batch copy of ``runs`` would drop the journal-search triggers, see
0002). One row per sample, keyed by the run and its running time, which only grows within a run.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_samples",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("elapsed_s", sa.REAL(), nullable=False),
        sa.Column("speed_kmh", sa.REAL(), nullable=True),
        sa.Column("incline_pct", sa.REAL(), nullable=True),
        sa.Column("distance_m", sa.REAL(), nullable=True),
        sa.Column("heart_rate", sa.Integer(), nullable=True),
        sa.CheckConstraint("elapsed_s >= 0", name=op.f("ck_run_samples_elapsed_s_not_negative")),
        sa.CheckConstraint(
            "speed_kmh IS NULL OR speed_kmh BETWEEN 0 AND 40", name=op.f("ck_run_samples_speed_kmh_range")
        ),
        sa.CheckConstraint(
            "incline_pct IS NULL OR incline_pct BETWEEN -15 AND 45", name=op.f("ck_run_samples_incline_pct_range")
        ),
        sa.CheckConstraint(
            "distance_m IS NULL OR distance_m >= 0", name=op.f("ck_run_samples_distance_m_not_negative")
        ),
        sa.CheckConstraint(
            "heart_rate IS NULL OR heart_rate BETWEEN 25 AND 240", name=op.f("ck_run_samples_heart_rate_range")
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_run_samples_run_id_runs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "elapsed_s", name=op.f("pk_run_samples")),
    )


def downgrade() -> None:
    op.drop_table("run_samples")

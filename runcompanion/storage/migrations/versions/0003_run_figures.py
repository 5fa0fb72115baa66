"""Run figures from devices: distance, heart rate and zones per run; actual speed and incline per segment.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

Two new tables beside ``runs`` rather than new columns in it: adding CHECK constraints to ``runs`` would take a
batch copy of the table, which drops the journal-search triggers (see 0002), and most runs have no devices.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_figures",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.REAL(), nullable=True),
        sa.Column("avg_heart_rate", sa.Integer(), nullable=True),
        sa.Column("max_heart_rate", sa.Integer(), nullable=True),
        sa.Column("zone_max_heart_rate", sa.Integer(), nullable=True),
        sa.Column("zone_s_json", sa.Text(), nullable=True),
        sa.Column("devices", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint(
            "distance_m IS NULL OR distance_m >= 0", name=op.f("ck_run_figures_distance_m_not_negative")
        ),
        sa.CheckConstraint(
            "avg_heart_rate IS NULL OR avg_heart_rate BETWEEN 25 AND 240",
            name=op.f("ck_run_figures_avg_heart_rate_range"),
        ),
        sa.CheckConstraint(
            "max_heart_rate IS NULL OR max_heart_rate BETWEEN 25 AND 240",
            name=op.f("ck_run_figures_max_heart_rate_range"),
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_run_figures_run_id_runs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_figures")),
    )
    op.create_table(
        "run_segment_figures",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("segment_index", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.REAL(), nullable=False),
        sa.Column("speed_kmh", sa.REAL(), nullable=True),
        sa.Column("incline_pct", sa.REAL(), nullable=True),
        sa.CheckConstraint("distance_m >= 0", name=op.f("ck_run_segment_figures_distance_m_not_negative")),
        sa.CheckConstraint(
            "speed_kmh IS NULL OR speed_kmh BETWEEN 0 AND 40", name=op.f("ck_run_segment_figures_speed_kmh_range")
        ),
        sa.CheckConstraint(
            "incline_pct IS NULL OR incline_pct BETWEEN -15 AND 45",
            name=op.f("ck_run_segment_figures_incline_pct_range"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_run_segment_figures_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "segment_index", name=op.f("pk_run_segment_figures")),
    )


def downgrade() -> None:
    op.drop_table("run_segment_figures")
    op.drop_table("run_figures")

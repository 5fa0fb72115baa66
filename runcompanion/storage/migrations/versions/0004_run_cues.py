"""The coach's memory: which library cues each run said, and when, so the next runs do not repeat them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

A table beside ``runs`` (not a column in it: a batch copy of ``runs`` would drop the journal-search triggers,
see 0002). One row per cue: its id from the cue pack (or ``personal-...``) and its offset in the session, so
the memory can count only what a stopped run actually reached.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_cues",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cue_id", sa.Text(), nullable=False),
        sa.Column("offset_s", sa.REAL(), nullable=False),
        sa.CheckConstraint("offset_s >= 0", name=op.f("ck_run_cues_offset_s_not_negative")),
        sa.CheckConstraint("length(cue_id) BETWEEN 1 AND 64", name=op.f("ck_run_cues_cue_id_length")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_run_cues_run_id_runs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "position", name=op.f("pk_run_cues")),
    )


def downgrade() -> None:
    op.drop_table("run_cues")

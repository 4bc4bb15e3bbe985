"""Recovery tracking: assessments, plan snapshots, diary entries and RMDQ responses.

Revision ID: 0003_tracking
Revises: 0001_runner
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_tracking"
down_revision = "0001_runner"
branch_labels = None
depends_on = None


def _runner_fk() -> sa.Column[int]:
    return sa.Column(
        "runner_id",
        sa.Integer(),
        sa.ForeignKey("runner.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner_fk(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("case", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("kb_version", sa.String(40), nullable=False),
        sa.Column("kb_digest", sa.String(64), nullable=False),
    )
    op.create_table(
        "plan_snapshot",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner_fk(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("phase", sa.String(80), nullable=True),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("kb_version", sa.String(40), nullable=False),
    )
    op.create_table(
        "diary_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner_fk(),
        sa.Column("at", sa.DateTime(timezone=False), nullable=False, index=True),
        sa.Column("pain_now", sa.Integer(), nullable=False),
        sa.Column("pain_worst", sa.Integer(), nullable=True),
        sa.Column("pain_during_run", sa.Integer(), nullable=True),
        sa.Column("pain_next_morning", sa.Integer(), nullable=True),
        sa.Column("stiffness", sa.Integer(), nullable=True),
        sa.Column("locations", sa.JSON(), nullable=False),
        sa.Column("leg_symptoms", sa.Boolean(), nullable=False),
        sa.Column("new_red_flags", sa.JSON(), nullable=False),
        sa.Column("exercises_done", sa.JSON(), nullable=False),
        sa.Column("sleep_hours", sa.Float(), nullable=True),
        sa.Column("rmdq_score", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("run_keys", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("pain_now BETWEEN 0 AND 10", name="pain_now_range"),
        sa.CheckConstraint("pain_worst IS NULL OR pain_worst BETWEEN 0 AND 10", name="worst_range"),
    )
    op.create_table(
        "rmdq_response",
        sa.Column("id", sa.Integer(), primary_key=True),
        _runner_fk(),
        sa.Column("taken_on", sa.Date(), nullable=False, index=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score BETWEEN 0 AND 24", name="score_range"),
    )


def downgrade() -> None:
    for table in ("rmdq_response", "diary_entry", "plan_snapshot", "assessment"):
        op.drop_table(table)

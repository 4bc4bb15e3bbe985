"""Weekly check-ins: pain, function, sessions and runs done, daily steps and the own goal.

Revision ID: 0006_checkin
Revises: 0005_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_checkin"
down_revision = "0005_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "weekly_checkin",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "runner_id",
            sa.Integer(),
            sa.ForeignKey("runner.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("week_end", sa.Date(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("function_score", sa.Integer(), nullable=False),
        sa.Column("sessions_done", sa.Integer(), nullable=False),
        sa.Column("runs_done", sa.Integer(), nullable=False),
        sa.Column("steps_per_day", sa.Integer(), nullable=True),
        sa.Column("goal", sa.String(300), nullable=True),
        sa.Column("goal_met", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("weekly_checkin")

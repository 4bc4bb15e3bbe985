"""Diary entries gain the day's step count (optional), read against the weekly step goal.

Revision ID: 0007_diary_steps
Revises: 0006_checkin
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_diary_steps"
down_revision = "0006_checkin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("diary_entry") as batch:
        batch.add_column(sa.Column("steps", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("diary_entry") as batch:
        batch.drop_column("steps")

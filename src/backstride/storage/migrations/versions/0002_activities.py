"""Activities and shoes.

Revision ID: 0002_activities
Revises: 0001_runner
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_activities"
down_revision = "0001_runner"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shoe",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "runner_id",
            sa.Integer(),
            sa.ForeignKey("runner.id", name="fk_shoe_runner_id_runner", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("brand", sa.String(100), nullable=True),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("start_km", sa.Float(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("runner_id", "name", name="uq_shoe_runner_id"),
    )
    op.create_index("ix_shoe_runner_id", "shoe", ["runner_id"])
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "runner_id",
            sa.Integer(),
            sa.ForeignKey("runner.id", name="fk_activity_runner_id_runner", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sport", sa.String(40), nullable=False),
        sa.Column("sub_sport", sa.String(40), nullable=True),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device", sa.String(200), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("moving_time_s", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("avg_hr_bpm", sa.Float(), nullable=True),
        sa.Column("max_hr_bpm", sa.Float(), nullable=True),
        sa.Column("avg_cadence_spm", sa.Float(), nullable=True),
        sa.Column("avg_speed_mps", sa.Float(), nullable=True),
        sa.Column("has_running_dynamics", sa.Boolean(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("source_format", sa.String(8), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=True),
        sa.Column(
            "shoe_id",
            sa.Integer(),
            sa.ForeignKey("shoe.id", name="fk_activity_shoe_id_shoe", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("surface", sa.String(40), nullable=True),
        sa.Column("samples_path", sa.String(300), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("runner_id", "source_hash", name="uq_activity_runner_id"),
    )
    op.create_index("ix_activity_runner_id", "activity", ["runner_id"])
    op.create_index("ix_activity_start_time", "activity", ["start_time"])
    op.create_index("ix_activity_shoe_id", "activity", ["shoe_id"])


def downgrade() -> None:
    op.drop_table("activity")
    op.drop_table("shoe")

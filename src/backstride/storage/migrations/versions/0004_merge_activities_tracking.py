"""Join the activity and tracking branches into one history.

Revision ID: 0004_merge
Revises: 0002_activities, 0003_tracking
"""

from __future__ import annotations

revision = "0004_merge"
down_revision = ("0002_activities", "0003_tracking")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: both branches' tables already exist."""


def downgrade() -> None:
    """Nothing to change."""

"""Accounts: users, invitations, sessions, access tokens, sign-in throttling, shares with
clinicians, clinician reviews, the audit log and background jobs.

Revision ID: 0005_accounts
Revises: 0004_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_accounts"
down_revision = "0004_merge"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _user_fk(name: str = "user_id", *, ondelete: str = "CASCADE") -> sa.Column[int]:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey("users.id", ondelete=ondelete), nullable=False, index=True
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("research_consent", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column(
            "runner_id",
            sa.Integer(),
            sa.ForeignKey("runner.id", ondelete="SET NULL"),
            nullable=True,
            unique=True,
        ),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column(
            "invited_by",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("secret_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_table(
        "access_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_used_at", TZ, nullable=True),
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", TZ, nullable=False),
        sa.Column("locked_until", TZ, nullable=True),
    )
    op.create_table(
        "share",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk("runner_user_id"),
        _user_fk("clinician_user_id"),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
    )
    op.create_table(
        "clinician_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("reviewer", sa.String(320), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", TZ, nullable=False, index=True),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("at", TZ, nullable=False, index=True),
    )
    op.create_table(
        "job",
        sa.Column("id", sa.String(36), primary_key=True),
        _user_fk(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("output", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "job",
        "audit_event",
        "clinician_reviews",
        "share",
        "login_throttle",
        "access_token",
        "web_session",
        "invitation",
        "users",
    ):
        op.drop_table(table)

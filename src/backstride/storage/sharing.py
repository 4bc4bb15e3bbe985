"""Shares with clinicians and the audit log. Functions take a `Session`, never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backstride.errors import NotFoundError
from backstride.storage.account_tables import AuditEventRow, ShareRow


def add_share(
    session: Session, *, runner_user_id: int, clinician_user_id: int, now: datetime
) -> ShareRow:
    """Let a clinician read this runner's data (an existing live share is reused)."""
    live = active_share(session, runner_user_id=runner_user_id, clinician_user_id=clinician_user_id)
    if live is not None:
        return live
    row = ShareRow(runner_user_id=runner_user_id, clinician_user_id=clinician_user_id,
                   created_at=now, revoked_at=None)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def active_share(
    session: Session, *, runner_user_id: int, clinician_user_id: int
) -> ShareRow | None:
    """The live (not revoked) share between these two accounts, or None."""
    return session.scalars(
        select(ShareRow).where(
            ShareRow.runner_user_id == runner_user_id,
            ShareRow.clinician_user_id == clinician_user_id,
            ShareRow.revoked_at.is_(None),
        )
    ).first()


def shares_of_runner(session: Session, *, runner_user_id: int) -> list[ShareRow]:
    """The runner's live shares, oldest first."""
    query = select(ShareRow).where(
        ShareRow.runner_user_id == runner_user_id, ShareRow.revoked_at.is_(None)
    )
    return list(session.scalars(query.order_by(ShareRow.id)))


def shares_with_clinician(session: Session, *, clinician_user_id: int) -> list[ShareRow]:
    """The live shares others gave this clinician, oldest first."""
    query = select(ShareRow).where(
        ShareRow.clinician_user_id == clinician_user_id, ShareRow.revoked_at.is_(None)
    )
    return list(session.scalars(query.order_by(ShareRow.id)))


def revoke_share(session: Session, *, runner_user_id: int, share_id: int, now: datetime) -> None:
    """End one of the runner's shares at once; NotFoundError for anyone else's."""
    row = session.get(ShareRow, share_id)
    if row is None or row.runner_user_id != runner_user_id or row.revoked_at is not None:
        raise NotFoundError(f"share: no share with id {share_id}")
    row.revoked_at = now
    session.flush()


def add_audit(session: Session, *, user_id: int, actor: str, action: str, at: datetime) -> None:
    """Log that `actor` did `action` on the data of account `user_id`."""
    session.add(AuditEventRow(user_id=user_id, actor=actor, action=action, at=at))
    session.flush()


def audit_log(session: Session, *, user_id: int, limit: int = 500) -> list[AuditEventRow]:
    """The account's audit log, newest first."""
    query = select(AuditEventRow).where(AuditEventRow.user_id == user_id)
    return list(session.scalars(query.order_by(AuditEventRow.id.desc()).limit(limit)))

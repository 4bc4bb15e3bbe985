"""Sign-in credentials: browser sessions, personal access tokens and the failure throttle.

Only SHA-256 digests of secrets are stored. Functions take a `Session` and never commit.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backstride.errors import NotFoundError
from backstride.storage.account_tables import (
    AccessTokenRow,
    LoginThrottleRow,
    UserRow,
    WebSessionRow,
)


def digest(secret: str) -> str:
    """The stored form of a secret (a session cookie or an access token)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def aware(moment: datetime) -> datetime:
    """A stored time as UTC-aware (SQLite hands times back without their zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def add_session(
    session: Session, *, user_id: int, secret: str, csrf_token: str, now: datetime,
    expires_at: datetime,
) -> WebSessionRow:  # fmt: skip
    """Remember a signed-in browser by the digest of its cookie."""
    row = WebSessionRow(user_id=user_id, secret_digest=digest(secret), csrf_token=csrf_token,
                        created_at=now, expires_at=expires_at)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def find_session_user(
    session: Session, *, secret: str, now: datetime
) -> tuple[WebSessionRow, UserRow] | None:
    """The live session this cookie belongs to and its account, in one query (or None)."""
    found = session.execute(
        select(WebSessionRow, UserRow)
        .join(UserRow, UserRow.id == WebSessionRow.user_id)
        .where(WebSessionRow.secret_digest == digest(secret))
    ).first()
    if found is None or aware(found[0].expires_at) <= now:
        return None
    return found[0], found[1]


def end_session(session: Session, *, secret: str) -> None:
    """Forget one session (sign out)."""
    session.execute(delete(WebSessionRow).where(WebSessionRow.secret_digest == digest(secret)))


def end_all_sessions(session: Session, *, user_id: int) -> int:
    """Forget every session of the account (sign out everywhere); how many there were."""
    rows = session.scalars(select(WebSessionRow).where(WebSessionRow.user_id == user_id)).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def add_token(
    session: Session, *, user_id: int, name: str, secret: str, scopes: list[str], now: datetime
) -> AccessTokenRow:
    """Store a new personal access token (by digest)."""
    row = AccessTokenRow(user_id=user_id, name=name, secret_digest=digest(secret),
                         scopes=sorted(set(scopes)), created_at=now)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def find_token(session: Session, *, secret: str) -> AccessTokenRow | None:
    """The token this bearer secret belongs to, or None."""
    return session.scalars(
        select(AccessTokenRow).where(AccessTokenRow.secret_digest == digest(secret))
    ).first()


def list_tokens(session: Session, *, user_id: int) -> list[AccessTokenRow]:
    """The account's tokens, oldest first."""
    query = select(AccessTokenRow).where(AccessTokenRow.user_id == user_id)
    return list(session.scalars(query.order_by(AccessTokenRow.id)))


def delete_token(session: Session, *, user_id: int, token_id: int) -> None:
    """Revoke one of the account's tokens; NotFoundError for anyone else's."""
    row = session.get(AccessTokenRow, token_id)
    if row is None or row.user_id != user_id:
        raise NotFoundError(f"token: no token with id {token_id}")
    session.delete(row)
    session.flush()


def throttle_row(session: Session, key: str) -> LoginThrottleRow | None:
    """The failure count for one key (`account:...` or `address:...`)."""
    return session.get(LoginThrottleRow, key)


def record_failure(session: Session, key: str, *, now: datetime) -> LoginThrottleRow:
    """Count one failed sign-in for this key."""
    row = session.get(LoginThrottleRow, key)
    if row is None:
        row = LoginThrottleRow(key=key, failures=0, first_failure_at=now, locked_until=None)
        session.add(row)
    row.failures += 1
    session.flush()
    return row


def clear_failures(session: Session, key: str) -> None:
    """Forget the failures of this key (after a successful sign-in)."""
    session.execute(delete(LoginThrottleRow).where(LoginThrottleRow.key == key))


def user_for_session(session: Session, row: WebSessionRow | AccessTokenRow) -> UserRow | None:
    """The account a session or token belongs to."""
    return session.get(UserRow, row.user_id)

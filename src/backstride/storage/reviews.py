"""Clinician reviews of a runner: a recorded review is what ends a standing red-flag
escalation. Functions take a `Session` and never commit (the caller owns the transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backstride.errors import InputError
from backstride.storage.account_tables import ClinicianReviewRow

MAX_NOTE_CHARS = 5000


@dataclass(frozen=True)
class Review:
    """One recorded review: who reviewed the runner (`user_id`), when, and their note."""

    id: int
    user_id: int
    reviewer: str
    note: str
    at: datetime


def record_review(
    session: Session, *, user_id: int, note: str, reviewer: str, at: datetime
) -> Review:
    """Store a clinician's review of the runner whose account is `user_id`."""
    clean = note.strip()
    if not clean:
        raise InputError("note: write what you reviewed (it cannot be empty)")
    if len(clean) > MAX_NOTE_CHARS:
        raise InputError(f"note: at most {MAX_NOTE_CHARS} characters, got {len(clean)}")
    if at.tzinfo is None:
        raise InputError("at: the review time needs a time zone")
    row = ClinicianReviewRow(user_id=user_id, reviewer=reviewer, note=clean, at=at)
    session.add(row)
    session.flush()
    return _review(row)


def latest_review(session: Session, *, user_id: int) -> Review | None:
    """The most recent review of this runner's account, or None when there is none."""
    row = session.scalars(
        select(ClinicianReviewRow)
        .where(ClinicianReviewRow.user_id == user_id)
        .order_by(ClinicianReviewRow.at.desc(), ClinicianReviewRow.id.desc())
        .limit(1)
    ).first()
    return None if row is None else _review(row)


def list_reviews(session: Session, *, user_id: int) -> list[Review]:
    """Every review of this runner's account, newest first."""
    rows = session.scalars(
        select(ClinicianReviewRow)
        .where(ClinicianReviewRow.user_id == user_id)
        .order_by(ClinicianReviewRow.at.desc(), ClinicianReviewRow.id.desc())
    )
    return [_review(row) for row in rows]


def _review(row: ClinicianReviewRow) -> Review:
    at = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=UTC)  # SQLite drops it
    return Review(id=row.id, user_id=row.user_id, reviewer=row.reviewer, note=row.note, at=at)

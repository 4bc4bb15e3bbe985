"""Clinician reviews: recording one ends a standing red-flag escalation (for what came before)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.errors import InputError
from backstride.services.store import local_runner, store_session
from backstride.storage import reviews
from backstride.storage.account_tables import UserRow
from backstride.storage.accounts import user_of_runner

#: The account a single-user install acts as when no account owns its runner yet.
LOCAL_OWNER_EMAIL = "owner@localhost.invalid"


def add_review(settings: Settings, *, note: str, reviewer: str, now: datetime) -> reviews.Review:
    """Record a clinician's review of the local runner at `now` (tz-aware)."""
    if now.tzinfo is None:
        raise InputError("review time: needs a time zone")
    with store_session(settings) as session:
        user = _local_user(session)
        return reviews.record_review(
            session, user_id=user.id, note=note, reviewer=reviewer.strip() or "clinician", at=now
        )


def _local_user(session: Session) -> UserRow:
    """The account owning the local runner, created as the owner when there is none."""
    runner = local_runner(session)
    user = user_of_runner(session, runner.id)
    if user is not None:
        return user
    row = UserRow(email=LOCAL_OWNER_EMAIL, name=None, password_hash=None, roles=["owner"],
                  research_consent=False, runner_id=runner.id,
                  created_at=runner.created_at)  # fmt: skip
    session.add(row)
    session.flush()
    return row

"""Clinician reviews and accounts in storage, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from backstride.errors import InputError
from backstride.storage import account_tables
from backstride.storage.accounts import add_user, delete_user, user_of_runner
from backstride.storage.base import Base
from backstride.storage.db import make_engine, migrate, session_scope
from backstride.storage.reviews import latest_review, list_reviews, record_review

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ACCOUNT_TABLES = {t.name for t in Base.metadata.sorted_tables if t.name in {
    account_tables.UserRow.__tablename__, "invitation", "web_session", "access_token",
    "login_throttle", "share", "clinician_reviews", "audit_event", "job"}}  # fmt: skip


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def test_the_migration_creates_exactly_the_account_tables_the_models_declare(
    engine: Engine,
) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if any(name in repr(d) for name in ACCOUNT_TABLES)]
    assert ours == []
    assert len(ACCOUNT_TABLES) == 9


def test_the_latest_review_is_the_newest_and_belongs_to_that_runner_only(engine: Engine) -> None:
    with session_scope(engine) as session:
        ann = add_user(session, email="ann@example.org", password_hash=None, roles=[], now=NOW)
        bob = add_user(session, email="bob@example.org", password_hash=None, roles=[], now=NOW)
        record_review(session, user_id=ann.id, note="seen", reviewer="dr@example.org", at=NOW)
        later = NOW + timedelta(days=2)
        record_review(session, user_id=ann.id, note=" back to running ", reviewer="dr", at=later)
        ann_id, bob_id = ann.id, bob.id
    with session_scope(engine) as session:
        found = latest_review(session, user_id=ann_id)
        assert found is not None
        assert (found.note, found.at) == ("back to running", later)
        assert len(list_reviews(session, user_id=ann_id)) == 2
        assert latest_review(session, user_id=bob_id) is None


@pytest.mark.parametrize("note", ["", "   ", "x" * 5001])
def test_an_empty_or_overlong_review_note_is_refused(engine: Engine, note: str) -> None:
    with session_scope(engine) as session:
        ann = add_user(session, email="ann@example.org", password_hash=None, roles=[], now=NOW)
        with pytest.raises(InputError, match="note"):
            record_review(session, user_id=ann.id, note=note, reviewer="dr", at=NOW)


def test_deleting_an_account_removes_its_runner_and_reviews(engine: Engine) -> None:
    with session_scope(engine) as session:
        ann = add_user(session, email="Ann@Example.org ", password_hash=None, roles=[], now=NOW)
        assert ann.email == "ann@example.org"
        runner_id = ann.runner_id
        assert runner_id is not None
        assert user_of_runner(session, runner_id) is ann
        record_review(session, user_id=ann.id, note="seen", reviewer="dr", at=NOW)
        delete_user(session, ann)
    with session_scope(engine) as session:
        assert user_of_runner(session, runner_id) is None
        assert latest_review(session, user_id=ann.id) is None


def test_an_email_has_one_account(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_user(session, email="ann@example.org", password_hash=None, roles=[], now=NOW)
        with pytest.raises(InputError, match="already exists"):
            add_user(session, email="ANN@example.org", password_hash=None, roles=[], now=NOW)

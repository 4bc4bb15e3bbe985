"""Opening the store and finding the local runner: shared by every use case."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.storage.db import open_database, session_scope
from backstride.storage.tables import RunnerRow


def open_store(settings: Settings) -> Engine:
    """Open (and migrate) the configured database."""
    return open_database(settings)


@contextmanager
def store_session(settings: Settings) -> Iterator[Session]:
    """One transaction on the configured store; the engine is closed afterwards."""
    engine = open_store(settings)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def local_runner(session: Session) -> RunnerRow:
    """The runner of a single-user install, created on first use."""
    runner = session.scalars(select(RunnerRow).order_by(RunnerRow.id).limit(1)).first()
    if runner is None:
        runner = RunnerRow(name="me", created_at=datetime.now(UTC), profile={})
        session.add(runner)
        session.flush()
    return runner

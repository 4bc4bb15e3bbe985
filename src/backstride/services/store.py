"""Opening the store and finding the local runner: shared by every use case."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.storage.db import open_database
from backstride.storage.tables import RunnerRow


def open_store(settings: Settings) -> Engine:
    """Open (and migrate) the configured database."""
    return open_database(settings)


def local_runner(session: Session) -> RunnerRow:
    """The runner of a single-user install, created on first use."""
    runner = session.scalars(select(RunnerRow).order_by(RunnerRow.id).limit(1)).first()
    if runner is None:
        runner = RunnerRow(name="me", created_at=datetime.now(UTC), profile={})
        session.add(runner)
        session.flush()
    return runner

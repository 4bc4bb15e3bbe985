"""`backstride serve --workers N`: the database is migrated once, before any worker starts."""

from __future__ import annotations

from sqlalchemy import create_engine

from backstride.config import Settings
from backstride.services import store
from backstride.services.store import migrate_once
from backstride.storage.db import _at_heads


def test_migrating_before_the_workers_leaves_the_database_current_and_no_engine_open(
    settings: Settings,
) -> None:
    migrate_once(settings)
    assert store._engines == {}  # no pool crosses into the forked workers
    engine = create_engine(settings.resolved_database_url)
    try:
        assert _at_heads(engine)  # each worker finds nothing left to migrate
    finally:
        engine.dispose()

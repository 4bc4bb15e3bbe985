"""Engine and session factory; migrations are applied on first use of a database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.errors import StorageError
from backstride.storage.direct import MIGRATIONS_DIR, SQLITE_PRAGMAS, Store, script_heads

__all__ = ["MIGRATIONS_DIR", "make_engine", "migrate", "open_database", "script_heads",
           "session_scope"]  # fmt: skip


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def migrate(engine: Engine, revision: str = "heads") -> None:
    """Upgrade the database to `revision` (all heads by default)."""
    if revision == "heads" and _at_heads(engine):
        return  # the usual case: no need to import Alembic (a third of a second)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _at_heads(engine: Engine) -> bool:
    """True when the database's recorded revisions are exactly the scripts' heads."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            stored = {str(row[0]) for row in rows}
    except Exception:  # no table yet (a new database) or no access: let Alembic decide
        return False
    return bool(stored) and stored == script_heads()


def open_database(settings: Settings) -> Engine:
    """Create the data directory, open the configured database and migrate it."""
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.resolved_database_url)
        migrate(engine)
    except Exception as exc:  # any driver/OS failure becomes one clear message
        raise StorageError(
            f"cannot open the database at {settings.resolved_database_url}: {exc}"
        ) from exc
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any exception."""
    # A plain Session: a sessionmaker per call would build a Session subclass (and its event
    # dispatch) every time, a third of the cost of a small request.
    session = Session(bind=engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def direct_store_of(session: Session) -> Store:
    """The direct path's reads on this session's own connection (inside its transaction,
    with its pending changes flushed first, as an ORM query would autoflush them)."""
    session.flush()
    connection = session.connection()
    driver = connection.connection.driver_connection
    return Store(driver, sqlite=connection.dialect.name == "sqlite")

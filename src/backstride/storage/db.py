"""Engine and session factory; migrations are applied on first use of a database."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.errors import StorageError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
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


#: `revision = "..."` / `down_revision = ...` at the start of a line of a migration script.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)


def script_heads() -> set[str]:
    """The revisions no other migration builds on, read from the scripts' assignments."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        # Only the two assignment lines are read: parsing whole scripts on every start
        # cost more than the rest of opening the store.
        for name, literal in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            value = ast.literal_eval(literal)
            if name == "revision":
                revisions.add(value)
            elif value:
                parents.update([value] if isinstance(value, str) else value)
    return revisions - parents


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

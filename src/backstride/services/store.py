"""Opening the store and finding the acting account's runner: shared by every use case.

One engine (and connection pool) per process per database URL, migrated once when it is
first opened, never per request. Which account a use case acts for is set by the shell:
the web app per request (`acting_as`), the CLI once per process (`act_for_process`, the
owner account unless `--user EMAIL`). Without either, use cases act as the owner account,
created on first use, which keeps a single-person install working as before.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.services import cache
from backstride.services.acting import (
    NoActingUserError,
    act_for_process,
    act_in_this_request,
    acting_as,
    acting_user_id,
    known_runner_id,
    request_scope,
    require_acting_user,
)
from backstride.services.moment import shell_moment
from backstride.storage.account_tables import UserRow
from backstride.storage.accounts import owner, runner_of
from backstride.storage.db import open_database, session_scope
from backstride.storage.tables import RunnerRow

#: How many databases one process keeps open at once (a server uses one; tests use many).
MAX_OPEN_ENGINES = 4
OWNER_EMAIL = "owner@localhost"

_engines: OrderedDict[str, Engine] = OrderedDict()
_engines_lock = threading.Lock()
__all__ = ["NoActingUserError", "act_for_process", "act_in_this_request", "acting_as",
           "request_scope", "require_acting_user"]  # fmt: skip


def open_store(settings: Settings) -> Engine:
    """The process's engine for the configured database (opened and migrated once)."""
    url = settings.resolved_database_url
    with _engines_lock:
        engine = _engines.get(url)
        if engine is not None:
            _engines.move_to_end(url)
            return engine
        engine = open_database(settings)
        cache.register_store(engine, settings.home, config=_results_config(settings))
        _engines[url] = engine
        while len(_engines) > MAX_OPEN_ENGINES:
            _url, oldest = _engines.popitem(last=False)
            oldest.dispose()
        return engine


#: Settings no kept result depends on (who may register, how the server is reached, its
#: worker count): the terminal and the server share what they keep whatever these say.
SHELL_ONLY_SETTINGS = frozenset({"workers", "registration", "allowed_hosts", "public_url"})


def _results_config(settings: Settings) -> str:
    """A digest of the settings kept results may depend on."""
    values = settings.model_dump_json(exclude=set(SHELL_ONLY_SETTINGS))
    return hashlib.sha256(values.encode("utf-8")).hexdigest()[:16]


def migrate_once(settings: Settings) -> None:
    """Open (and migrate) the database, then close it: before server workers start, so each
    finds it current and none crosses another's migration."""
    open_store(settings)
    close_stores()


def release_store(engine: Engine) -> None:
    """A use case is done with the engine; it stays open for the rest of the process."""
    del engine  # nothing to close: the pool is shared by every use case of this process


def close_stores() -> None:
    """Dispose every engine this process opened (at shutdown, or before forking)."""
    with _engines_lock:
        while _engines:
            _url, engine = _engines.popitem()
            engine.dispose()
    cache.clear()


@contextmanager
def store_session(settings: Settings) -> Iterator[Session]:
    """One transaction on the configured store (the process's shared engine)."""
    with session_scope(open_store(settings)) as session:
        yield session


def acting_user(session: Session) -> UserRow:
    """The account the current use case acts for: set by the shell, else the owner."""
    user_id = acting_user_id()
    if user_id is not None:
        found = session.get(UserRow, user_id)
        if found is None:
            raise NoActingUserError("account: the signed-in account no longer exists")
        return found
    return owner_account(session)


def owner_account(session: Session, *, now: datetime | None = None) -> UserRow:
    """The owner account, created on first use at `now` (by default the moment the shell
    gave, `services.moment`); it adopts data stored before accounts."""
    found = owner(session)
    if found is not None:
        return found
    now = now or shell_moment()
    if now is None:
        raise NoActingUserError("account: no owner account yet, and the shell gave no time")
    orphan = session.scalars(
        select(RunnerRow)
        .where(~RunnerRow.id.in_(select(UserRow.runner_id).where(UserRow.runner_id.is_not(None))))
        .order_by(RunnerRow.id)
        .limit(1)
    ).first()
    if orphan is None:
        orphan = RunnerRow(name="me", created_at=now, profile={})
        session.add(orphan)
        session.flush()
    user = UserRow(email=OWNER_EMAIL, name=None, password_hash=None, roles=["admin", "owner"],
                   research_consent=False, runner_id=orphan.id, created_at=now)  # fmt: skip
    session.add(user)
    session.flush()
    return user


def local_runner(session: Session) -> RunnerRow:
    """The runner whose data the acting account owns (created on first use)."""
    known = known_runner_id()
    if known is not None:
        found = session.get(RunnerRow, known)
        if found is not None:
            return found
    return runner_of(session, acting_user(session))


def acting_runner_id(settings: Settings) -> int:
    """The acting account's runner id: as read with the account, else from the store."""
    known = known_runner_id()
    if known is not None:
        return known
    with store_session(settings) as session:
        return local_runner(session).id

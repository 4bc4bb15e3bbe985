"""Per-runner results kept between requests until that runner's data changes.

A page such as progress reads five years of diary and runs and re-derives everything; the
answer only changes when the runner's data does (or the day does). `cached` keeps such a
result in this process, keyed by the runner, the kind of result and its arguments, and
stamped with the runner's data version. Every committed write to a runner's rows bumps
that version, whoever wrote it: the listeners below watch every session of every process
(web workers, the CLI), and the version is a small file in the data directory, which all
workers of one installation share, so a write in one worker is seen by all the others.
A write the listeners cannot attribute to one runner bumps every runner's version.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState, Session

from backstride.services.versions import (
    EVERYONE,
    MAX_ENTRIES,
    Slot,
    _entries,
    _lock,
    register_config,
    runner_stamp,
    slot_at,
    versions_dir,
)
from backstride.services.versions import bump as _bump
from backstride.services.versions import version as _version

T = TypeVar("T")
#: Tables whose rows never feed a cached result (sign-in, throttling, audit, job state, the
#: snapshots of plans as given); a write to them leaves every kept result valid. A table
#: read by a cached computation must never be listed here.
UNCACHED_TABLES = frozenset(
    {"web_session", "access_token", "login_throttle", "audit_event", "job", "invitation",
     "plan_snapshot"}
)  # fmt: skip
#: Tables whose changed or removed rows can end or change a signed-in credential (sign-out,
#: a revoked token, a changed role or password, a deleted account): they bump CREDENTIALS.
CREDENTIAL_TABLES = frozenset({"web_session", "access_token", "users"})
CREDENTIALS = "credentials"
_PENDING = "backstride_changed_runners"

_homes: dict[str, Path] = {}  # database URL -> the data directory that keeps its versions
__all__ = ["MAX_ENTRIES", "Slot", "_entries"]


def register_store(engine: Engine, home: Path, *, config: str = "") -> None:
    """Keep the data versions (and kept results) of this engine's database under `home`;
    `config` is a digest of the settings it is served with."""
    _homes[engine.url.render_as_string(hide_password=False)] = home
    register_config(home, config)


def _stamp_dir(session: Session) -> Path | None:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    home = _homes.get(engine.url.render_as_string(hide_password=False))
    return None if home is None else versions_dir(home)


def rows_replaced(engine: Engine) -> None:
    """Rows were written without a Session (a restore, a wipe): every kept result is stale."""
    home = _homes.get(engine.url.render_as_string(hide_password=False))
    if home is not None:
        _bump(versions_dir(home), EVERYONE)


def _writes_pending(session: Session) -> bool:
    return bool(session.new or session.dirty or session.deleted or session.info.get(_PENDING))


def slot(session: Session, runner_id: int, key: Hashable) -> Slot[Any]:
    """The slot for `key` of this runner, its version read now (before the data is read).

    Inside a transaction that has written anything nothing is kept (that data is not yet
    everyone's). The session may be closed before the result is computed, so a result that
    opens sessions of its own never holds two connections at once.
    """
    if _writes_pending(session):
        return Slot(None, ())
    bind = session.get_bind()
    return slot_of(bind if isinstance(bind, Engine) else bind.engine, runner_id, key)


def slot_of(engine: Engine, runner_id: int, key: Hashable) -> Slot[Any]:
    """The slot for `key` of this runner in `engine`'s database, read outside any session."""
    url = engine.url.render_as_string(hide_password=False)
    home = _homes.get(url)
    if home is None:
        return Slot(None, ())
    return slot_at(home, str(engine.url), runner_id, key)


def cached(session: Session, runner_id: int, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its kept result while runner `runner_id`'s data is unchanged."""
    found: Slot[T] = slot(session, runner_id, key)
    return found.value if found.hit else found.keep(compute())


def credentials_stamp(engine: Engine) -> tuple[object, ...] | None:
    """The version of every credential in `engine`'s database (None: not versioned)."""
    home = _homes.get(engine.url.render_as_string(hide_password=False))
    if home is None:
        return None
    folder = home / "versions"
    return (*_version(folder, CREDENTIALS), *_version(folder, EVERYONE))


def account_version(user_id: int) -> str:
    """The name of an account's own version: bumped by every write to a row of that account
    (its sessions, tokens, audit log, shares, jobs, the account itself)."""
    return f"account-{user_id}"


def _accounts_of(row: object, table: str | None) -> tuple[int | None, ...]:
    if table == "users":
        return (getattr(row, "id", None),)
    if table == "share":
        return (getattr(row, "runner_user_id", None), getattr(row, "clinician_user_id", None))
    return (getattr(row, "user_id", None),)


def page_stamp(engine: Engine, *, runner_id: int, user_id: int) -> tuple[object, ...] | None:
    """Everything a whole page of this account depends on besides the day: the runner's
    kept-result stamp, the account's own version and every credential's (None: the
    database is not versioned)."""
    home = _homes.get(engine.url.render_as_string(hide_password=False))
    if home is None:
        return None
    folder = versions_dir(home)
    return (*runner_stamp(home, runner_id), *_version(folder, account_version(user_id)),
            *_version(folder, CREDENTIALS))  # fmt: skip


def clear() -> None:
    """Forget every kept result (tests and shutdown)."""
    with _lock:
        _entries.clear()


def _changed(session: Session) -> set[str]:
    found: set[str] = session.info.setdefault(_PENDING, set())
    return found


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: object) -> None:
    changed = _changed(session)
    if any(getattr(row, "__tablename__", None) in CREDENTIAL_TABLES
           for row in (*session.dirty, *session.deleted)):  # fmt: skip
        changed.add(CREDENTIALS)
    for row in (*session.new, *session.dirty, *session.deleted):
        table = getattr(row, "__tablename__", None)
        changed.update(account_version(u) for u in _accounts_of(row, table) if u is not None)
        if table in UNCACHED_TABLES:
            continue
        runner_id = getattr(row, "runner_id", None)
        if table == "runner":
            runner_id = getattr(row, "id", None)
        changed.add(EVERYONE if runner_id is None else str(runner_id))


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    tables = {getattr(m.entity, "__tablename__", None) for m in state.all_mappers}
    if not state.is_insert and (not tables or tables & CREDENTIAL_TABLES):
        _changed(state.session).add(CREDENTIALS)
    if tables and tables <= UNCACHED_TABLES:
        return
    _changed(state.session).add(EVERYONE)  # a bulk statement: its runners are not known here


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    changed = session.info.pop(_PENDING, None)
    if not changed:
        return
    folder = _stamp_dir(session)
    if folder is None:
        return
    for name in sorted(changed):
        _bump(folder, name)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)

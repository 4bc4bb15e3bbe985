"""Which account the current use case acts for, as the shell set it (no database here).

The web app sets it per request, the CLI once per process; `store` resolves it to a row
and the direct path of the short commands to an id, from this one state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from backstride.errors import BackstrideError

_acting: ContextVar[int | None] = ContextVar("backstride_acting_user", default=None)
_required: ContextVar[bool] = ContextVar("backstride_acting_user_required", default=False)
#: The acting account's runner, when the shell read it with the account (one query fewer).
_acting_runner: ContextVar[int | None] = ContextVar("backstride_acting_runner", default=None)
_process_user: list[int] = []


class NoActingUserError(BackstrideError):
    """A use case ran where an account is required but none was given (a shell's bug)."""


def acting_user_id() -> int | None:
    """The account set by the shell (this request's, else this process's), or None: the
    owner account then, unless an account is required (NoActingUserError)."""
    user_id = _acting.get()
    if user_id is None and _process_user:
        user_id = _process_user[0]
    if user_id is None and _required.get():
        raise NoActingUserError("account: this needs a signed-in account")
    return user_id


@contextmanager
def _strict_scope(user_id: int | None) -> Iterator[None]:
    """Inside, use cases act for `user_id` (none yet when None) and require an account."""
    token = _acting.set(user_id)
    strict = _required.set(True)
    runner = _acting_runner.set(None)
    try:
        yield
    finally:
        _acting_runner.reset(runner)
        _required.reset(strict)
        _acting.reset(token)


@contextmanager
def acting_as(user_id: int) -> Iterator[None]:
    """Run the enclosed use cases for this account only (and require an account at all)."""
    with _strict_scope(user_id):
        yield


@contextmanager
def require_acting_user() -> Iterator[None]:
    """Inside, a use case without an acting account fails instead of acting as the owner."""
    token = _required.set(True)
    try:
        yield
    finally:
        _required.reset(token)


@contextmanager
def request_scope() -> Iterator[None]:
    """One web request: no account until the request is authenticated, and one is required."""
    with _strict_scope(None):
        yield


def act_in_this_request(user_id: int, runner_id: int | None = None) -> None:
    """Inside `request_scope`: every use case of this request acts for this account (whose
    runner, when given, was read with the account while authenticating this request)."""
    _acting.set(user_id)
    _acting_runner.set(runner_id)


def known_runner_id() -> int | None:
    """The acting account's runner id when this request's shell read it with the account."""
    known = _acting_runner.get()
    return known if known is not None and _acting.get() is not None else None


def act_for_process(user_id: int | None) -> None:
    """The account every use case of this process acts for (None: back to the owner)."""
    _process_user.clear()
    if user_id is not None:
        _process_user.append(user_id)

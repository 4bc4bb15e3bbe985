"""The moment the shell started this command or request: the time a use case stamps on a
row it creates implicitly (the owner account on first use). Services never read the clock;
the shell tells them the time once, here, or passes `now` to a use case."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

_moment: ContextVar[datetime | None] = ContextVar("backstride_shell_moment", default=None)
_process_moment: list[datetime] = []


def started_at(now: datetime) -> None:
    """The shell's moment for every use case of this process (the CLI, once per command)."""
    _process_moment[:] = [now]


@contextmanager
def started_at_in_scope(now: datetime) -> Iterator[None]:
    """Inside, use cases take `now` as the shell's moment (a request, a job, a test)."""
    token = _moment.set(now)
    try:
        yield
    finally:
        _moment.reset(token)


def shell_moment() -> datetime | None:
    """The moment the shell gave, or None when it gave none."""
    found = _moment.get()
    if found is None and _process_moment:
        found = _process_moment[0]
    return found

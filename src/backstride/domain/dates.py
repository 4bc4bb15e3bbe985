"""Days as people type them (YYYY-MM-DD): the one date parser of every shell, terminal and
web alike, with the one-line error users see."""

from __future__ import annotations

from datetime import date

from backstride.errors import InputError


def read_day(text: str, what: str) -> date:
    """A YYYY-MM-DD day; InputError naming `what` otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{what} must be YYYY-MM-DD, got {text!r}") from exc


def parse_day(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or None when it was not given."""
    return None if text is None else read_day(text, option)

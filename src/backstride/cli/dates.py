"""Day options on the command line (YYYY-MM-DD), with the one-line error users see."""

from __future__ import annotations

from datetime import date

from backstride.errors import InputError


def parse_day(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or None when it was not given."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{option} must be YYYY-MM-DD, got {text!r}") from exc

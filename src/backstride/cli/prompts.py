"""Interactive prompts that never lose an answer: anything unparseable is refused with one
plain message and asked again (numbers out of range, typos, picks that are not listed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import click

from backstride.cli.dates import read_day
from backstride.errors import InputError


def ask_int(text: str, *, low: int, high: int, optional: bool = False) -> int | None:
    """A whole number from `low` to `high` (Enter skips when optional)."""
    while True:
        raw = click.prompt(text, default="" if optional else None, show_default=False,
                           err=True).strip()  # fmt: skip
        if not raw and optional:
            return None
        if raw.isdigit() and low <= int(raw) <= high:
            return int(raw)
        click.echo(_say("whole_number_refused", low=low, high=high), err=True)


def ask_date(text: str, *, default: date) -> date:
    """A day as YYYY-MM-DD (Enter keeps the default)."""
    while True:
        raw = click.prompt(text, default=default.isoformat(), err=True).strip()
        try:
            return read_day(raw, text)
        except InputError:
            click.echo(_say("date_refused"), err=True)


def ask_picks(text: str, labels: Sequence[str]) -> tuple[int, ...]:
    """Zero or more of the numbered `labels` (0-based indexes), comma separated.

    Every part must be one of the numbers shown; otherwise nothing is taken, the parts that
    were not understood are named and the question is asked again.
    """
    for number, label in enumerate(labels, start=1):
        click.echo(f"  {number:2d}. {label}", err=True)
    while True:
        raw = click.prompt(text, default="", show_default=False, err=True)
        parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
        bad = [p for p in parts if not (p.isdigit() and 1 <= int(p) <= len(labels))]
        if not bad:
            return tuple(dict.fromkeys(int(p) - 1 for p in parts))
        click.echo(_say("picks_refused", parts=", ".join(bad), count=len(labels)), err=True)


def ask_yes_no(text: str, *, default: bool | None = None) -> bool:
    """Yes or no (y/n); anything else is asked again."""
    return bool(click.confirm(text, default=default, err=True))


def _say(name: str, **values: object) -> str:
    """A refusal in the prompts' words (`text.prompts`); the knowledge base is read only
    when an answer is refused, so a prompt answered right the first time never loads it."""
    from backstride.knowledge import load_knowledge_base
    from backstride.knowledge.texts import screen_text

    return screen_text(load_knowledge_base(), "prompts", name, **values)

"""Sentence templates in records: `{name}` fields checked at load and filled by the engines."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from string import Formatter
from typing import TypeVar


def template_fields(text: str) -> set[str]:
    """The `{name}` fields a template uses (format specs such as `{x:.0f}` allowed)."""
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def check_template(text: str, allowed: Iterable[str]) -> str:
    """`text` when it names only `allowed` fields; ValueError naming the stray ones otherwise."""
    stray = template_fields(text) - set(allowed)
    if stray:
        raise ValueError(f"unknown template fields {sorted(stray)} (allowed: {sorted(allowed)})")
    return text


def fill(text: str, values: Mapping[str, object]) -> str:
    """The template with its fields filled from `values`."""
    return text.format_map(dict(values))


Name = TypeVar("Name", bound=str)


def check_texts(
    texts: Mapping[Name, str], fields: Mapping[Name, frozenset[str]], *, what: str
) -> None:
    """Every named text present and each a template naming only its allowed fields."""
    missing = set(fields) - set(texts)
    if missing:
        raise ValueError(f"{what}: missing {sorted(missing)}")
    for name, text in texts.items():
        check_template(text, fields[name])

"""The sentences of a terminal screen, read from its `text.<screen>` knowledge-base record.

The knowledge base is loaded on the first sentence a command prints, not when the module
is imported, so a command that prints none of them (`--version`) never loads it.
"""

from __future__ import annotations

from collections.abc import Callable

from backstride.errors import InputError


def screen(name: str) -> Callable[..., str]:
    """A function giving one sentence of screen `name` by its name, its fields filled."""

    def say(text: str, /, **values: object) -> str:
        from backstride.knowledge import load_knowledge_base
        from backstride.knowledge.texts import screen_text

        return screen_text(load_knowledge_base(), name, text, **values)

    return say


def check_text_or_json(output: str) -> None:
    """Refuse a `--format` other than text or json (the refusal's words: `text.app`)."""
    if output not in ("text", "json"):
        raise InputError(screen("app")("format_refused", got=output))

"""The use cases' notes and refusals: one sentence of a text record of the knowledge base."""

from __future__ import annotations

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.texts import screen_text


def service_text(screen: str, name: str, /, **values: object) -> str:
    """The sentence `name` of record `text.<screen>`, its fields filled from `values`."""
    return screen_text(load_knowledge_base(), screen, name, **values)

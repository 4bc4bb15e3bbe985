"""The web's sentences: one page's text record (`text.web_<page>`), read by name.

Templates call `say(page, name, **values)` (a template global) and the page modules call
the same function for their form messages, so every sentence a person reads on the web is
a record of the knowledge base, filled with the values the code applied.
"""

from __future__ import annotations

from backstride.knowledge.texts import screen_text


def say(page: str, name: str, /, **values: object) -> str:
    """The sentence `name` of `page` (record `text.web_<page>`), its fields filled."""
    from backstride.services.assessment import knowledge_base

    return screen_text(knowledge_base(), f"web_{page}", name, **values)

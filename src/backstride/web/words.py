"""The web's sentences: one page's text record (`text.web_<page>`), read by name.

Templates call `say(page, name, **values)` (a template global) and the page modules call
the same function for their form messages, so every sentence a person reads on the web is
a record of the knowledge base, filled with the values the code applied. A sentence that
carries a link or emphasis is `say_marked`: the record's words and every plain value are
escaped, and only values the template marked as markup (its links) go in as they are.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from backstride.knowledge.texts import ScreenTexts
from backstride.services.texts import service_text


def say(page: str, name: str, /, **values: object) -> str:
    """The sentence `name` of `page` (record `text.web_<page>`), its fields filled."""
    return service_text(f"web_{page}", name, **values)


def say_marked(page: str, name: str, /, **values: object) -> Markup:
    """The sentence as markup: its words and plain values escaped, markup values kept."""
    from backstride.services.assessment import knowledge_base

    text = knowledge_base().one(ScreenTexts, f"text.web_{page}").texts[name]
    return Markup(escape(text)).format_map(values)


def link(href: str, words: str, css_class: str = "") -> Markup:
    """A link to `href` with `words` (all escaped), for a field of a marked sentence."""
    if css_class:
        return Markup('<a class="{}" href="{}">{}</a>').format(css_class, href, words)
    return Markup('<a href="{}">{}</a>').format(href, words)


def strong(words: str) -> Markup:
    """`words` emphasised (escaped), for a field of a marked sentence."""
    return Markup("<strong>{}</strong>").format(words)

"""Plain words for what an assessment or a plan found, read from the knowledge base.

Results and plans carry ids (`pattern.nonspecific`, `worse_sitting`, `cauda_equina`) for
programs; everything a person reads goes through here and shows the record's own plain
name or text instead. Ids stay in JSON and the clinician report.
"""

from __future__ import annotations

from collections.abc import Iterable

from backstride.knowledge import urgency
from backstride.knowledge.labels import plain
from backstride.knowledge.model import KnowledgeBase, Source
from backstride.knowledge.rules import DurationClass, Pattern, RedFlag
from backstride.knowledge.texts import screen_text

#: How many sources a person sees by default: the ones the main advice rests on.
KEY_SOURCES = 3


def pattern_names(kb: KnowledgeBase, patterns: Iterable[str]) -> list[str]:
    """Each pattern's plain name ("Non-specific (mechanical) low back pain")."""
    names: dict[str, str] = {p.pattern: p.name for p in kb.of(Pattern)}
    return [names.get(p, p.replace("_", " ")) for p in patterns]


def duration_words(kb: KnowledgeBase, duration: str) -> str:
    """The duration class in words ("Pain for less than 4 weeks (acute).")."""
    for record in kb.of(DurationClass):
        if record.duration == duration:
            return record.text.rstrip(".")
    return duration


def red_flag_names(kb: KnowledgeBase, flags: Iterable[str]) -> list[str]:
    """Each red flag's condition in words, the medical name kept in it."""
    return [urgency.flag_name(kb, f) for f in flags]


def referral_texts(kb: KnowledgeBase, reasons: Iterable[str]) -> list[str]:
    """Why a clinician should see the person, in plain words per referral reason."""
    return [urgency.referral_words(kb, r) for r in reasons]


def weak_flag_texts(kb: KnowledgeBase, weak: Iterable[str]) -> list[str]:
    """Each weak flag (noted, never a warning sign alone) in words."""
    texts = {t.id: t.text for r in kb.of(RedFlag) for t in r.weak_triggers}
    return [texts.get(w, w.rsplit(".", 1)[-1].replace("_", " ")) for w in weak]


def caution_words(kb: KnowledgeBase, cautions: Iterable[str]) -> str:
    """The caution tags that left exercises out, in words."""
    return "; ".join(plain(kb, "caution", c) for c in cautions)


def key_sources(
    kb: KnowledgeBase, cited: Iterable[str], *, all_sources: bool = False
) -> tuple[list[Source], int]:
    """The sources to show (the first cited, or all) and how many were left out."""
    found = [kb.sources[s] for s in dict.fromkeys(cited) if s in kb.sources]
    shown = found if all_sources else found[:KEY_SOURCES]
    return shown, len(found) - len(shown)


def more_sources_line(kb: KnowledgeBase, count: int) -> str:
    """The note under a shortened source list (its words: `text.sources`)."""
    return screen_text(kb, "sources", "more", count=count)

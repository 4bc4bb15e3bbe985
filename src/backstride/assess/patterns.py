"""Likely patterns (not diagnoses), most likely first, each with the features behind it."""

from __future__ import annotations

from dataclasses import dataclass

from backstride.assess.conditions import Facts, holds
from backstride.assess.result import PatternId, Reason
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import Pattern


@dataclass(frozen=True, slots=True)
class PatternMatch:
    """One pattern that qualified, its score and the features that matched."""

    pattern: PatternId
    score: int
    reasons: tuple[Reason, ...]


def rank_patterns(facts: Facts, kb: KnowledgeBase) -> tuple[PatternMatch, ...]:
    """Every qualifying pattern by score (ties: knowledge-base order); the fallback if none.

    References: nice-ng59, nice-cks-sciatica, nice-ng65
    """
    records = kb.of(Pattern)
    matches = [m for m in (_match(p, facts) for p in records) if m is not None]
    if not matches:
        fallback = next(p for p in records if p.fallback)
        matches = [_fallback_match(fallback, facts)]
    order = {p.pattern: index for index, p in enumerate(records)}
    ranked = sorted(matches, key=lambda m: (-m.score, order[m.pattern]))
    return tuple(_demoted(ranked, records, facts))


def _demoted(
    ranked: list[PatternMatch], records: list[Pattern], facts: Facts
) -> list[PatternMatch]:
    """Move a first pattern that may not come first behind the next one (or the fallback)."""
    top = next(p for p in records if p.pattern == ranked[0].pattern)
    if top.not_first_when is None or not holds(top.not_first_when, facts):
        return ranked
    if len(ranked) > 1:
        return [ranked[1], ranked[0], *ranked[2:]]
    fallback = next(p for p in records if p.fallback)
    return [_fallback_match(fallback, facts), *ranked]


def _match(pattern: Pattern, facts: Facts) -> PatternMatch | None:
    if pattern.requires is not None and not holds(pattern.requires, facts):
        return None
    if pattern.excluded_by is not None and holds(pattern.excluded_by, facts):
        return None
    features = [f for f in pattern.features if holds(f.when, facts)]
    score = sum(f.weight for f in features)
    if score < pattern.min_score or not features:
        return None
    reasons = tuple(Reason(f.id, f.text, pattern.sources) for f in features)
    return PatternMatch(pattern.pattern, score, reasons)


def _fallback_match(pattern: Pattern, facts: Facts) -> PatternMatch:
    features = [f for f in pattern.features if holds(f.when, facts)]
    reasons = tuple(Reason(f.id, f.text, pattern.sources) for f in features) or (
        Reason(pattern.id, pattern.summary, pattern.sources),
    )
    return PatternMatch(pattern.pattern, sum(f.weight for f in features), reasons)

"""The red-flag screen: which serious conditions the answers raise, and why.

Triggers may refer to other red flags (`{red_flag: malignancy}`), so the screen repeats
until no new flag appears; triggers never negate, so more warning answers can only add
flags. Flags are ordered by urgency (emergency first), then by the knowledge base's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.assess.conditions import Facts, holds
from backstride.assess.result import Reason, RedFlagId, Urgency, urgency_rank
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import RedFlag


@dataclass(frozen=True, slots=True)
class Screen:
    """The red flags raised (ordered), weak flags noted, and the reasons for both."""

    red_flags: tuple[RedFlagId, ...]
    urgency: Urgency
    weak_flags: tuple[str, ...]
    reasons: tuple[Reason, ...]


def red_flag_records(kb: KnowledgeBase) -> list[RedFlag]:
    """Every red-flag record, emergency first, then in knowledge-base order."""
    records = kb.of(RedFlag)
    return sorted(records, key=lambda r: -urgency_rank(r.urgency))


def screen(facts: Facts, kb: KnowledgeBase) -> Screen:
    """Raise every red flag whose triggers hold for these facts.

    References: nice-ng59, nice-cks-lbp, girft-cauda-equina, nice-ng234
    """
    records = red_flag_records(kb)
    raised = _raise_until_stable(records, facts)
    reasons: list[Reason] = []
    flags: list[RedFlagId] = []
    for record in records:
        if record.id not in raised:
            continue
        flags.append(_as_flag_id(record.id))
        for trigger in record.triggers:
            if holds(trigger.when, facts, raised):
                reasons.append(Reason(trigger.id, trigger.text, record.sources))
    weak, weak_reasons = _weak_flags(records, facts)
    urgency: Urgency = "self_care"
    for record in records:
        if record.id in raised and urgency_rank(record.urgency) > urgency_rank(urgency):
            urgency = record.urgency
    return Screen(tuple(flags), urgency, weak, (*reasons, *weak_reasons))


def _raise_until_stable(records: list[RedFlag], facts: Facts) -> frozenset[str]:
    raised: frozenset[str] = frozenset()
    while True:
        now = frozenset(
            r.id for r in records if any(holds(t.when, facts, raised) for t in r.triggers)
        )
        if now == raised:
            return raised
        raised = now


def _weak_flags(records: list[RedFlag], facts: Facts) -> tuple[tuple[str, ...], tuple[Reason, ...]]:
    ids: list[str] = []
    reasons: list[Reason] = []
    for record in records:
        for weak in record.weak_triggers:
            if holds(weak.when, facts):
                ids.append(weak.id)
                reasons.append(Reason(weak.id, weak.text, record.sources))
    return tuple(ids), tuple(reasons)


def _as_flag_id(record_id: str) -> RedFlagId:
    flag: RedFlagId = record_id  # type: ignore[assignment]  # checked by a knowledge-base test
    return flag

"""The one table of urgency levels, plain red-flag and referral words, and the safety net.

Every output reads these by id from the knowledge base (triage.yaml, red_flags.yaml,
safety_net.yaml); there is no other copy of the wording anywhere in the code.
"""

from __future__ import annotations

from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import RedFlag, SafetyNet, TriageRule

SAFETY_NET_ORDER = ("emergency", "same_day")


def level(kb: KnowledgeBase, urgency: str) -> TriageRule:
    """The urgency level's record (`urgency.<level>`): action, label, heading, rank."""
    return kb.one(TriageRule, f"urgency.{urgency}")


def action(kb: KnowledgeBase, urgency: str) -> str:
    """What to do now at this urgency, in one sentence."""
    text = level(kb, urgency).action
    assert text is not None, "urgency levels always carry an action (checked on load)"
    return text


def label(kb: KnowledgeBase, urgency: str) -> str:
    """The short heading for this urgency ("See a doctor today")."""
    text = level(kb, urgency).label
    assert text is not None, "urgency levels always carry a label (checked on load)"
    return text


def heading(kb: KnowledgeBase, urgency: str) -> str:
    """The level and its action in one line ("Urgent: see a doctor today")."""
    text = level(kb, urgency).heading
    assert text is not None, "urgency levels always carry a heading (checked on load)"
    return text


def flag_name(kb: KnowledgeBase, flag_id: str) -> str:
    """A red flag's plain name ("A fracture of a spinal bone ...")."""
    return kb.one(RedFlag, flag_id).condition


def flag_summary(kb: KnowledgeBase, flag_id: str) -> str:
    """What raised the red flag, in a phrase a person and a clinician read."""
    return kb.one(RedFlag, flag_id).summary


def referral_words(kb: KnowledgeBase, reason: str) -> str:
    """A referral reason in plain words."""
    for rule in kb.of(TriageRule):
        if rule.reason == reason and rule.plain is not None:
            return rule.plain
    raise KeyError(f"no referral rule gives the reason {reason!r}")


def safety_net(kb: KnowledgeBase) -> tuple[SafetyNet, ...]:
    """The safety net's lists: "emergency department now if", then "a doctor today if"."""
    records: dict[str, SafetyNet] = {r.level: r for r in kb.of(SafetyNet)}
    return tuple(records[name] for name in SAFETY_NET_ORDER)

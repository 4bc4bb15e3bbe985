"""The assessment result (spec/assessment-contract.md) as a frozen domain value."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from backstride.knowledge.rules import ReferralReasonId

Urgency = Literal["emergency", "urgent", "soon", "self_care"]
URGENCY_ORDER: tuple[Urgency, ...] = ("self_care", "soon", "urgent", "emergency")

RedFlagId = Literal[
    "cauda_equina",
    "progressive_neuro_deficit",
    "major_trauma",
    "infection",
    "fracture",
    "malignancy",
    "metastatic_cord_compression",
    "vascular_or_visceral_mimic",
    "renal_mimic",
]
#: The referral reasons are the knowledge base's vocabulary (the triage rules give them).
ReferralReason = ReferralReasonId
Duration = Literal["acute", "subacute", "chronic"]
PatternId = Literal["nonspecific", "radicular", "sacroiliac", "inflammatory"]
StartBackRisk = Literal["low", "medium", "high"]


def urgency_rank(urgency: Urgency) -> int:
    """0 for self_care up to 3 for emergency."""
    return URGENCY_ORDER.index(urgency)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why: the rule that fired, in plain words, with its source ids."""

    rule: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StartBackScore:
    """STarT Back total (0–9), psychosocial subscale (0–5) and risk group."""

    total: int
    psychosocial: int
    risk: StartBackRisk


@dataclass(frozen=True, slots=True)
class SafetyNetList:
    """One list of the safety net: when to go to an emergency department, or see a doctor today."""

    level: str  # emergency | same_day
    heading: str
    items: tuple[str, ...]
    sources: tuple[str, ...]
    records: tuple[str, ...] = ()  # the safety-net record the list comes from

    def to_dict(self) -> dict[str, Any]:
        """`{"heading", "items", "sources"}` as the result's JSON carries it."""
        return {"heading": self.heading, "items": list(self.items), "sources": list(self.sources)}


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """Everything the assessment concludes; `to_json()` is the contract's exact form."""

    urgency: Urgency
    action: str
    red_flags: tuple[RedFlagId, ...]
    referral_reasons: tuple[ReferralReason, ...]
    duration: Duration | None
    patterns: tuple[PatternId, ...]
    start_back: StartBackScore | None
    rmdq_score: int | None
    reasons: tuple[Reason, ...]
    kb_version: str
    kb_digest: str
    weak_flags: tuple[str, ...] = field(default=())  # reported, never escalating alone
    notes: tuple[str, ...] = field(default=())  # advice that never changes the urgency
    #: The safety net every self-care and referral output carries; empty for an emergency.
    safety_net: tuple[SafetyNetList, ...] = field(default=())
    #: The record the action was worded from (the urgency level, or the referral rule).
    records: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object as plain Python values (stable key order)."""
        return {
            "urgency": self.urgency,
            "action": self.action,
            "red_flags": list(self.red_flags),
            "referral_reasons": list(self.referral_reasons),
            "duration": self.duration,
            "patterns": list(self.patterns),
            "start_back": None
            if self.start_back is None
            else {
                "total": self.start_back.total,
                "psychosocial": self.start_back.psychosocial,
                "risk": self.start_back.risk,
            },
            "rmdq": None if self.rmdq_score is None else {"score": self.rmdq_score},
            "reasons": [
                {"rule": r.rule, "text": r.text, "sources": list(r.sources)} for r in self.reasons
            ],
            "weak_flags": list(self.weak_flags),
            "notes": list(self.notes),
            "safety_net": {n.level: n.to_dict() for n in self.safety_net} or None,
            "knowledge_base": {"version": self.kb_version, "digest": self.kb_digest},
        }

    def to_json(self) -> str:
        """Deterministic JSON: the same result gives byte-identical text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

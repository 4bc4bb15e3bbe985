"""Small builders for plan tests: assessment results and case files without the assessor."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult, Reason, StartBackScore
from backstride.domain.diary import DiaryEntry
from backstride.knowledge.model import KnowledgeBase

START = date(2026, 11, 23)  # a Monday


def result(kb: KnowledgeBase, **overrides: Any) -> AssessmentResult:
    """An assessment result: self-care, acute, non-specific, low STarT Back unless overridden."""
    values: dict[str, Any] = {
        "urgency": "self_care",
        "action": "Stay active and follow the plan.",
        "red_flags": (),
        "referral_reasons": (),
        "duration": "acute",
        "patterns": ("nonspecific",),
        "start_back": StartBackScore(1, 0, "low"),
        "rmdq_score": 3,
        "reasons": (
            Reason("pattern.nonspecific", "Local pain without leg signs.", ("nice-ng59",)),
        ),
        "kb_version": kb.version,
        "kb_digest": kb.digest,
    }
    values.update(overrides)
    return AssessmentResult(**values)


def case(**sections: Any) -> Case:
    """A case: age 38, pain 4/10 unless sections say otherwise (merged one level deep)."""
    data: dict[str, Any] = {"age": 38, "pain": {"intensity": 4}}
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Case.model_validate(data)


def entry(day: date, pain: int, **fields: Any) -> DiaryEntry:
    """A diary entry at 20:00 on `day`."""
    return DiaryEntry(at=datetime.combine(day, time(20, 0)), pain_now=pain, **fields)

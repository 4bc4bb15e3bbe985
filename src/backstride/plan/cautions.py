"""Which exercise cautions apply to a person: the case, the assessment and the diary."""

from __future__ import annotations

from collections.abc import Sequence

from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult
from backstride.domain.diary import DiaryEntry
from backstride.domain.vocabulary import LEG_LOCATIONS
from backstride.knowledge.content import CautionTag, Exercise

_WORSE_WITH: dict[str, CautionTag] = {
    "bending_forward": "worse_bending_forward",
    "bending_backward": "worse_bending_backward",
    "sitting": "worse_sitting",
    "standing": "worse_standing",
    "lifting": "worse_lifting",
}
_PATTERNS: dict[str, CautionTag] = {
    "radicular": "radicular",
    "sacroiliac": "sacroiliac",
    "inflammatory": "inflammatory",
}


def case_cautions(
    assessment: AssessmentResult,
    case: Case | None,
    progress: Sequence[DiaryEntry] = (),
    *,
    severe_pain: int,
) -> frozenset[CautionTag]:
    """Every caution tag the person's answers, patterns and latest diary entry raise.

    Pain now at or above `severe_pain` (the `plan.dosing` record) raises acute_severe.
    """
    tags: set[CautionTag] = {_PATTERNS[p] for p in assessment.patterns if p in _PATTERNS}
    if case is not None:
        tags |= {_WORSE_WITH[w] for w in case.pain.worse_with if w in _WORSE_WITH}
        if case.pain.intensity >= severe_pain:
            tags.add("acute_severe")
        if case.general.osteoporosis:
            tags.add("osteoporosis")
        if has_leg_symptoms(case):
            tags.add("leg_symptoms")
    latest = _latest(progress)
    if latest is not None:
        if latest.leg_symptoms:
            tags.add("leg_symptoms")
        if latest.pain_now >= severe_pain:
            tags.add("acute_severe")
    return frozenset(tags)


def has_leg_symptoms(case: Case) -> bool:
    """Numbness, tingling, weakness or pain in a leg."""
    neuro = case.neuro
    return (
        bool(set(LEG_LOCATIONS) & set(neuro.numbness_or_tingling))
        or neuro.leg_weakness != "none"
        or case.pain.leg_pain_worse_than_back
        or bool(set(LEG_LOCATIONS) & set(case.pain.locations))
    )


def suitable(exercise: Exercise, cautions: frozenset[CautionTag]) -> bool:
    """True when none of the exercise's cautions applies to the person."""
    return not (set(exercise.cautions) & cautions)


def _latest(progress: Sequence[DiaryEntry]) -> DiaryEntry | None:
    return max(progress, key=lambda e: e.at) if progress else None

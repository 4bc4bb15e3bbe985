"""Cited advice drawn from the knowledge base: relief, treatments, prevention, referrals."""

from __future__ import annotations

from collections.abc import Sequence

from backstride.assess.result import AssessmentResult
from backstride.knowledge.content import EducationTopic, PreventionItem, Treatment
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_texts import EducationPriority
from backstride.plan.model import PlanItem

STATUS_ORDER = (
    "recommended",
    "consider",
    "optional_comfort",
    "clinician_only",
    "insufficient_evidence",
    "not_recommended",
)


def treatment_items(kb: KnowledgeBase) -> tuple[PlanItem, ...]:
    """Every treatment in the knowledge base with its status, recommended first."""
    treatments = sorted(
        kb.of(Treatment),
        key=lambda t: STATUS_ORDER.index(t.status) if t.status in STATUS_ORDER else 99,
    )
    return tuple(
        PlanItem(
            key=f"treatment.{t.id}",
            kind="treatment",
            title=t.name,
            text=f"{t.summary} {t.reason}".strip(),
            records=(t.id,),
            sources=_unique((*t.sources, *(p.source for p in t.positions))),
            status=t.status,
        )
        for t in treatments
    )


def prevention_items(kb: KnowledgeBase) -> tuple[PlanItem, ...]:
    """Every prevention record as a maintenance item (cue appended for form cues)."""
    return tuple(
        PlanItem(
            key=f"prevention.{p.id}",
            kind="prevention",
            title=p.title,
            text=p.advice if p.cue is None else f"{p.advice} Cue: “{p.cue}”.",
            records=(p.id,),
            sources=p.sources,
        )
        for p in kb.of(PreventionItem)
    )


def education_order(kb: KnowledgeBase, assessment: AssessmentResult) -> tuple[EducationTopic, ...]:
    """Education topics, those the `education_priority` records name for this assessment first.

    References: hill-2011-startback, nice-ng59
    """
    facets: set[str] = set(assessment.patterns)
    if assessment.start_back is not None and assessment.start_back.risk != "low":
        facets.add("start_back_raised")
    first = [
        topic_id
        for rule in kb.of(EducationPriority)
        if rule.when in facets
        for topic_id in rule.first
    ]
    rank = {topic_id: i for i, topic_id in reversed(list(enumerate(first)))}
    topics = kb.of(EducationTopic)
    return tuple(sorted(topics, key=lambda t: rank.get(t.id, len(first))))


def start_back_item(assessment: AssessmentResult) -> PlanItem | None:
    """Matched care for the STarT Back risk group.

    References: hill-2011-startback, keele-startback
    """
    sb = assessment.start_back
    if sb is None:
        return None
    text = {
        "low": "Your STarT Back answers suggest a low risk of a slow recovery. Back pain like "
        "yours usually settles with the self-management in this plan; you are unlikely to "
        "need more treatment.",
        "medium": "Your STarT Back answers suggest a medium risk. A course of physiotherapy "
        "alongside this plan is likely to help.",
        "high": "Your STarT Back answers suggest worry, low mood or fear of movement may be "
        "slowing recovery. That is common and treatable: physiotherapy that includes "
        "psychological support works best. Ask your GP or a physiotherapist for it. Meanwhile, "
        "gentle movement is safe, and pain during movement does not mean harm.",
    }[sb.risk]
    return PlanItem(
        f"start_back.{sb.risk}",
        "referral" if sb.risk == "high" else "advice",
        f"STarT Back: {sb.risk} risk",
        text,
        (),
        ("hill-2011-startback", "keele-startback"),
    )


def reason_items(assessment: AssessmentResult) -> tuple[PlanItem, ...]:
    """The assessment's reasons as cited items."""
    return tuple(
        PlanItem(f"reason.{r.rule}", "advice", r.rule.replace("_", " "), r.text, (), r.sources)
        for r in assessment.reasons
    )


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))

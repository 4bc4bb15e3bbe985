"""Cited advice drawn from the knowledge base: relief, treatments, prevention, referrals."""

from __future__ import annotations

from collections.abc import Sequence

from backstride.assess.result import AssessmentResult
from backstride.knowledge.content import EducationTopic, PreventionItem, Treatment
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_texts import EducationPriority
from backstride.plan.model import Day, PlanItem

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


def education_priorities(
    kb: KnowledgeBase, assessment: AssessmentResult, facets: tuple[str, ...] = ()
) -> dict[str, str]:
    """Topic id -> the `education_priority` record that puts it first for this person.

    `facets` are the matched-care facets (pattern, lifting strain, STarT Back group); a
    topic two records name goes with the first record.
    References: hill-2011-startback, nice-ng59
    """
    wanted: set[str] = set(assessment.patterns) | set(facets)
    if assessment.start_back is not None and assessment.start_back.risk != "low":
        wanted.add("start_back_raised")
    first: dict[str, str] = {}
    for rule in kb.of(EducationPriority):
        if rule.when in wanted:
            for topic_id in rule.first:
                first.setdefault(topic_id, rule.id)
    return first


def education_order(kb: KnowledgeBase, first: dict[str, str]) -> tuple[EducationTopic, ...]:
    """Education topics, those `first` names (see `education_priorities`) first, in order."""
    rank = {topic_id: i for i, topic_id in enumerate(first)}
    topics = kb.of(EducationTopic)
    return tuple(sorted(topics, key=lambda t: rank.get(t.id, len(first))))


def education_items(
    kb: KnowledgeBase, days: Sequence[Day], first: dict[str, str] | None = None
) -> tuple[PlanItem, ...]:
    """The education topics the days name, in order of first mention, with summary and body.

    The item's text is the summary and the body paragraphs separated by blank lines; its
    records are the topic and the priority record that put it first (`first`), if any.
    """
    first = first or {}
    ids = dict.fromkeys(d.education_id for d in days if d.education_id)
    topics = [kb.one(EducationTopic, topic_id) for topic_id in ids]
    return tuple(
        PlanItem(
            f"education.{t.id}",
            "advice",
            t.title,
            "\n\n".join((t.summary, *t.body)),
            (t.id, first[t.id]) if t.id in first else (t.id,),
            t.sources,
        )
        for t in topics
    )


def reason_items(assessment: AssessmentResult) -> tuple[PlanItem, ...]:
    """The assessment's reasons as cited items."""
    return tuple(
        PlanItem(f"reason.{r.rule}", "advice", r.rule.replace("_", " "), r.text, (), r.sources)
        for r in assessment.reasons
    )


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))

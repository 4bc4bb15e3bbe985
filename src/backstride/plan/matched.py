"""Care matched to the person: the facets (pattern, lifting strain, STarT Back group) and
the `plan_care` records they select, read by id."""

from __future__ import annotations

from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_rules import CareFacet, PlanCare
from backstride.plan.model import PlanItem
from backstride.plan.phases import plan_item

_PATTERN_FACETS: dict[str, CareFacet] = {
    "radicular": "radicular",
    "sacroiliac": "sacroiliac",
    "inflammatory": "inflammatory",
}
_RISK_FACETS: dict[str, CareFacet] = {
    "low": "start_back_low",
    "medium": "start_back_medium",
    "high": "start_back_high",
}


def facets(assessment: AssessmentResult, case: Case | None) -> tuple[CareFacet, ...]:
    """The person's facets: patterns first, then a lifting strain, then the risk group."""
    out = [_PATTERN_FACETS[p] for p in assessment.patterns if p in _PATTERN_FACETS]
    if case is not None and (
        case.pain.onset == "lifting" or "lifting" in case.pain.worse_with or case.running.deadlifts
    ):
        out.append("lifting")
    if assessment.start_back is not None:
        out.append(_RISK_FACETS[assessment.start_back.risk])
    return tuple(out)


def care_records(kb: KnowledgeBase, chosen: tuple[CareFacet, ...]) -> tuple[PlanCare, ...]:
    """The plan_care records of the facets, in the facets' order."""
    by_facet = {r.when: r for r in kb.of(PlanCare)}
    return tuple(by_facet[f] for f in chosen if f in by_facet)


def care_items(kb: KnowledgeBase, records: tuple[PlanCare, ...]) -> tuple[PlanItem, ...]:
    """Each record's plan texts as cited items (the care record among their records).

    References: hill-2011-startback, nice-cks-sciatica, nice-ng65, nice-ng59
    """
    items = []
    for record in records:
        for ref in record.items:
            item = plan_item(kb, ref)
            items.append(
                PlanItem(
                    item.key,
                    item.kind,
                    item.title,
                    item.text,
                    (record.id, *item.records),
                    item.sources,
                )
            )
    return tuple(items)


def exercises_first(records: tuple[PlanCare, ...]) -> tuple[str, ...]:
    """The exercise ids the facets put first, in order, once each."""
    return tuple(dict.fromkeys(x for r in records for x in r.exercises_first))

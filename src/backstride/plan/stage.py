"""Stage-matched start: the phase a person is in now, from the `plan_start_rule` records.

Duration, trend, pain now and at its worst, leg symptoms and what the person can do now
(walking, running) pick the first matching rule; the rule says where the plan starts, how
many days of relative rest from running come first and how running comes back.
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.assess.intake import Case, Running
from backstride.assess.result import AssessmentResult
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_rules import StartRule, StartWhen, plan_dosing, start_rules
from backstride.knowledge.templates import fill
from backstride.plan.cautions import has_leg_symptoms
from backstride.plan.model import PlanItem


@dataclass(frozen=True, slots=True)
class Facts:
    """What the start rules look at, in their own words."""

    pain_now: int
    worst: int
    duration: str
    trend: str
    running_now: bool
    walk_minutes: int | None
    leg_symptoms: bool
    days: int | None
    weekly_km: float | None


def facts(case: Case | None, assessment: AssessmentResult, kb: KnowledgeBase) -> Facts:
    """The start facts of a case (a case-less plan counts as the dosing record's moderate pain,
    of unknown story)."""
    if case is None:
        moderate = plan_dosing(kb).caseless_pain
        return Facts(moderate, moderate, assessment.duration or "unknown", "unknown", False,
                     None, False, None, None)  # fmt: skip
    pain = case.pain
    return Facts(
        pain_now=pain.intensity,
        worst=pain.worst_24h if pain.worst_24h is not None else pain.intensity,
        duration=assessment.duration or "unknown",
        trend=case.history.trend or "unknown",
        running_now=running_now(case.running),
        walk_minutes=case.running.walk_minutes_now,
        leg_symptoms=has_leg_symptoms(case) or "radicular" in assessment.patterns,
        days=pain.started_days_ago,
        weekly_km=case.running.weekly_km,
    )


def running_now(running: Running) -> bool:
    """Still running: the answer when given, else any running in the profile."""
    if running.running_now is not None:
        return running.running_now
    return bool(running.weekly_km) or bool(running.runs_per_week)


def matches(when: StartWhen, f: Facts) -> bool:
    """True when every set condition of `when` holds for the facts."""
    checks = (
        when.min_pain_now is None or f.pain_now >= when.min_pain_now,
        when.max_pain_now is None or f.pain_now <= when.max_pain_now,
        when.max_worst_pain is None or f.worst <= when.max_worst_pain,
        not when.durations or f.duration in when.durations,
        not when.trends or f.trend in when.trends,
        when.running_now is None or f.running_now == when.running_now,
        when.leg_symptoms is None or f.leg_symptoms == when.leg_symptoms,
        when.min_walk_minutes is None
        or f.walk_minutes is None
        or f.walk_minutes >= when.min_walk_minutes,
    )
    return all(checks)


def start_rule(case: Case | None, assessment: AssessmentResult, kb: KnowledgeBase) -> StartRule:
    """The first start rule (by rank) the person matches.

    References: nice-ng59, silbernagel-2007
    """
    f = facts(case, assessment, kb)
    rules = start_rules(kb)
    return next((r for r in rules if matches(r.when, f)), rules[-1])


def start_item(
    rule: StartRule, case: Case | None, assessment: AssessmentResult, kb: KnowledgeBase
) -> PlanItem:
    """The start rule as the plan's 'where you start' item, filled from the case."""
    f = facts(case, assessment, kb)
    values = {"pain": f.pain_now, "worst": f.worst, "days": f.days, "rest_days": rule.rest_days,
              "weekly_km": f.weekly_km}  # fmt: skip
    return PlanItem(
        "start." + rule.id.removeprefix("start."), "advice", rule.title, fill(rule.text, values),
        (rule.id,), rule.sources,
    )  # fmt: skip

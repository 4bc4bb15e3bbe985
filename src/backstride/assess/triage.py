"""The assessment: red flags, referral rules, duration, patterns and questionnaires combined.

The highest urgency wins. Red flags are urgent or emergency, so no other answer (low pain,
good progress, a low STarT Back score) can lower them; referral reasons make a case "soon";
only a case with neither is "self_care".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backstride.assess.conditions import default_facts, facts_of, holds
from backstride.assess.intake import Case
from backstride.assess.patterns import rank_patterns
from backstride.assess.questionnaires import RMDQ_ID, STARTBACK_ID, score_rmdq, score_start_back
from backstride.assess.redflags import screen
from backstride.assess.result import (
    AssessmentResult,
    Duration,
    Reason,
    ReferralReason,
    SafetyNetList,
    StartBackScore,
    Urgency,
    urgency_rank,
)
from backstride.knowledge import urgency as urgency_table
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import DurationClass, Questionnaire, TriageRule


def assess(case: Case, kb: KnowledgeBase) -> AssessmentResult:
    """Assess one case: pure and deterministic (no clock, no I/O, no randomness).

    References: nice-ng59, nice-cks-lbp, nice-ng65, acp-2017, hill-2008-startback
    """
    return assess_facts(facts_of(case), kb)


def assess_answers(answers: Mapping[str, Any], kb: KnowledgeBase) -> AssessmentResult:
    """The red-flag screen alone over partial questionnaire answers (dotted fields)."""
    facts = {**default_facts(), **answers}
    return assess_facts(facts, kb, screen_only=True)


def assess_facts(
    facts: Mapping[str, Any], kb: KnowledgeBase, *, screen_only: bool = False
) -> AssessmentResult:
    """Assess flat dotted facts; `screen_only` skips patterns, questionnaires and referrals."""
    duration, duration_reasons = classify_duration(facts["pain.started_days_ago"], kb)
    start_back, sb_reasons = _start_back(facts["start_back"], kb)
    rmdq, rmdq_reasons = _rmdq(facts["rmdq"], kb)
    base = {
        **facts,
        "derived.duration": duration,
        "derived.age_at_onset": age_at_onset(facts["age"], facts["pain.started_days_ago"]),
        "derived.start_back_risk": None if start_back is None else start_back.risk,
        "derived.patterns": (),
    }
    matches = () if screen_only else rank_patterns(base, kb)
    derived = {**base, "derived.patterns": tuple(m.pattern for m in matches)}
    flags = screen(derived, kb)
    referrals = () if screen_only else _referrals(derived, kb)
    notes = () if screen_only else _notes(derived, kb)
    urgency = flags.urgency
    if referrals and urgency_rank(urgency) < urgency_rank("soon"):
        urgency = "soon"
    reasons = [*flags.reasons, *(Reason(r.id, r.text, r.sources) for r in (*referrals, *notes))]
    if not screen_only:
        reasons += [*duration_reasons, *(r for m in matches for r in m.reasons)]
        reasons += [*sb_reasons, *rmdq_reasons]
    action, action_record = _action(urgency, referrals, kb)
    return AssessmentResult(
        urgency=urgency,
        action=action,
        red_flags=flags.red_flags,
        referral_reasons=tuple(_reason_id(r) for r in referrals),
        duration=None if screen_only else duration,
        patterns=tuple(m.pattern for m in matches),
        start_back=None if screen_only else start_back,
        rmdq_score=None if screen_only else rmdq,
        reasons=tuple(reasons),
        kb_version=kb.version,
        kb_digest=kb.digest,
        weak_flags=flags.weak_flags,
        notes=tuple(n.note for n in notes if n.note is not None),
        safety_net=() if urgency == "emergency" else safety_net_lists(kb),
        records=(action_record,),
    )


def safety_net_lists(kb: KnowledgeBase) -> tuple[SafetyNetList, ...]:
    """The safety net as the result carries it (knowledge-base order: emergency first).

    References: girft-cauda-equina, nice-cks-sciatica, nhs-cauda-equina
    """
    return tuple(
        SafetyNetList(r.level, r.heading, r.items, r.sources, (r.id,))
        for r in urgency_table.safety_net(kb)
    )


def age_at_onset(age: int | None, started_days_ago: int | None) -> int | None:
    """Age in whole years when the pain began (today's age when the start is not given).

    References: nice-ng65
    """
    if age is None:
        return None
    if started_days_ago is None:
        return age
    return max(0, age - int(started_days_ago // 365.25))


def classify_duration(
    started_days_ago: int | None, kb: KnowledgeBase
) -> tuple[Duration | None, tuple[Reason, ...]]:
    """acute (0-27 days), subacute (28-84) or chronic (85+); None when the start is unknown.

    References: acp-2017, nice-ng59
    """
    if started_days_ago is None:
        return None, ()
    for record in kb.of(DurationClass):
        upper = record.max_days
        if record.min_days <= started_days_ago and (upper is None or started_days_ago <= upper):
            return record.duration, (Reason(record.id, record.text, record.sources),)
    raise ValueError(f"no duration class covers {started_days_ago} days")


def triage_rules(kb: KnowledgeBase) -> list[TriageRule]:
    """Every triage rule: urgency levels and referral rules, in knowledge-base order."""
    return kb.of(TriageRule)


def _referrals(facts: Mapping[str, Any], kb: KnowledgeBase) -> tuple[TriageRule, ...]:
    return tuple(
        rule
        for rule in triage_rules(kb)
        if rule.reason is not None and rule.when is not None and holds(rule.when, facts)
    )


def _notes(facts: Mapping[str, Any], kb: KnowledgeBase) -> tuple[TriageRule, ...]:
    return tuple(
        rule
        for rule in triage_rules(kb)
        if rule.note is not None and rule.when is not None and holds(rule.when, facts)
    )


def _reason_id(rule: TriageRule) -> ReferralReason:
    assert rule.reason is not None, "only referral rules are returned by _referrals"
    return rule.reason


def _action(
    urgency: Urgency, referrals: tuple[TriageRule, ...], kb: KnowledgeBase
) -> tuple[str, str]:
    """What to do now, and the id of the record it comes from (referral rule or level)."""
    for rule in referrals:
        if rule.urgency == urgency and rule.action is not None:
            return rule.action, rule.id
    return urgency_table.action(kb, urgency), urgency_table.level(kb, urgency).id


def _start_back(
    answers: Any, kb: KnowledgeBase
) -> tuple[StartBackScore | None, tuple[Reason, ...]]:
    if answers is None:
        return None, ()
    score = score_start_back(answers, kb)
    tool = kb.one(Questionnaire, STARTBACK_ID)
    text = (
        f"STarT Back total {score.total}/9 and psychosocial score {score.psychosocial}/5: "
        f"{score.risk} risk of the pain persisting."
    )
    return score, (Reason(tool.id, text, tool.sources),)


def _rmdq(ticked: Any, kb: KnowledgeBase) -> tuple[int | None, tuple[Reason, ...]]:
    if ticked is None:
        return None, ()
    score = score_rmdq(ticked, kb)
    tool = kb.one(Questionnaire, RMDQ_ID)
    text = f"Roland-Morris disability score {score}/24 (higher means more disability)."
    return score, (Reason(tool.id, text, tool.sources),)

"""When the diary says "see someone": new red flags, stalled recovery, worsening, chronicity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backstride.knowledge import urgency as urgency_table
from backstride.knowledge.care import ChangeRule
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import SafetyText
from backstride.knowledge.templates import fill
from backstride.progress.change import ProgressSummary

EscalationUrgency = Literal["emergency", "urgent", "soon"]
#: The sentence that names new warning signs from the diary.
NEW_SIGNS_TEXT = "safety.diary_new_signs"
EscalationReason = Literal["new_red_flag", "not_recovering", "worsening", "chronic"]


@dataclass(frozen=True, slots=True)
class Escalation:
    """One reason to seek care, how soon, and why; `action` and `label` are that level's words."""

    urgency: EscalationUrgency
    reason: EscalationReason
    text: str
    sources: tuple[str, ...]
    action: str
    label: str
    records: tuple[str, ...] = ()  # the records that raised it and gave its level's words


def escalations(
    summary: ProgressSummary,
    *,
    retriage_urgency: str | None,
    new_red_flags: tuple[str, ...],
    self_care_days: int | None,
    pain_days: int | None,
    run_advice: tuple[str, ...] = (),
    week_advice: str | None = None,
    rule: ChangeRule,
    kb: KnowledgeBase,
) -> tuple[Escalation, ...]:
    """Every escalation that applies, most urgent first (a red flag always leads).

    `new_red_flags` are the new warning signs in plain words; `retriage_urgency` is what the
    real triage made of them. `run_advice` is the pain-monitoring rule's advice for each
    recent run, oldest first, and `week_advice` the rule's verdict for this week (the one the
    plan moves by): a week that steps back after the last three runs all stepped back means
    pain flares after every run.

    References: nice-ng59, nice-cks-lbp, ostelo-2008, silbernagel-2007
    """
    found: list[Escalation] = []
    flagged = red_flag_escalation(retriage_urgency, new_red_flags, kb)
    if flagged is not None:
        found.append(flagged)
    if summary.meaningful_worsening or summary.trend == "worse":
        found.append(_soon(kb, "worsening", rule.say("worsening"), rule))
    if (
        self_care_days is not None
        and self_care_days >= rule.not_recovering_days
        and not summary.meaningful_improvement
        and not summary.recovered
    ):
        found.append(
            _soon(kb, "not_recovering", rule.say("not_recovering", weeks=self_care_days // 7), rule)
        )
    elif (
        week_advice == "step_back"
        and len(run_advice) >= rule.flaring_runs
        and set(run_advice[-rule.flaring_runs :]) == {"step_back"}
    ):
        found.append(_soon(kb, "not_recovering", rule.say("flaring", runs=rule.flaring_runs), rule))
    if pain_days is not None and pain_days > rule.chronic_days and not summary.recovered:
        found.append(_soon(kb, "chronic", rule.say("chronic", weeks=pain_days // 7), rule))
    return tuple(sorted(found, key=lambda e: -urgency_table.level(kb, e.urgency).rank))


def red_flag_escalation(
    urgency: str | None, signs: tuple[str, ...], kb: KnowledgeBase
) -> Escalation | None:
    """The escalation for new warning signs (in plain words), at the urgency triage gave them.

    References: nice-ng59, girft-cauda-equina
    """
    level = _escalating(urgency)
    if not signs or level is None:
        return None
    note = kb.one(SafetyText, NEW_SIGNS_TEXT)
    text = fill(note.text, {"signs": "; ".join(s.rstrip(".") for s in signs)})
    return _escalation(kb, level, "new_red_flag", text, note.sources, (note.id,))


def _escalation(
    kb: KnowledgeBase,
    level: EscalationUrgency,
    reason: EscalationReason,
    text: str,
    sources: tuple[str, ...],
    records: tuple[str, ...],
) -> Escalation:
    words = urgency_table.level(kb, level)
    return Escalation(
        level,
        reason,
        text,
        sources,
        urgency_table.action(kb, level),
        urgency_table.label(kb, level),
        (*records, words.id),
    )


def _escalating(urgency: str | None) -> EscalationUrgency | None:
    levels: tuple[EscalationUrgency, ...] = ("emergency", "urgent", "soon")
    for level in levels:
        if urgency == level:
            return level
    return None


def _soon(kb: KnowledgeBase, reason: EscalationReason, text: str, rule: ChangeRule) -> Escalation:
    sources = ("nice-cks-lbp", "ostelo-2008") if reason != "chronic" else ("acp-2017", "nice-ng59")
    return _escalation(kb, "soon", reason, text, sources, (rule.id,))

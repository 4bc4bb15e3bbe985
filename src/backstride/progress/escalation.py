"""When the diary says "see someone": new red flags, stalled recovery, worsening, chronicity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backstride.knowledge import urgency as urgency_table
from backstride.knowledge.model import KnowledgeBase
from backstride.progress.change import ProgressSummary

EscalationUrgency = Literal["emergency", "urgent", "soon"]
EscalationReason = Literal["new_red_flag", "not_recovering", "worsening", "chronic"]

#: About three weeks of self-care without meaningful improvement is "not recovering".
NOT_RECOVERING_DAYS = 21
#: Pain above the acceptable level after this many runs in a row is "pain after every run".
FLARING_RUNS = 3
#: Pain for more than 12 weeks is chronic (persistent).
CHRONIC_DAYS = 84


@dataclass(frozen=True, slots=True)
class Escalation:
    """One reason to seek care, how soon, and why; `action` and `label` are that level's words."""

    urgency: EscalationUrgency
    reason: EscalationReason
    text: str
    sources: tuple[str, ...]
    action: str
    label: str


def escalations(
    summary: ProgressSummary,
    *,
    retriage_urgency: str | None,
    new_red_flags: tuple[str, ...],
    self_care_days: int | None,
    pain_days: int | None,
    run_advice: tuple[str, ...] = (),
    kb: KnowledgeBase,
) -> tuple[Escalation, ...]:
    """Every escalation that applies, most urgent first (a red flag always leads).

    `new_red_flags` are the new warning signs in plain words; `retriage_urgency` is what the
    real triage made of them. `run_advice` is the pain-monitoring rule's advice for each
    logged run, oldest first: the last three all "step_back" means pain flares after every
    run (not recovering).

    References: nice-ng59, nice-cks-lbp, ostelo-2008, silbernagel-2007
    """
    found: list[Escalation] = []
    flagged = red_flag_escalation(retriage_urgency, new_red_flags, kb)
    if flagged is not None:
        found.append(flagged)
    if summary.meaningful_worsening or summary.trend == "worse":
        found.append(_soon(kb, "worsening", "Pain is getting worse compared with before."))
    if (
        self_care_days is not None
        and self_care_days >= NOT_RECOVERING_DAYS
        and not summary.meaningful_improvement
        and not summary.recovered
    ):
        found.append(
            _soon(
                kb,
                "not_recovering",
                f"No meaningful improvement after {self_care_days // 7} weeks of self-care "
                "(a drop of 2 points or 30 % would count).",
            )
        )
    elif len(run_advice) >= FLARING_RUNS and set(run_advice[-FLARING_RUNS:]) == {"step_back"}:
        found.append(
            _soon(
                kb,
                "not_recovering",
                "Pain flared beyond the acceptable level after every recent run.",
            )
        )
    if pain_days is not None and pain_days > CHRONIC_DAYS and not summary.recovered:
        found.append(
            _soon(
                kb, "chronic", f"Pain has lasted about {pain_days // 7} weeks (over 12 is chronic)."
            )
        )
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
    return _escalation(
        kb,
        level,
        "new_red_flag",
        "New since your assessment: " + "; ".join(s.rstrip(".") for s in signs) + ".",
        ("nice-ng59", "girft-cauda-equina"),
    )


def _escalation(
    kb: KnowledgeBase,
    level: EscalationUrgency,
    reason: EscalationReason,
    text: str,
    sources: tuple[str, ...],
) -> Escalation:
    return Escalation(
        level,
        reason,
        text,
        sources,
        urgency_table.action(kb, level),
        urgency_table.label(kb, level),
    )


def _escalating(urgency: str | None) -> EscalationUrgency | None:
    levels: tuple[EscalationUrgency, ...] = ("emergency", "urgent", "soon")
    for level in levels:
        if urgency == level:
            return level
    return None


def _soon(kb: KnowledgeBase, reason: EscalationReason, text: str) -> Escalation:
    sources = ("nice-cks-lbp", "ostelo-2008") if reason != "chronic" else ("acp-2017", "nice-ng59")
    return _escalation(kb, "soon", reason, text, sources)

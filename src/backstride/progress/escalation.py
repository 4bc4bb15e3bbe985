"""When the diary says "see someone": new red flags, stalled recovery, worsening, chronicity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backstride.knowledge.care import ChangeRule
from backstride.progress.change import ProgressSummary

EscalationUrgency = Literal["emergency", "urgent", "soon"]
EscalationReason = Literal["new_red_flag", "not_recovering", "worsening", "chronic"]
URGENCY_RANK: dict[str, int] = {"self_care": 0, "soon": 1, "urgent": 2, "emergency": 3}

ACTIONS: dict[str, str] = {
    "emergency": "Go to an emergency department now, or call the emergency number.",
    "urgent": "See a doctor today, or within 24 hours.",
    "soon": "Book an appointment with a GP or physiotherapist within one to two weeks.",
}


@dataclass(frozen=True, slots=True)
class Escalation:
    """One reason to seek care, how soon, and why."""

    urgency: EscalationUrgency
    reason: EscalationReason
    text: str
    sources: tuple[str, ...]

    @property
    def action(self) -> str:
        """What to do now, in one sentence."""
        return ACTIONS[self.urgency]


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
) -> tuple[Escalation, ...]:
    """Every escalation that applies, most urgent first (a red flag always leads).

    `run_advice` is the pain-monitoring rule's advice for each recent run, oldest first, and
    `week_advice` the rule's verdict for this week (the one the plan moves by): a week that
    steps back after the last three runs all stepped back means pain flares after every run.

    References: nice-ng59, nice-cks-lbp, ostelo-2008, silbernagel-2007
    """
    found: list[Escalation] = []
    flagged = red_flag_escalation(retriage_urgency, new_red_flags)
    if flagged is not None:
        found.append(flagged)
    if summary.meaningful_worsening or summary.trend == "worse":
        found.append(_soon("worsening", rule.say("worsening")))
    if (
        self_care_days is not None
        and self_care_days >= rule.not_recovering_days
        and not summary.meaningful_improvement
        and not summary.recovered
    ):
        found.append(_soon("not_recovering", rule.say("not_recovering", weeks=self_care_days // 7)))
    elif (
        week_advice == "step_back"
        and len(run_advice) >= rule.flaring_runs
        and set(run_advice[-rule.flaring_runs :]) == {"step_back"}
    ):
        found.append(_soon("not_recovering", rule.say("flaring", runs=rule.flaring_runs)))
    if pain_days is not None and pain_days > rule.chronic_days and not summary.recovered:
        found.append(_soon("chronic", rule.say("chronic", weeks=pain_days // 7)))
    return tuple(sorted(found, key=lambda e: -URGENCY_RANK[e.urgency]))


def red_flag_escalation(urgency: str | None, new_red_flags: tuple[str, ...]) -> Escalation | None:
    """The escalation for new red-flag answers, at the urgency triage gave them.

    References: nice-ng59, girft-cauda-equina
    """
    level = _escalating(urgency)
    if not new_red_flags or level is None:
        return None
    return Escalation(
        level,
        "new_red_flag",
        "New answers to the safety questions: " + ", ".join(new_red_flags) + ".",
        ("nice-ng59", "girft-cauda-equina"),
    )


def _escalating(urgency: str | None) -> EscalationUrgency | None:
    levels: tuple[EscalationUrgency, ...] = ("emergency", "urgent", "soon")
    for level in levels:
        if urgency == level:
            return level
    return None


def _soon(reason: EscalationReason, text: str) -> Escalation:
    sources = ("nice-cks-lbp", "ostelo-2008") if reason != "chronic" else ("acp-2017", "nice-ng59")
    return Escalation("soon", reason, text, sources)

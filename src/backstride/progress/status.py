"""Recovery status as shown to the runner and the report, and its stable JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from backstride.knowledge.care import ChangeRule
from backstride.progress.association import Association, RunLoad
from backstride.progress.change import ProgressSummary, RmdqPoint
from backstride.progress.escalation import Escalation
from backstride.progress.history import AssessmentRecord
from backstride.progress.monitoring import RunCheck, WeekVerdict


@dataclass(frozen=True, slots=True)
class ProgressStatus:
    """Everything `backstride progress` and the report show about recovery."""

    today: date
    summary: ProgressSummary
    escalations: tuple[Escalation, ...]
    run_checks: tuple[RunCheck, ...]
    associations: tuple[Association, ...]
    rmdq: tuple[RmdqPoint, ...]
    assessments: tuple[AssessmentRecord, ...]
    new_red_flags: tuple[str, ...]
    runs: tuple[RunLoad, ...] = field(default=())
    verdict: WeekVerdict | None = None  # the pain-monitoring rule's answer for this week
    change_rule: ChangeRule | None = None  # the limits the summary applied (for its words)
    recovered_rmdq_max: int | None = None

    @property
    def escalation(self) -> Escalation | None:
        """The most urgent escalation, or None."""
        return self.escalations[0] if self.escalations else None


def escalation_dict(escalation: Escalation | None) -> dict[str, Any] | None:
    """The escalation as `{"urgency", "reason", ...}` or None."""
    if escalation is None:
        return None
    return {
        "urgency": escalation.urgency,
        "reason": escalation.reason,
        "text": escalation.text,
        "action": escalation.action,
        "label": escalation.label,
        "sources": list(escalation.sources),
    }


def status_dict(status: ProgressStatus) -> dict[str, Any]:
    """The progress JSON that `backstride progress --format json` prints (stable keys)."""
    s = status.summary
    return {
        "today": status.today.isoformat(),
        "baseline_pain": s.baseline_pain,
        "baseline_from": s.baseline_from,
        "current_pain": s.current_pain,
        "change": s.change,
        "change_fraction": s.change_fraction,
        "meaningful_improvement": s.meaningful_improvement,
        "meaningful_worsening": s.meaningful_worsening,
        "recovered": s.recovered,
        "trend": s.trend,
        "escalation": escalation_dict(status.escalation),
        "escalations": [escalation_dict(e) for e in status.escalations],
        "rmdq": {
            "baseline": s.baseline_rmdq,
            "current": s.current_rmdq,
            "meaningful_improvement": s.rmdq_meaningful_improvement,
            "history": [{"date": p.on.isoformat(), "score": p.score} for p in status.rmdq],
        },
        "days_tracked": s.days_tracked,
        "rolling_7d": [{"date": d.isoformat(), "mean_pain": m} for d, m in s.rolling],
        "runs": [
            {
                "date": c.on.isoformat(),
                "pain_during": c.pain_during,
                "pain_next_morning": c.pain_next_morning,
                "advice": c.advice,
                "reason": c.reason,
                "reason_id": c.reason_id,
                "rule": c.rule,
            }
            for c in status.run_checks
        ],
        "associations": [
            {
                "feature": a.feature,
                "correlation": a.correlation,
                "days": a.days,
                "lag_days": a.lag_days,
                "hypothesis": a.hypothesis,
            }
            for a in status.associations
        ],
        "new_red_flags": list(status.new_red_flags),
        "monitoring": _verdict_dict(status.verdict),
    }


def _verdict_dict(verdict: WeekVerdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "advice": verdict.advice,
        "reason_ids": list(verdict.reason_ids),
        "reasons": list(verdict.reasons),
        "rule": verdict.rule,
        "sources": list(verdict.sources),
    }

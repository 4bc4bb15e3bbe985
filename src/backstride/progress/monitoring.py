"""The pain-monitoring rule: one decision per logged load, used by progress and by the plan.

`check_run` is the rule; `check_runs` applies it to every logged run (progress shows these
and escalates on them); `week_verdict` turns the same checks into the plan's advance, hold
or step back. Numbers and sentences come from the `rule.pain_monitoring` record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from backstride.domain.diary import DiaryEntry
from backstride.knowledge.care import MonitoringReason, PainMonitoringRule
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.templates import fill
from backstride.progress.change import DailyPain, daily_pain, window_mean

Advice = Literal["advance", "hold", "step_back"]
RULE_ID = "rule.pain_monitoring"


def monitoring_rule(kb: KnowledgeBase) -> PainMonitoringRule:
    """The pain-monitoring record every engine applies."""
    return kb.one(PainMonitoringRule, RULE_ID)


@dataclass(frozen=True, slots=True)
class RunCheck:
    """The rule's verdict for one logged load (a run, or exercise with a next-morning score)."""

    on: date
    pain_before: float | None
    pain_during: int | None
    pain_next_morning: int | None
    advice: Advice
    reason_id: MonitoringReason
    reason: str
    rule: str
    sources: tuple[str, ...]


def check_run(
    rule: PainMonitoringRule,
    *,
    on: date,
    pain_before: float | None,
    pain_during: int | None,
    pain_next_morning: int | None,
    week_rising: bool,
    new_leg_symptoms: bool = False,
) -> RunCheck:
    """Advance, hold or step back after one load by the pain-monitoring rule.

    References: silbernagel-2007, trials-2023-walkrun
    """
    advice, reason_id = _verdict(
        rule, pain_before, pain_during, pain_next_morning, week_rising, new_leg_symptoms
    )
    values = {
        "pain_during": pain_during,
        "pain_next_morning": pain_next_morning,
        "max_pain": rule.max_pain,
        "usual": round(pain_before) if pain_before is not None else None,
        "rise_points": rule.week_rise_points,
    }
    text = fill(rule.reasons[reason_id], values)
    return RunCheck(
        on, pain_before, pain_during, pain_next_morning, advice, reason_id, text, rule.id,
        rule.sources,
    )  # fmt: skip


def _verdict(
    rule: PainMonitoringRule,
    pain_before: float | None,
    pain_during: int | None,
    pain_next_morning: int | None,
    week_rising: bool,
    new_leg_symptoms: bool,
) -> tuple[Advice, MonitoringReason]:
    if new_leg_symptoms:
        return "step_back", "new_leg_symptoms"
    if pain_during is not None and pain_during > rule.max_pain:
        return "step_back", "pain_during_high"
    if pain_next_morning is not None and pain_next_morning > rule.max_pain:
        return "step_back", "pain_next_morning_high"
    if pain_next_morning is None:
        return "hold", "next_morning_unknown"
    if pain_before is not None and pain_next_morning > round(pain_before):
        return "hold", "not_settled"
    if week_rising:
        return "hold", "week_rising"
    return "advance", "rule_held"


def check_runs(
    entries: Sequence[DiaryEntry],
    rule: PainMonitoringRule,
    *,
    leg_symptoms_at_start: bool = False,
    exercise_days: bool = False,
) -> tuple[RunCheck, ...]:
    """The rule applied to every logged run, oldest first.

    With `exercise_days`, entries without a run that logged next-morning pain are judged
    too (the plan's strength weeks); a new leg symptom on any day is judged as well.
    """
    ordered = sorted(entries, key=lambda e: e.at)
    days = daily_pain(ordered)
    checks = []
    for index, entry in enumerate(ordered):
        new_leg = (
            entry.leg_symptoms
            and not leg_symptoms_at_start
            and not any(e.leg_symptoms for e in ordered[:index])
        )
        judged = entry.pain_during_run is not None or (
            exercise_days and (entry.pain_next_morning is not None or new_leg)
        )
        if not judged:
            continue
        day = entry.at.date()
        checks.append(
            check_run(
                rule,
                on=day,
                pain_before=_pain_before(days, day),
                pain_during=entry.pain_during_run,
                pain_next_morning=_next_morning(entry, ordered[index + 1 :]),
                week_rising=week_rising(days, day, rule),
                new_leg_symptoms=new_leg,
            )
        )
    return tuple(checks)


def recent_runs(checks: Sequence[RunCheck], *, today: date, days: int) -> tuple[RunCheck, ...]:
    """The run checks of the `days` ending `today` (exercise-day checks left out)."""
    return tuple(
        c for c in checks if c.pain_during is not None and today - timedelta(days) < c.on <= today
    )


def week_rising(days: Sequence[DailyPain], day: date, rule: PainMonitoringRule) -> bool:
    """True when the mean of the rule's window (7 days) ending `day` is `week_rise_points`
    above the window before."""
    window = rule.window_days
    this_week = window_mean(days, end=day, window_days=window)
    last_week = window_mean(days, end=day - timedelta(days=window), window_days=window)
    return (
        this_week is not None
        and last_week is not None
        and this_week >= last_week + rule.week_rise_points - 1e-9
    )


def _pain_before(days: Sequence[DailyPain], day: date) -> float | None:
    earlier = [d for d in days if d.on < day]
    return earlier[-1].mean_pain if earlier else None


def _next_morning(entry: DiaryEntry, later: Sequence[DiaryEntry]) -> int | None:
    if entry.pain_next_morning is not None:
        return entry.pain_next_morning
    if entry.pain_during_run is None:
        return None
    next_day = entry.at.date() + timedelta(days=1)
    for other in later:
        if other.at.date() == next_day:
            return (
                other.pain_next_morning if other.pain_next_morning is not None else other.pain_now
            )
        if other.at.date() > next_day:
            break
    return None


@dataclass(frozen=True, slots=True)
class WeekVerdict:
    """The rule's answer for the week ending `today`: the plan moves by it, progress shows it."""

    advice: Advice
    reason_ids: tuple[MonitoringReason, ...]
    reasons: tuple[str, ...]
    checks: tuple[RunCheck, ...]  # the checks the verdict was drawn from
    rule: str
    sources: tuple[str, ...]


def week_verdict(
    entries: Sequence[DiaryEntry],
    rule: PainMonitoringRule,
    *,
    today: date,
    leg_symptoms_at_start: bool = False,
) -> WeekVerdict | None:
    """Step back if any load this week broke the rule, hold if any was not yet clear, else
    advance; the latest recent run counts when the week had none. None without recent entries.

    References: silbernagel-2007, trials-2023-walkrun
    """
    known = [e for e in entries if e.at.date() <= today]
    if not any(today - timedelta(rule.recent_days) < e.at.date() for e in known):
        return None
    checks = check_runs(
        known, rule, leg_symptoms_at_start=leg_symptoms_at_start, exercise_days=True
    )
    judged = [c for c in checks if today - timedelta(rule.window_days) < c.on]
    if not any(c.pain_during is not None for c in judged):
        judged = [*recent_runs(checks, today=today, days=rule.recent_days)[-1:], *judged]
    for advice in ("step_back", "hold"):
        picked = tuple(c for c in judged if c.advice == advice)
        if picked:
            return _week(rule, advice, picked, tuple(judged))
    return _quiet_week(rule, known, today, tuple(judged))


def _quiet_week(
    rule: PainMonitoringRule, known: Sequence[DiaryEntry], today: date, judged: tuple[RunCheck, ...]
) -> WeekVerdict:
    """No load broke the rule: hold on rising pain or too few entries, else advance."""
    if week_rising(daily_pain(known), today, rule):
        return _said(rule, "hold", "week_rising", judged, rise_points=rule.week_rise_points)
    week = [e for e in known if today - timedelta(rule.window_days) < e.at.date()]
    if len(week) < rule.min_entries_per_week:
        return _said(rule, "hold", "too_few_entries", judged, min_entries=rule.min_entries_per_week)
    return _said(rule, "advance", "rule_held", judged, max_pain=rule.max_pain)


def _week(
    rule: PainMonitoringRule,
    advice: Advice,
    picked: tuple[RunCheck, ...],
    judged: tuple[RunCheck, ...],
) -> WeekVerdict:
    first: dict[MonitoringReason, str] = {}
    for check in picked:
        first.setdefault(check.reason_id, check.reason)
    return WeekVerdict(advice, tuple(first), tuple(first.values()), judged, rule.id, rule.sources)


def _said(
    rule: PainMonitoringRule,
    advice: Advice,
    reason_id: MonitoringReason,
    judged: tuple[RunCheck, ...],
    **values: object,
) -> WeekVerdict:
    text = fill(rule.reasons[reason_id], values)
    return WeekVerdict(advice, (reason_id,), (text,), judged, rule.id, rule.sources)

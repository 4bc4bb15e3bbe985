"""Pain and disability over time: daily and 7-day means, meaningful change, recovery, trend."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from backstride.domain.diary import DiaryEntry
from backstride.knowledge.care import ChangeRule
from backstride.knowledge.model import KnowledgeBase

Trend = Literal["improving", "same", "worse"]
BaselineFrom = Literal["assessment", "first_week", "first_day"]

CHANGE_RULE_ID = "rule.meaningful_change"


def change_rule(kb: KnowledgeBase) -> ChangeRule:
    """The meaningful-change and escalation record every engine applies."""
    return kb.one(ChangeRule, CHANGE_RULE_ID)


@dataclass(frozen=True, slots=True)
class RmdqPoint:
    """One weekly Roland–Morris score (0–24)."""

    on: date
    score: int


@dataclass(frozen=True, slots=True)
class DailyPain:
    """All entries of one day: the mean of `pain_now` and the worst pain reported."""

    on: date
    mean_pain: float
    worst_pain: int
    entries: int


@dataclass(frozen=True, slots=True)
class ProgressSummary:
    """Where recovery stands today compared with the baseline."""

    baseline_pain: float | None
    current_pain: float | None
    change: float | None  # current minus baseline: negative is better
    change_fraction: float | None  # change / baseline
    meaningful_improvement: bool
    meaningful_worsening: bool
    baseline_rmdq: int | None
    current_rmdq: int | None
    rmdq_meaningful_improvement: bool
    recovered: bool
    trend: Trend
    days_tracked: int
    daily: tuple[DailyPain, ...]
    rolling: tuple[tuple[date, float], ...]  # (day, the window's mean of daily means)
    baseline_from: BaselineFrom | None = None  # what the baseline pain is
    window_entries: int = 0  # diary days in the current window (the rule's window_days)
    window_start: date | None = None  # the current window's first day


def daily_pain(entries: Sequence[DiaryEntry]) -> tuple[DailyPain, ...]:
    """One value per day with entries (several entries a day are averaged), oldest first."""
    by_day: dict[date, list[DiaryEntry]] = defaultdict(list)
    for entry in entries:
        by_day[entry.at.date()].append(entry)
    days = []
    for day in sorted(by_day):
        group = by_day[day]
        worst = max(max(e.pain_now, e.pain_worst or 0) for e in group)
        mean = sum(e.pain_now for e in group) / len(group)
        days.append(DailyPain(day, round(mean, 3), worst, len(group)))
    return tuple(days)


def window_mean(days: Sequence[DailyPain], *, end: date, window_days: int) -> float | None:
    """Mean of the daily means in the `window_days` ending on `end` (None without data)."""
    start = end - timedelta(days=window_days - 1)
    values = [d.mean_pain for d in days if start <= d.on <= end]
    return round(sum(values) / len(values), 3) if values else None


def rolling_means(days: Sequence[DailyPain], *, window_days: int) -> tuple[tuple[date, float], ...]:
    """For each day with data, the rolling mean of the `window_days` ending that day."""
    dates = [d.on for d in days]
    if dates != sorted(dates):  # daily_pain gives them oldest first; anything else: slow path
        return tuple(
            (d.on, m)
            for d in days
            if (m := window_mean(days, end=d.on, window_days=window_days)) is not None
        )
    out = []
    for index, day in enumerate(days):  # the window is the run of days just before this one
        first = bisect_left(dates, day.on - timedelta(days=window_days - 1), hi=index)
        last = bisect_right(dates, day.on, lo=index)
        values = [d.mean_pain for d in days[first:last]]
        out.append((day.on, round(sum(values) / len(values), 3)))
    return tuple(out)


def is_meaningful_change(before: float, after: float, *, points: float, fraction: float) -> bool:
    """True when `after` is lower than `before` by `points` or by `fraction` of `before`.

    References: ostelo-2008
    """
    drop = before - after
    if drop <= 0:
        return False
    return drop >= points - 1e-9 or (before > 0 and drop / before >= fraction - 1e-9)


def is_recovered(pain: float | None, rmdq: int | None, *, rmdq_max: int) -> bool:
    """Pain 0 (the 7-day mean rounds to 0) and RMDQ at most 2; unknown RMDQ is not recovered.

    References: kamper-2010
    """
    if pain is None or rmdq is None:
        return False
    return round(pain) == 0 and rmdq <= rmdq_max


def pain_trend(
    days: Sequence[DailyPain], *, today: date, baseline: float | None, rule: ChangeRule
) -> Trend:
    """This week's mean against last week's (or the baseline): the rule's points make a trend.

    References: ostelo-2008
    """
    current = window_mean(days, end=today, window_days=rule.window_days)
    previous = window_mean(
        days, end=today - timedelta(rule.window_days), window_days=rule.window_days
    )
    reference = previous if previous is not None else baseline
    if current is None or reference is None:
        return "same"
    if current <= reference - rule.trend_points:
        return "improving"
    if current >= reference + rule.trend_points:
        return "worse"
    return "same"


def baseline_pain(
    days: Sequence[DailyPain],
    assessed_pain: float | None,
    *,
    today: date | None = None,
    window_days: int,
) -> float | None:
    """The assessment's pain when known, else the first diary week's mean (or first day's)."""
    return _baseline(days, assessed_pain, today=today, window_days=window_days)[0]


def _baseline(
    days: Sequence[DailyPain], assessed_pain: float | None, *, today: date | None, window_days: int
) -> tuple[float | None, BaselineFrom | None]:
    """The baseline and where it comes from.

    The first diary week stands in for an assessment only when it lies wholly before the
    current 7-day window; otherwise "then" and "now" would be the same days and a change
    from the first entries (5 -> 3) would read as none. Then the first day is the baseline.
    """
    if assessed_pain is not None:
        return float(assessed_pain), "assessment"
    if not days:
        return None, None
    first_week_end = days[0].on + timedelta(days=window_days - 1)
    if today is None or first_week_end < today - timedelta(days=window_days - 1):
        return window_mean(days, end=first_week_end, window_days=window_days), "first_week"
    return days[0].mean_pain, "first_day"


def summarise_progress(
    entries: Sequence[DiaryEntry],
    rmdq: Sequence[RmdqPoint],
    *,
    today: date,
    assessed_pain: float | None = None,
    assessed_rmdq: int | None = None,
    rule: ChangeRule,
    rmdq_points: float,
    recovered_rmdq_max: int,
) -> ProgressSummary:
    """Baseline vs the last 7 days, meaningful change, recovery and trend.

    References: ostelo-2008, kamper-2010
    """
    days = tuple(d for d in daily_pain(entries) if d.on <= today)
    window_days = rule.window_days
    baseline, baseline_from = _baseline(days, assessed_pain, today=today, window_days=window_days)
    current = window_mean(days, end=today, window_days=window_days)
    if current is None and days:
        current = days[-1].mean_pain  # nothing this week: the last known day stands in
    change = None if baseline is None or current is None else round(current - baseline, 3)
    points = sorted((p for p in rmdq if p.on <= today), key=lambda p: p.on)
    base_rmdq = (
        assessed_rmdq if assessed_rmdq is not None else (points[0].score if points else None)
    )
    cur_rmdq = points[-1].score if points else assessed_rmdq
    return ProgressSummary(
        baseline_pain=baseline,
        current_pain=current,
        change=change,
        change_fraction=_fraction(change, baseline),
        meaningful_improvement=_improved(baseline, current, rule.pain_points, rule.fraction),
        meaningful_worsening=_worsened(baseline, current, rule.pain_points),
        baseline_rmdq=base_rmdq,
        current_rmdq=cur_rmdq,
        rmdq_meaningful_improvement=_improved(base_rmdq, cur_rmdq, rmdq_points, rule.fraction),
        recovered=is_recovered(current, cur_rmdq, rmdq_max=recovered_rmdq_max),
        trend=pain_trend(days, today=today, baseline=baseline, rule=rule),
        days_tracked=len(days),
        daily=days,
        rolling=rolling_means(days, window_days=window_days),
        baseline_from=baseline_from,
        window_entries=sum(1 for d in days if d.on > today - timedelta(days=window_days)),
        window_start=today - timedelta(days=window_days - 1),
    )


def _improved(before: float | None, after: float | None, points: float, fraction: float) -> bool:
    if before is None or after is None:
        return False
    return is_meaningful_change(float(before), float(after), points=points, fraction=fraction)


def _worsened(before: float | None, after: float | None, points: float) -> bool:
    if before is None or after is None or after <= before:
        return False
    # Only the absolute points: a fraction of a low baseline is noise (1 -> 1.3).
    return after - before >= points - 1e-9


def _fraction(change: float | None, baseline: float | None) -> float | None:
    if change is None or not baseline:
        return None
    return round(change / baseline, 3)

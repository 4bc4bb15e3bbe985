"""Findings: modifiable factors in the runner's own data, worded as associations to consider.

Each rule reads `TrainingAnalysis` and returns `Finding` values that carry the numbers
(metrics), the runs and the source ids behind them. No text states an injury risk in
percent; ratios are shown with their method; ACWR is marked as a contested measure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import numpy as np

from backstride.analytics.analysis import TrainingAnalysis, analyze_training
from backstride.analytics.equipment import Shoe
from backstride.analytics.findings_form import (
    cadence_drop_findings,
    low_cadence_findings,
    shoe_findings,
    surface_findings,
    vertical_oscillation_findings,
)
from backstride.analytics.form import RunForm
from backstride.analytics.history import TrainingActivity
from backstride.analytics.load import WEEK_DAYS, monotony_strain
from backstride.analytics.rules import FindingRules, episodes, keys_between, window_weeks
from backstride.analytics.spikes import frandsen_band
from backstride.domain.finding import Finding


def spike_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """single_run_spike: a run at least the rule's percentage longer than the longest of its
    look-back window."""
    found = []
    spike_rule = rules.spike
    for spike in analysis.spikes:
        day = analysis.series.day_at(spike.day_index)
        band = frandsen_band(spike.increase_pct, spike_rule)
        if not analysis.in_window(day) or band is None:
            continue
        found.append(
            rules.finding(
                "single_run_spike",
                severity="attention" if spike.increase_pct > spike_rule.high_pct else "consider",
                values={
                    "day": day,
                    "distance_km": spike.distance_km,
                    "previous_longest_km": spike.previous_longest_km,
                    "band": band,
                    "increase_pct": spike.increase_pct,
                },
                runs=(spike.key,),
                metrics={
                    "distance_km": round(spike.distance_km, 3),
                    "previous_longest_km": round(spike.previous_longest_km, 3),
                    "increase_pct": round(spike.increase_pct, 2),
                },
                on=day,
            )
        )
    return found


def weekly_jump_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """weekly_distance_jump: a calendar week more than the rule's percentage above the last."""
    found = []
    limit = rules.value("weekly_distance_jump", "max_rise_pct")
    for w in window_weeks(analysis):
        week = analysis.weeks[w]
        if week.change_pct is None or week.change_pct <= limit:
            continue
        previous = analysis.weeks[w - 1].distance_km
        end = min(week.week_start + timedelta(days=6), analysis.today)
        found.append(
            rules.finding(
                "weekly_distance_jump",
                severity="consider",
                values={
                    "week_start": week.week_start,
                    "distance_km": week.distance_km,
                    "previous_km": previous,
                    "change_pct": week.change_pct,
                },
                runs=keys_between(analysis, week.week_start, end),
                metrics={
                    "distance_km": round(week.distance_km, 3),
                    "previous_week_km": round(previous, 3),
                    "change_pct": round(week.change_pct, 2),
                },
                on=week.week_start,
            )
        )
    return found


def monotony_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """high_monotony: a complete calendar week with Foster monotony above the rule's limit."""
    found = []
    limit = rules.value("high_monotony", "monotony_high")
    for w in window_weeks(analysis):
        start = analysis.weeks[w].week_start
        lo = analysis.series.index_of(start)
        if lo < 0 or lo + WEEK_DAYS > len(analysis.series):
            continue  # only complete weeks inside the series
        week = analysis.series.distance_km[lo : lo + WEEK_DAYS]
        result = monotony_strain(week, cap=analysis.params.load.monotony_cap)
        if result.monotony <= limit:
            continue
        found.append(
            rules.finding(
                "high_monotony",
                severity="consider",
                values={"week_start": start, "monotony": result.monotony, "strain": result.strain},
                runs=keys_between(analysis, start, start + timedelta(days=6)),
                metrics={
                    "monotony": round(result.monotony, 4),
                    "strain": round(result.strain, 2),
                    "weekly_km": round(result.weekly_load, 3),
                },
                on=start,
            )
        )
    return found


def acwr_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """acwr_rising: the EWMA ratio above the rule's limit after rising within its window."""
    ratio = analysis.acwr["ewma"]
    lag = int(rules.value("acwr_rising", "rise_days"))
    earlier = (
        np.concatenate((np.full(lag, np.nan), ratio[:-lag])) if len(ratio) > lag else ratio * np.nan
    )
    high, rise = rules.value("acwr_rising", "acwr_high"), rules.value("acwr_rising", "acwr_rise")
    with np.errstate(invalid="ignore"):
        rising = (ratio > high) & (ratio - earlier >= rise)
    found = []
    for first, last in episodes(rising):
        peak = first + int(np.nanargmax(ratio[first : last + 1]))
        day = analysis.series.day_at(peak)
        if not analysis.in_window(day):
            continue
        found.append(_acwr_finding(analysis, rules, peak, day, float(earlier[peak])))
    return found


def _acwr_finding(
    analysis: TrainingAnalysis, rules: FindingRules, peak: int, day: date, before: float
) -> Finding:
    values = {name: float(series[peak]) for name, series in analysis.acwr.items()}
    rolling = "; ".join(
        f"the rolling {name} ratio was {values[name]:.2f}"
        for name in ("coupled", "uncoupled")
        if np.isfinite(values[name])
    )
    return rules.finding(
        "acwr_rising",
        severity="info",
        values={
            "day": day,
            "ewma": values["ewma"],
            "method": analysis.acwr_method,
            "before": before,
            "rolling": f"; {rolling}" if rolling else "",
        },
        runs=keys_between(analysis, day - timedelta(days=6), day),
        metrics={f"acwr_{k}": round(v, 4) for k, v in values.items() if np.isfinite(v)}
        | {"acwr_ewma_14_days_before": round(before, 4)},
        on=day,
    )


def rest_day_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """no_rest_days: at least the rule's number of consecutive days with a run."""
    found = []
    streak = rules.value("no_rest_days", "streak_days")
    for first, last in episodes(analysis.series.runs > 0):
        length = last - first + 1
        end = analysis.series.day_at(last)
        if length < streak or not analysis.in_window(end):
            continue
        start = analysis.series.day_at(first)
        found.append(
            rules.finding(
                "no_rest_days",
                severity="consider",
                values={"start": start, "end": end, "days": length},
                runs=keys_between(analysis, start, end),
                metrics={"days": float(length)},
                on=end,
            )
        )
    return found


FindingRule = Callable[[TrainingAnalysis, FindingRules], list[Finding]]


def _all_rules() -> tuple[FindingRule, ...]:
    return (
        spike_findings,
        weekly_jump_findings,
        monotony_findings,
        acwr_findings,
        rest_day_findings,
        low_cadence_findings,
        cadence_drop_findings,
        vertical_oscillation_findings,
        shoe_findings,
        surface_findings,
    )


def findings_from(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """Every finding of every rule, ordered by day then id (stable for JSON output).

    References: frandsen-2025, nielsen-2014, foster-1998, williams-2017, heiderscheit-2011
    """
    found = [f for rule in _all_rules() for f in rule(analysis, rules)]
    return sorted(found, key=lambda f: (f.on or date.min, f.id, f.runs))


def build_findings(
    activities: Sequence[TrainingActivity],
    *,
    today: date,
    since: date,
    forms: Sequence[RunForm] = (),
    shoes: Sequence[Shoe] = (),
    shoe_inspection_km: float,
    rules: FindingRules,
) -> list[Finding]:
    """Findings for since … today from a runner's activities, run forms and shoes.

    References: frandsen-2025, nielsen-2014, foster-1998, williams-2017, malisoux-2015
    """
    analysis = analyze_training(
        activities,
        today=today,
        since=since,
        forms=forms,
        shoes=shoes,
        shoe_inspection_km=shoe_inspection_km,
        params=rules.params,
    )
    return findings_from(analysis, rules)

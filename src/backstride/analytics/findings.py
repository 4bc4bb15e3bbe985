"""Findings: modifiable factors in the runner's own data, worded as associations to consider.

Each rule reads `TrainingAnalysis` and returns `Finding` values that carry the numbers
(metrics), the runs and the source ids behind them. No text states an injury risk in
percent; ratios are shown with their method; ACWR is marked as a contested measure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import numpy as np

from backstride.analytics.analysis import ACWR_METHOD, TrainingAnalysis, analyze_training
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
from backstride.analytics.load import monotony_strain
from backstride.analytics.rules import FindingRules, episodes, keys_between, window_weeks
from backstride.domain.finding import Finding

ACWR_SOURCES = (
    "williams-2017",
    "gabbett-2016",
    "lolli-2019",
    "impellizzeri-2020",
    "impellizzeri-2021",
)


def spike_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """single_run_spike: a run > 10 % longer than the longest of the previous 30 days."""
    found = []
    for spike in analysis.spikes:
        day = analysis.series.day_at(spike.day_index)
        if not analysis.in_window(day) or spike.increase_pct <= rules.spike_min_pct:
            continue
        found.append(
            Finding(
                id="single_run_spike",
                severity="attention" if spike.band == ">100" else "consider",
                title=f"A run {spike.increase_pct:.0f} % longer than your recent longest",
                evidence=(
                    f"On {day} you ran {spike.distance_km:.1f} km; your longest run in the 30 "
                    f"days before was {spike.previous_longest_km:.1f} km ({spike.band} % band). "
                    "In a cohort of 5,205 runners, single runs more than 10 % longer than the "
                    "30-day longest were associated with more running injuries, most clearly "
                    "above 100 % (Frandsen 2025). Consider growing your longest run in "
                    "smaller steps and watching how your back responds over the next days."
                ),
                runs=(spike.key,),
                metrics={
                    "distance_km": round(spike.distance_km, 3),
                    "previous_longest_km": round(spike.previous_longest_km, 3),
                    "increase_pct": round(spike.increase_pct, 2),
                },
                sources=("frandsen-2025",),
                on=day,
            )
        )
    return found


def weekly_jump_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """weekly_distance_jump: a calendar week > 30 % above the week before."""
    found = []
    for w in window_weeks(analysis):
        week = analysis.weeks[w]
        if week.change_pct is None or week.change_pct <= rules.weekly_jump_pct:
            continue
        previous = analysis.weeks[w - 1].distance_km
        end = min(week.week_start + timedelta(days=6), analysis.today)
        found.append(
            Finding(
                id="weekly_distance_jump",
                severity="consider",
                title=f"Weekly distance up {week.change_pct:.0f} % on the week before",
                evidence=(
                    f"The week of {week.week_start} had {week.distance_km:.1f} km after "
                    f"{previous:.1f} km the week before. Weekly increases above 30 % were "
                    "associated with more of some running injuries in novice runners "
                    "(Nielsen 2014); a strict 10 % rule did not prevent injuries in a trial "
                    "(Buist 2008). Consider spreading the increase over more weeks."
                ),
                runs=keys_between(analysis, week.week_start, end),
                metrics={
                    "distance_km": round(week.distance_km, 3),
                    "previous_week_km": round(previous, 3),
                    "change_pct": round(week.change_pct, 2),
                },
                sources=("nielsen-2014", "buist-2008"),
                on=week.week_start,
            )
        )
    return found


def monotony_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """high_monotony: a complete calendar week with Foster monotony above 2."""
    found = []
    for w in window_weeks(analysis):
        start = analysis.weeks[w].week_start
        lo = analysis.series.index_of(start)
        if lo < 0 or lo + 7 > len(analysis.series):
            continue  # only complete weeks inside the series
        result = monotony_strain(analysis.series.distance_km[lo : lo + 7])
        if result.monotony <= rules.monotony_high:
            continue
        found.append(
            Finding(
                id="high_monotony",
                severity="consider",
                title=f"Very even daily load, week of {start} (monotony {result.monotony:.1f})",
                evidence=(
                    f"Daily distances that week varied little (monotony {result.monotony:.2f} = "
                    f"mean / SD of the 7 daily loads, rest days 0; strain "
                    f"{result.strain:.0f} km-units). Foster (1998) linked monotony above 2 with "
                    "illness and overreaching in athletes. Consider alternating harder, easier "
                    "and rest days."
                ),
                runs=keys_between(analysis, start, start + timedelta(days=6)),
                metrics={
                    "monotony": round(result.monotony, 4),
                    "strain": round(result.strain, 2),
                    "weekly_km": round(result.weekly_load, 3),
                },
                sources=("foster-1998",),
                on=start,
            )
        )
    return found


def acwr_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """acwr_rising: the EWMA ratio above 1.3 after rising ≥ 0.2 within 14 days."""
    ratio = analysis.acwr["ewma"]
    earlier = (
        np.concatenate((np.full(14, np.nan), ratio[:-14])) if len(ratio) > 14 else ratio * np.nan
    )
    with np.errstate(invalid="ignore"):
        rising = (ratio > rules.acwr_high) & (ratio - earlier >= rules.acwr_rise)
    found = []
    for first, last in episodes(rising):
        peak = first + int(np.nanargmax(ratio[first : last + 1]))
        day = analysis.series.day_at(peak)
        if not analysis.in_window(day):
            continue
        found.append(_acwr_finding(analysis, peak, day, float(earlier[peak])))
    return found


def _acwr_finding(analysis: TrainingAnalysis, peak: int, day: date, before: float) -> Finding:
    values = {name: float(series[peak]) for name, series in analysis.acwr.items()}
    rolling = "; ".join(
        f"the rolling {name} ratio was {values[name]:.2f}"
        for name in ("coupled", "uncoupled")
        if np.isfinite(values[name])
    )
    return Finding(
        id="acwr_rising",
        severity="info",
        title=f"Recent load rising against your usual (ACWR {values['ewma']:.2f}, EWMA)",
        evidence=(
            f"On {day} your acute:chronic distance ratio was {values['ewma']:.2f} "
            f"({ACWR_METHOD}), up from {before:.2f} two weeks earlier"
            + (f"; {rolling}. " if rolling else ". ")
            + "This ratio is a contested measure (Lolli 2019; Impellizzeri 2020, 2021): read it "
            "as a trend in your own load, not as a risk figure. Consider whether the recent "
            "increase was planned."
        ),
        runs=keys_between(analysis, day - timedelta(days=6), day),
        metrics={f"acwr_{k}": round(v, 4) for k, v in values.items() if np.isfinite(v)}
        | {"acwr_ewma_14_days_before": round(before, 4)},
        sources=ACWR_SOURCES,
        on=day,
    )


def rest_day_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """no_rest_days: 7 or more consecutive days with a run."""
    found = []
    for first, last in episodes(analysis.series.runs > 0):
        length = last - first + 1
        end = analysis.series.day_at(last)
        if length < rules.rest_streak_days or not analysis.in_window(end):
            continue
        start = analysis.series.day_at(first)
        found.append(
            Finding(
                id="no_rest_days",
                severity="consider",
                title=f"{length} days in a row with a run",
                evidence=(
                    f"You ran every day from {start} to {end}. Days without variation or rest "
                    "raise training monotony, which Foster (1998) linked with illness and "
                    "overreaching. Consider at least one rest or cross-training day a week, "
                    "especially while your back is settling."
                ),
                runs=keys_between(analysis, start, end),
                metrics={"days": float(length)},
                sources=("foster-1998",),
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


def findings_from(analysis: TrainingAnalysis, rules: FindingRules | None = None) -> list[Finding]:
    """Every finding of every rule, ordered by day then id (stable for JSON output).

    References: frandsen-2025, nielsen-2014, foster-1998, williams-2017, heiderscheit-2011
    """
    chosen = rules or FindingRules()
    found = [f for rule in _all_rules() for f in rule(analysis, chosen)]
    return sorted(found, key=lambda f: (f.on or date.min, f.id, f.runs))


def build_findings(
    activities: Sequence[TrainingActivity],
    *,
    today: date,
    since: date,
    forms: Sequence[RunForm] = (),
    shoes: Sequence[Shoe] = (),
    shoe_inspection_km: float = 600.0,
    rules: FindingRules | None = None,
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
    )
    return findings_from(analysis, rules)

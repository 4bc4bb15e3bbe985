"""Distance spikes: a single run against the longest of the spike rule's previous days,
weekly change.

Percentages are rounded to 6 decimals before they are compared with a band edge, so a run
of exactly 11 km after 10 km is exactly ten percent longer (not 10.000000000000009), and so
a spike under the one spike rule (`is_spike`) when the record's edge is ten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from backstride.analytics.history import RunColumns

FloatArray = npt.NDArray[np.float64]


def percent_increase(value: float, reference: float) -> float:
    """How much longer `value` is than `reference`, in percent (rounded to 6 decimals)."""
    return round((value / reference - 1.0) * 100.0, 6)


@dataclass(frozen=True, slots=True)
class SpikeRule:
    """The single-run spike rule (the `finding.single_run_spike` record): its edges in percent
    and the days before a run whose longest run it is compared with."""

    min_pct: float
    mid_pct: float
    high_pct: float
    lookback_days: int


def frandsen_band(increase_pct: float, rule: SpikeRule) -> str | None:
    """The Frandsen band of an increase over the window's longest run, None when no spike.

    A spike starts at `min_pct` inclusive (Frandsen's reference group was the runs below that
    edge); the upper bands are (mid, high] and above high.

    References: frandsen-2025
    """
    if increase_pct > rule.high_pct:
        return f">{rule.high_pct:g}"
    if increase_pct > rule.mid_pct:
        return f"{rule.mid_pct:g}-{rule.high_pct:g}"
    if increase_pct >= rule.min_pct:
        return f"{rule.min_pct:g}-{rule.mid_pct:g}"
    return None


def is_spike(increase_pct: float, rule: SpikeRule) -> bool:
    """The one spike rule: the plan and analytics both ask this."""
    return frandsen_band(increase_pct, rule) is not None


def previous_longest_km(runs: RunColumns, *, lookback_days: int) -> FloatArray:
    """For every run, the longest run in the `lookback_days` calendar days before its day
    (same-day runs excluded; NaN when there was none).

    References: frandsen-2025
    """
    days = runs.day_index
    dist = runs.distance_km
    lo = np.searchsorted(days, days - lookback_days, side="left")
    hi = np.searchsorted(days, days, side="left")
    out = np.full(len(days), np.nan)
    for i in np.flatnonzero(hi > lo).tolist():
        out[i] = dist[lo[i] : hi[i]].max()
    return out


@dataclass(frozen=True, slots=True)
class RunSpike:
    """One run longer than the longest run of the previous 30 days (a candidate spike)."""

    key: str
    day_index: int
    distance_km: float
    previous_longest_km: float
    increase_pct: float


def run_spikes(runs: RunColumns, *, lookback_days: int) -> list[RunSpike]:
    """Every run longer than the longest of the `lookback_days` before it; the spike rule
    picks from these.

    References: frandsen-2025
    """
    reference = previous_longest_km(runs, lookback_days=lookback_days)
    spikes: list[RunSpike] = []
    for i in np.flatnonzero(reference > 0).tolist():
        pct = percent_increase(float(runs.distance_km[i]), float(reference[i]))
        if pct <= 0:
            continue
        spikes.append(
            RunSpike(
                key=runs.keys[i],
                day_index=int(runs.day_index[i]),
                distance_km=float(runs.distance_km[i]),
                previous_longest_km=float(reference[i]),
                increase_pct=pct,
            )
        )
    return spikes


@dataclass(frozen=True, slots=True)
class WeekDistance:
    """Running distance of one calendar week (Monday to Sunday)."""

    week_start: date
    distance_km: float
    longest_run_km: float
    change_pct: float | None  # against the previous week; None when that week was 0

    @property
    def long_run_share(self) -> float | None:
        """The longest run's share of the week's distance (0–1), None for an empty week."""
        return self.longest_run_km / self.distance_km if self.distance_km > 0 else None


def weekly_distances(
    distance_km: FloatArray, longest_run_km: FloatArray, *, first_day: date
) -> list[WeekDistance]:
    """Calendar-week distance, longest run and week-over-week change in percent.

    References: nielsen-2014, buist-2008
    """
    pad = first_day.weekday()
    total = np.concatenate((np.zeros(pad), distance_km))
    longest = np.concatenate((np.zeros(pad), longest_run_km))
    extra = (-len(total)) % 7
    total = np.concatenate((total, np.zeros(extra))).reshape(-1, 7).sum(axis=1)
    longest = np.concatenate((longest, np.zeros(extra))).reshape(-1, 7).max(axis=1)
    monday = first_day - timedelta(days=pad)
    weeks: list[WeekDistance] = []
    for w, (km, top) in enumerate(zip(total.tolist(), longest.tolist(), strict=True)):
        prev = total[w - 1] if w > 0 else 0.0
        change = percent_increase(km, float(prev)) if prev > 0 else None
        weeks.append(WeekDistance(monday + timedelta(weeks=w), km, top, change))
    return weeks


@dataclass(frozen=True, slots=True)
class WeekTotal:
    """One calendar week's running: distance, number of runs and the longest run."""

    week_start: date
    distance_km: float
    runs: int
    longest_run_km: float


def week_totals(runs: Sequence[tuple[date, float]], *, end: date, weeks: int) -> list[WeekTotal]:
    """The `weeks` calendar weeks (Monday to Sunday) up to `end` from (day, km) runs, by the
    same weekly aggregation as the analysis (`weekly_distances`).

    References: nielsen-2014
    """
    first = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    n_days = (end - first).days + 1
    distance, longest, count = np.zeros(n_days), np.zeros(n_days), np.zeros(n_days)
    for day, km in runs:
        i = (day - first).days
        if 0 <= i < n_days:
            distance[i] += km
            longest[i] = max(longest[i], km)
            count[i] += 1
    totals = weekly_distances(distance, longest, first_day=first)
    per_week = np.concatenate((count, np.zeros((-n_days) % 7))).reshape(-1, 7).sum(axis=1)
    return [
        WeekTotal(w.week_start, w.distance_km, int(c), w.longest_run_km)
        for w, c in zip(totals, per_week.tolist(), strict=True)
    ]

"""Distance spikes: a single run against the longest of the previous 30 days, weekly change.

Percentages are rounded to 6 decimals before they are compared with a band edge, so a run
of exactly 11 km after 10 km is exactly "10 % longer" (not 10.000000000000009 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

from backstride.analytics.history import RunColumns

FloatArray = npt.NDArray[np.float64]

SpikeBand = Literal["10-30", "30-100", ">100"]
LOOKBACK_DAYS = 30


def percent_increase(value: float, reference: float) -> float:
    """How much longer `value` is than `reference`, in percent (rounded to 6 decimals)."""
    return round((value / reference - 1.0) * 100.0, 6)


def frandsen_band(increase_pct: float) -> SpikeBand | None:
    """The Frandsen band of an increase over the 30-day longest run: (10, 30], (30, 100], > 100.

    References: frandsen-2025
    """
    if increase_pct > 100.0:
        return ">100"
    if increase_pct > 30.0:
        return "30-100"
    if increase_pct > 10.0:
        return "10-30"
    return None


def previous_longest_km(runs: RunColumns, *, lookback_days: int = LOOKBACK_DAYS) -> FloatArray:
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
    """One run that exceeded the longest run of the previous 30 days by more than 10 %."""

    key: str
    day_index: int
    distance_km: float
    previous_longest_km: float
    increase_pct: float
    band: SpikeBand


def run_spikes(runs: RunColumns, *, min_increase_pct: float = 10.0) -> list[RunSpike]:
    """Every run more than `min_increase_pct` longer than the 30-day longest before it.

    References: frandsen-2025
    """
    reference = previous_longest_km(runs)
    spikes: list[RunSpike] = []
    for i in np.flatnonzero(reference > 0).tolist():
        pct = percent_increase(float(runs.distance_km[i]), float(reference[i]))
        band = frandsen_band(pct)
        if band is None or pct <= min_increase_pct:
            continue
        spikes.append(
            RunSpike(
                key=runs.keys[i],
                day_index=int(runs.day_index[i]),
                distance_km=float(runs.distance_km[i]),
                previous_longest_km=float(reference[i]),
                increase_pct=pct,
                band=band,
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

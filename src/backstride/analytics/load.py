"""Training load: per-session load, EWMA, acute:chronic ratios, monotony, strain, fitness/fatigue.

Every function is pure and works on numpy arrays of daily values (index 0 = first day,
one entry per calendar day, days without a recorded activity = 0). Conventions are named
in parameters so a number can always be traced back to its method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

from backstride.errors import InputError
from backstride.knowledge.analytics_params import ImpulseResponse, LoadWindows, TrimpCoefficients
from backstride.knowledge.training import HeartRateZones

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: How λ is derived from a time constant of N days.
#: williams: λ = 2/(N+1) (Williams et al. 2017); banister: λ = 1 − e^(−1/N) (impulse-response
#: decay); simple: λ = 1/N (the common "PMC" shortcut).
EwmaConvention = Literal["williams", "banister", "simple"]

#: Foster's monotony is a property of one week of daily loads (a calendar fact).
WEEK_DAYS = timedelta(weeks=1).days


def session_rpe_load(*, rpe_cr10: float, duration_min: float) -> float:
    """Session-RPE load in arbitrary units: RPE (CR-10) × minutes.

    References: foster-2001
    """
    if not 0 <= rpe_cr10 <= 10:
        raise InputError(f"rpe_cr10 must be 0–10 on the CR-10 scale, got {rpe_cr10}")
    if duration_min < 0:
        raise InputError(f"duration_min must be ≥ 0, got {duration_min}")
    return rpe_cr10 * duration_min


def banister_trimp(
    hr_bpm: FloatArray,
    dt_s: FloatArray,
    *,
    hr_rest_bpm: float,
    hr_max_bpm: float,
    coefficients: TrimpCoefficients,
) -> float:
    """Banister TRIMP: Σ minutes × x × a·e^(b·x), x = heart-rate reserve fraction (0–1).

    Samples with a missing heart rate (NaN) add nothing. The published men's and women's
    coefficients are the `load.impulse_response` record's; any other pair may be passed.
    References: morton-1990
    """
    if hr_max_bpm <= hr_rest_bpm:
        raise InputError(f"hr_max_bpm must exceed hr_rest_bpm, got {hr_max_bpm} ≤ {hr_rest_bpm}")
    x = np.clip((hr_bpm - hr_rest_bpm) / (hr_max_bpm - hr_rest_bpm), 0.0, 1.0)
    minutes = dt_s / 60.0
    terms = minutes * x * coefficients.a * np.exp(coefficients.b * x)
    return float(np.nansum(terms))


def edwards_trimp_from_zone_minutes(
    zone_minutes: tuple[float, ...] | list[float], zones: HeartRateZones
) -> float:
    """Edwards TRIMP from minutes spent in each of the record's zones (zone n weighs n).

    References: edwards-1993
    """
    if len(zone_minutes) != len(zones.zone_lower_pct):
        raise InputError(
            f"zone_minutes must have {len(zones.zone_lower_pct)} values, got {len(zone_minutes)}"
        )
    return float(sum(weight * m for weight, m in enumerate(zone_minutes, start=1)))


def edwards_trimp(
    hr_bpm: FloatArray, dt_s: FloatArray, *, hr_max_bpm: float, zones: HeartRateZones
) -> float:
    """Edwards TRIMP from heart-rate samples: zone weight × minutes (0 below the first zone).

    References: edwards-1993
    """
    pct = 100.0 * hr_bpm / hr_max_bpm
    weight = np.searchsorted(np.asarray(zones.zone_lower_pct), pct, side="right")
    weight = np.where(np.isnan(pct), 0, weight)
    return float(np.sum(weight * dt_s) / 60.0)


def ewma_lambda(span_days: float, convention: EwmaConvention = "williams") -> float:
    """The decay λ for a time constant of `span_days` under a named convention.

    References: williams-2017
    """
    if span_days <= 0:
        raise InputError(f"span_days must be > 0, got {span_days}")
    if convention == "williams":
        return 2.0 / (span_days + 1.0)
    if convention == "banister":
        return 1.0 - math.exp(-1.0 / span_days)
    return 1.0 / span_days


def ewma(
    daily: FloatArray,
    *,
    span_days: float,
    convention: EwmaConvention = "williams",
    seed: float | None = None,
) -> FloatArray:
    """E_t = λ·L_t + (1−λ)·E_{t−1}; E_{−1} = `seed`, or the first load when seed is None.

    References: williams-2017
    """
    lam = ewma_lambda(span_days, convention)
    out = np.empty(len(daily), dtype=np.float64)
    if len(daily) == 0:
        return out
    previous = float(daily[0]) if seed is None else float(seed)
    keep = 1.0 - lam
    for i, value in enumerate(daily.tolist()):
        previous = lam * value + keep * previous
        out[i] = previous
    return out


def _rolling_mean(daily: FloatArray, window: int, *, lag: int = 0) -> FloatArray:
    """Mean of days t−lag−window+1 … t−lag for every t (NaN where the window is incomplete)."""
    csum = np.concatenate(([0.0], np.cumsum(daily, dtype=np.float64)))
    out = np.full(len(daily), np.nan)
    first = window + lag - 1
    if len(daily) > first:
        ends = np.arange(first, len(daily)) - lag + 1
        out[first:] = (csum[ends] - csum[ends - window]) / window
    return out


def _ratio(acute: FloatArray, chronic: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(chronic > 0, acute / chronic, np.nan)


def acwr_coupled(daily: FloatArray, windows: LoadWindows) -> FloatArray:
    """Rolling ACWR, coupled: mean of the last acute days / mean of the last chronic days
    (incl. them); 7 and 28 in the `load.windows` record.

    References: gabbett-2016, lolli-2019
    """
    acute = _rolling_mean(daily, windows.acute_days)
    return _ratio(acute, _rolling_mean(daily, windows.chronic_days))


def acwr_uncoupled(daily: FloatArray, windows: LoadWindows) -> FloatArray:
    """Rolling ACWR, uncoupled: last acute days / mean of the chronic days before them
    (t−27 … t−7 with the record's windows; acute excluded).

    References: lolli-2019
    """
    acute_days = windows.acute_days
    chronic = _rolling_mean(daily, windows.chronic_days - acute_days, lag=acute_days)
    return _ratio(_rolling_mean(daily, acute_days), chronic)


def acwr_ewma(daily: FloatArray, windows: LoadWindows) -> FloatArray:
    """EWMA ACWR: acute over chronic EWMA (λ = 2/(N+1)), both seeded with the first load.

    References: williams-2017, impellizzeri-2020
    """
    acute = ewma(daily, span_days=windows.acute_days)
    chronic = ewma(daily, span_days=windows.chronic_days)
    return _ratio(acute, chronic)


def acwr_coverage(recorded: BoolArray, windows: LoadWindows) -> BoolArray:
    """Where a ratio may be shown: a whole chronic window since the first day of the series
    and at least `min_active_blocks` of its acute blocks ending on that day hold a recorded
    activity (28 days; 3 of the four 7-day blocks in the `load.windows` record).

    Days without a recorded activity count as rest (load 0); this rule keeps gaps that are
    more likely missing data (watch not worn, history not imported) from producing a ratio.
    References: impellizzeri-2020
    """
    n, acute_days, chronic_days = len(recorded), windows.acute_days, windows.chronic_days
    ok = np.zeros(n, dtype=np.bool_)
    if n < chronic_days:
        return ok
    csum = np.concatenate(([0], np.cumsum(recorded.astype(np.int64))))
    t = np.arange(chronic_days - 1, n)
    active_blocks = np.zeros(len(t), dtype=np.int64)
    for block in range(windows.blocks):
        end = t + 1 - block * acute_days
        active_blocks += (csum[end] - csum[end - acute_days]) > 0
    ok[chronic_days - 1 :] = active_blocks >= windows.min_active_blocks
    return ok


@dataclass(frozen=True, slots=True)
class MonotonyStrain:
    """Foster monotony and strain of one 7-day block."""

    weekly_load: float
    monotony: float
    strain: float


def monotony_strain(week: FloatArray, *, cap: float) -> MonotonyStrain:
    """Monotony = mean / population SD of 7 daily loads (rest days 0, `cap` when SD = 0 or
    above it, 0 for a week without load); strain = weekly load × monotony.

    References: foster-1998
    """
    if len(week) != WEEK_DAYS:
        raise InputError(f"week must hold {WEEK_DAYS} daily loads, got {len(week)}")
    total = float(np.sum(week))
    mean = total / WEEK_DAYS
    sd = float(np.std(week))
    if mean == 0:
        mono = 0.0
    elif sd == 0:
        mono = cap
    else:
        mono = min(mean / sd, cap)
    return MonotonyStrain(weekly_load=total, monotony=mono, strain=total * mono)


def rolling_monotony(daily: FloatArray, *, cap: float) -> FloatArray:
    """Monotony of the 7 days ending on every day (NaN for the first 6 days).

    References: foster-1998
    """
    n = len(daily)
    out = np.full(n, np.nan)
    if n < WEEK_DAYS:
        return out
    windows = np.lib.stride_tricks.sliding_window_view(daily, WEEK_DAYS)
    mean = windows.mean(axis=1)
    sd = windows.std(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mono = np.where(sd > 0, np.minimum(mean / sd, cap), cap)
    out[WEEK_DAYS - 1 :] = np.where(mean > 0, mono, 0.0)
    return out


@dataclass(frozen=True, slots=True)
class FitnessFatigue:
    """Fitness (chronic) and fatigue (acute) EWMA series and their difference (form)."""

    fitness: FloatArray
    fatigue: FloatArray
    convention: EwmaConvention
    fitness_days: float
    fatigue_days: float

    @property
    def form(self) -> FloatArray:
        """Fitness minus fatigue ("training stress balance")."""
        return self.fitness - self.fatigue


def fitness_fatigue(
    daily: FloatArray, model: ImpulseResponse, *, convention: EwmaConvention = "banister"
) -> FitnessFatigue:
    """Fitness/fatigue (PMC) from zero over the model's time constants (42 and 7 days in the
    `load.impulse_response` record) with a named λ convention (default banister: 1 − e^(−1/N)).

    References: morton-1990, williams-2017
    """
    fitness = ewma(daily, span_days=model.fitness_days, convention=convention, seed=0.0)
    fatigue = ewma(daily, span_days=model.fatigue_days, convention=convention, seed=0.0)
    return FitnessFatigue(
        fitness=fitness,
        fatigue=fatigue,
        convention=convention,
        fitness_days=model.fitness_days,
        fatigue_days=model.fatigue_days,
    )

"""Training load: per-session load, EWMA, acute:chronic ratios, monotony, strain, fitness/fatigue.

Every function is pure and works on numpy arrays of daily values (index 0 = first day,
one entry per calendar day, days without a recorded activity = 0). Conventions are named
in parameters so a number can always be traced back to its method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from backstride.errors import InputError
from backstride.knowledge.training import HeartRateZones

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: How λ is derived from a time constant of N days.
#: williams: λ = 2/(N+1) (Williams et al. 2017); banister: λ = 1 − e^(−1/N) (impulse-response
#: decay); simple: λ = 1/N (the common "PMC" shortcut).
EwmaConvention = Literal["williams", "banister", "simple"]

#: Banister TRIMP weighting published by Morton, Fitz-Clarke & Banister (1990).
BANISTER_MEN: tuple[float, float] = (0.64, 1.92)
BANISTER_WOMEN: tuple[float, float] = (0.86, 1.67)

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
#: A ratio is shown when this many of the chronic window's 7-day blocks hold an activity.
ACWR_MIN_ACTIVE_WEEKS = 3
ACWR_BLOCKS = CHRONIC_DAYS // ACUTE_DAYS
MONOTONY_CAP = 10.0


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
    a: float = BANISTER_MEN[0],
    b: float = BANISTER_MEN[1],
) -> float:
    """Banister TRIMP: Σ minutes × x × a·e^(b·x), x = heart-rate reserve fraction (0–1).

    Samples with a missing heart rate (NaN) add nothing. Defaults are the published men's
    coefficients; pass BANISTER_WOMEN (or any other pair) explicitly.
    References: morton-1990
    """
    if hr_max_bpm <= hr_rest_bpm:
        raise InputError(f"hr_max_bpm must exceed hr_rest_bpm, got {hr_max_bpm} ≤ {hr_rest_bpm}")
    x = np.clip((hr_bpm - hr_rest_bpm) / (hr_max_bpm - hr_rest_bpm), 0.0, 1.0)
    minutes = dt_s / 60.0
    terms = minutes * x * a * np.exp(b * x)
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


def acwr_coupled(daily: FloatArray) -> FloatArray:
    """Rolling ACWR, coupled: mean of the last 7 days / mean of the last 28 days (incl. them).

    References: gabbett-2016, lolli-2019
    """
    return _ratio(_rolling_mean(daily, ACUTE_DAYS), _rolling_mean(daily, CHRONIC_DAYS))


def acwr_uncoupled(daily: FloatArray) -> FloatArray:
    """Rolling ACWR, uncoupled: last 7 days / mean of days t−27 … t−7 (acute excluded).

    References: lolli-2019
    """
    chronic = _rolling_mean(daily, CHRONIC_DAYS - ACUTE_DAYS, lag=ACUTE_DAYS)
    return _ratio(_rolling_mean(daily, ACUTE_DAYS), chronic)


def acwr_ewma(daily: FloatArray) -> FloatArray:
    """EWMA ACWR: 7-day over 28-day EWMA (λ = 2/(N+1)), both seeded with the first load.

    References: williams-2017, impellizzeri-2020
    """
    acute = ewma(daily, span_days=ACUTE_DAYS)
    chronic = ewma(daily, span_days=CHRONIC_DAYS)
    return _ratio(acute, chronic)


def acwr_coverage(
    recorded: BoolArray, *, min_active_weeks: int = ACWR_MIN_ACTIVE_WEEKS
) -> BoolArray:
    """Where a ratio may be shown: ≥ 28 days since the first day of the series and at least
    `min_active_weeks` of the four 7-day blocks ending on that day hold a recorded activity.

    Days without a recorded activity count as rest (load 0); this rule keeps gaps that are
    more likely missing data (watch not worn, history not imported) from producing a ratio.
    References: impellizzeri-2020
    """
    n = len(recorded)
    ok = np.zeros(n, dtype=np.bool_)
    if n < CHRONIC_DAYS:
        return ok
    csum = np.concatenate(([0], np.cumsum(recorded.astype(np.int64))))
    t = np.arange(CHRONIC_DAYS - 1, n)
    active_blocks = np.zeros(len(t), dtype=np.int64)
    for block in range(ACWR_BLOCKS):
        end = t + 1 - block * ACUTE_DAYS
        active_blocks += (csum[end] - csum[end - ACUTE_DAYS]) > 0
    ok[CHRONIC_DAYS - 1 :] = active_blocks >= min_active_weeks
    return ok


@dataclass(frozen=True, slots=True)
class MonotonyStrain:
    """Foster monotony and strain of one 7-day block."""

    weekly_load: float
    monotony: float
    strain: float


def monotony_strain(week: FloatArray) -> MonotonyStrain:
    """Monotony = mean / population SD of 7 daily loads (rest days 0, capped at 10 when
    SD = 0, 0 for a week without load); strain = weekly load × monotony.

    References: foster-1998
    """
    if len(week) != ACUTE_DAYS:
        raise InputError(f"week must hold 7 daily loads, got {len(week)}")
    total = float(np.sum(week))
    mean = total / ACUTE_DAYS
    sd = float(np.std(week))
    if mean == 0:
        mono = 0.0
    elif sd == 0:
        mono = MONOTONY_CAP
    else:
        mono = min(mean / sd, MONOTONY_CAP)
    return MonotonyStrain(weekly_load=total, monotony=mono, strain=total * mono)


def rolling_monotony(daily: FloatArray) -> FloatArray:
    """Monotony of the 7 days ending on every day (NaN for the first 6 days).

    References: foster-1998
    """
    n = len(daily)
    out = np.full(n, np.nan)
    if n < ACUTE_DAYS:
        return out
    windows = np.lib.stride_tricks.sliding_window_view(daily, ACUTE_DAYS)
    mean = windows.mean(axis=1)
    sd = windows.std(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mono = np.where(sd > 0, np.minimum(mean / sd, MONOTONY_CAP), MONOTONY_CAP)
    out[ACUTE_DAYS - 1 :] = np.where(mean > 0, mono, 0.0)
    return out


@dataclass(frozen=True, slots=True)
class FitnessFatigue:
    """Fitness (chronic) and fatigue (acute) EWMA series and their difference (form)."""

    fitness: FloatArray
    fatigue: FloatArray
    convention: EwmaConvention
    fitness_days: float  # the time constants the series were computed with
    fatigue_days: float

    @property
    def form(self) -> FloatArray:
        """Fitness minus fatigue ("training stress balance")."""
        return self.fitness - self.fatigue


def fitness_fatigue(
    daily: FloatArray,
    *,
    fitness_days: float = 42.0,
    fatigue_days: float = 7.0,
    convention: EwmaConvention = "banister",
) -> FitnessFatigue:
    """Fitness/fatigue (PMC) from zero with a named λ convention (default banister: 1 − e^(−1/N)).

    References: morton-1990, williams-2017
    """
    fitness = ewma(daily, span_days=fitness_days, convention=convention, seed=0.0)
    fatigue = ewma(daily, span_days=fatigue_days, convention=convention, seed=0.0)
    return FitnessFatigue(fitness=fitness, fatigue=fatigue, convention=convention,
                          fitness_days=fitness_days, fatigue_days=fatigue_days)  # fmt: skip

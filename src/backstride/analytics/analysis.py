"""Every training metric for one runner up to `today`, computed once from the history.

The load is running distance in km (the one load every file format carries); days without
a recorded activity count as rest (0 km); ratios appear only where `acwr_coverage` allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from backstride.analytics.equipment import (
    Shoe,
    ShoeUsage,
    SurfaceChange,
    shoe_usage,
    shoes_in_rotation,
    surface_changes,
)
from backstride.analytics.form import CadenceComparison, RunForm, compare_cadence
from backstride.analytics.history import (
    DailySeries,
    RunColumns,
    TrainingActivity,
    daily_series,
    run_columns,
)
from backstride.analytics.load import (
    FitnessFatigue,
    acwr_coupled,
    acwr_coverage,
    acwr_ewma,
    acwr_uncoupled,
    fitness_fatigue,
    rolling_monotony,
)
from backstride.analytics.params import AnalysisParams
from backstride.analytics.spikes import RunSpike, WeekDistance, run_spikes, weekly_distances
from backstride.errors import InputError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class TrainingAnalysis:
    """All metrics from `series.first_day` to `today`; findings report on `since` … `today`."""

    today: date
    since: date
    series: DailySeries
    runs: RunColumns
    weeks: list[WeekDistance]
    acwr: dict[str, FloatArray]  # method -> ratio per day, NaN where not shown
    monotony: FloatArray  # Foster monotony of the 7 days ending on each day
    fitness: FitnessFatigue
    spikes: list[RunSpike]
    shoes: list[ShoeUsage]
    shoes_in_rotation: int
    surface_changes: list[SurfaceChange]
    forms: tuple[RunForm, ...]
    cadence_change: CadenceComparison | None
    shoe_inspection_km: float
    params: AnalysisParams

    @property
    def acwr_method(self) -> str:
        """How the EWMA ratio was computed, named from the windows it applied."""
        return self.params.load.method

    def in_window(self, day: date) -> bool:
        """True when `day` lies in the reporting window since … today."""
        return self.since <= day <= self.today


def _masked_acwr(
    daily: FloatArray, params: AnalysisParams, recorded: BoolArray
) -> dict[str, FloatArray]:
    windows = params.load
    covered = acwr_coverage(recorded, windows)
    return {
        name: np.where(covered, ratio, np.nan)
        for name, ratio in (
            ("ewma", acwr_ewma(daily, windows)),
            ("coupled", acwr_coupled(daily, windows)),
            ("uncoupled", acwr_uncoupled(daily, windows)),
        )
    }


def form_window_start(today: date, params: AnalysisParams) -> date:
    """The first day whose runs the form comparison reads (baseline and recent periods)."""
    sampling = params.form
    return today - timedelta(days=sampling.recent_days + sampling.baseline_days)


def recent_form_start(today: date, params: AnalysisParams) -> date:
    """The first day of the recent form period ending `today`."""
    return today - timedelta(days=params.form.recent_days - 1)


def _form_windows(
    forms: Sequence[RunForm], today: date, params: AnalysisParams
) -> tuple[list[RunForm], list[RunForm]]:
    recent_start = recent_form_start(today, params)
    baseline_start = recent_start - timedelta(days=params.form.baseline_days)
    recent = [f for f in forms if recent_start <= f.day <= today]
    baseline = [f for f in forms if baseline_start <= f.day < recent_start]
    return recent, baseline


def analyze_training(
    activities: Sequence[TrainingActivity],
    *,
    today: date,
    since: date,
    forms: Sequence[RunForm] = (),
    shoes: Sequence[Shoe] = (),
    shoe_inspection_km: float,
    params: AnalysisParams,
) -> TrainingAnalysis:
    """Daily series, ACWR (three methods), monotony, fitness/fatigue, spikes, weekly change,
    shoes and surfaces, and the cadence comparison at matched speed.

    References: frandsen-2025, nielsen-2014, foster-1998, williams-2017, malisoux-2015
    """
    if since > today:
        raise InputError(f"since must be on or before today ({today}), got {since}")
    past = [a for a in activities if a.day <= today]
    first_day = min((a.day for a in past), default=since)
    first_day = min(first_day, since)
    series = daily_series(past, first_day=first_day, last_day=today)
    runs = run_columns(past, first_day=first_day)
    recent, baseline = _form_windows(forms, today, params)
    return TrainingAnalysis(
        today=today,
        since=since,
        series=series,
        runs=runs,
        weeks=weekly_distances(
            series.distance_km, series.longest_run_km, first_day=series.first_day
        ),
        acwr=_masked_acwr(series.distance_km, params, series.recorded),
        monotony=rolling_monotony(series.distance_km, cap=params.load.monotony_cap),
        fitness=fitness_fatigue(series.distance_km, params.impulse),
        spikes=run_spikes(runs, lookback_days=params.spike_lookback_days),
        shoes=shoe_usage(shoes, runs, first_day=first_day, inspection_km=shoe_inspection_km),
        shoes_in_rotation=shoes_in_rotation(
            runs, end_index=len(series) - 1, weeks=params.rotation_weeks
        ),
        surface_changes=surface_changes(
            runs, first_day=first_day, n_days=len(series), rule=params.surface
        ),
        forms=tuple(sorted((f for f in forms if f.day <= today), key=lambda f: f.day)),
        cadence_change=compare_cadence(
            recent, baseline, min_band_seconds=params.form.min_band_seconds
        ),
        shoe_inspection_km=shoe_inspection_km,
        params=params,
    )

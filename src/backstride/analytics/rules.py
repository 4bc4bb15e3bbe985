"""Thresholds of the finding rules and the small helpers the rules share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from backstride.analytics.analysis import TrainingAnalysis


@dataclass(frozen=True, slots=True)
class FindingRules:
    """The thresholds every rule uses (defaults follow the cited sources)."""

    spike_min_pct: float = 10.0  # Frandsen 2025: > 10 % over the 30-day longest run
    weekly_jump_pct: float = 30.0  # Nielsen 2014: > 30 % week over week
    monotony_high: float = 2.0  # Foster 1998
    acwr_high: float = 1.3  # upper edge of the commonly quoted 0.8–1.3 range (Gabbett 2016)
    acwr_rise: float = 0.2  # rise over the previous 14 days
    cadence_drop_pct: float = 3.0  # at matched speed, against the runner's own baseline
    rest_streak_days: int = 7  # consecutive days with a run


def window_weeks(analysis: TrainingAnalysis) -> list[int]:
    """Indexes of calendar weeks that overlap since … today."""
    return [
        w
        for w, week in enumerate(analysis.weeks)
        if week.week_start <= analysis.today
        and week.week_start + timedelta(days=6) >= analysis.since
    ]


def keys_between(analysis: TrainingAnalysis, first: date, last: date) -> tuple[str, ...]:
    """Keys of the runs from `first` to `last` inclusive, in time order."""
    lo, hi = analysis.series.index_of(first), analysis.series.index_of(last)
    days = analysis.runs.day_index
    picks = np.flatnonzero((days >= lo) & (days <= hi)).tolist()
    return tuple(analysis.runs.keys[i] for i in picks)


def episodes(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(first, last) index of every stretch of True values."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))

"""Shoes and surfaces: distance per shoe, a soft inspection flag, rotation, surface changes.

There is no prospective evidence for a fixed replacement mileage: the threshold only asks
the runner to look at the shoe. Surface hardness evidence is weak: a sudden change of
surface is treated as new load, not as a good or bad surface.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from backstride.analytics.history import RunColumns

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Shoe:
    """A shoe as the runner registered it (or as a Strava export named it)."""

    name: str
    start_km: float = 0.0
    retired: bool = False
    added_on: date | None = None


@dataclass(frozen=True, slots=True)
class ShoeUsage:
    """A shoe's total distance (start distance + assigned runs) and when it was last used."""

    name: str
    distance_km: float
    runs: int
    retired: bool
    last_used: date | None
    inspection_due: bool


def shoe_usage(
    shoes: Sequence[Shoe], runs: RunColumns, *, first_day: date, inspection_km: float
) -> list[ShoeUsage]:
    """Distance per shoe and the soft inspection flag (active shoes at ≥ `inspection_km`).

    References: malisoux-2015
    """
    by_shoe: dict[str, tuple[float, int, int]] = {}
    for name, km, day in zip(
        runs.shoes, runs.distance_km.tolist(), runs.day_index.tolist(), strict=True
    ):
        if name is None:
            continue
        total, count, last = by_shoe.get(name, (0.0, 0, -(10**9)))
        by_shoe[name] = (total + km, count + 1, max(last, day))
    usage = []
    for shoe in shoes:
        total, count, last = by_shoe.get(shoe.name, (0.0, 0, -(10**9)))
        distance = shoe.start_km + total
        usage.append(
            ShoeUsage(
                name=shoe.name,
                distance_km=distance,
                runs=count,
                retired=shoe.retired,
                last_used=first_day + timedelta(days=last) if count else None,
                inspection_due=not shoe.retired and distance >= inspection_km,
            )
        )
    return usage


def shoes_in_rotation(runs: RunColumns, *, end_index: int, weeks: int) -> int:
    """How many different shoes were used in the `weeks` weeks ending on day `end_index`.

    References: malisoux-2015
    """
    start = end_index - 7 * weeks + 1
    inside = (runs.day_index >= start) & (runs.day_index <= end_index)
    names = {runs.shoes[i] for i in np.flatnonzero(inside).tolist()}
    names.discard(None)
    return len(names)


@dataclass(frozen=True, slots=True)
class SurfaceChange:
    """A week whose main surface was rare in the weeks before."""

    week_start: date
    surface: str
    share_now: float  # share of the week's distance on known surfaces (0–1)
    share_before: float  # share in the previous `baseline_weeks` weeks (0–1)
    distance_km: float
    keys: tuple[str, ...]


def _weekly_surface_km(
    runs: RunColumns, *, first_day: date, weeks: int
) -> tuple[dict[str, np.ndarray], date]:
    monday = first_day - timedelta(days=first_day.weekday())
    offset = first_day.weekday()
    week = (runs.day_index + offset) // 7
    table: dict[str, np.ndarray] = {}
    for surface in set(runs.surfaces) - {"unknown"}:
        mask = np.array([s == surface for s in runs.surfaces])
        table[surface] = np.bincount(week[mask], weights=runs.distance_km[mask], minlength=weeks)[
            :weeks
        ]
    return table, monday


@dataclass(frozen=True, slots=True)
class SurfaceRule:
    """The surface-change rule (the `finding.surface_change` record's thresholds)."""

    baseline_weeks: int
    min_share_now: float  # a fraction of the week's distance, not a percentage
    max_share_before: float  # a fraction, as min_share_now
    min_km: float


def surface_changes(
    runs: RunColumns, *, first_day: date, n_days: int, rule: SurfaceRule
) -> list[SurfaceChange]:
    """Weeks where one surface carries at least the rule's share of the distance (and its
    minimum distance) after being under its earlier share of the distance of the previous
    `baseline_weeks` weeks (which must hold known-surface runs).

    No surface-specific injury evidence is implied: the change is flagged as new load.
    References: nielsen-2014
    """
    weeks = (n_days + first_day.weekday() + 6) // 7
    table, monday = _weekly_surface_km(runs, first_day=first_day, weeks=weeks)
    if not table:
        return []
    totals = np.sum(list(table.values()), axis=0)
    baseline_weeks = rule.baseline_weeks
    before_total = _trailing_sum(totals, baseline_weeks)
    found: list[SurfaceChange] = []
    for surface, km in table.items():
        with np.errstate(divide="ignore", invalid="ignore"):
            share_now = np.where(totals > 0, km / totals, 0.0)
            share_before = _trailing_sum(km, baseline_weeks) / before_total
        hit = (km >= rule.min_km) & (before_total > 0) & (share_now >= rule.min_share_now)
        hit &= share_before < rule.max_share_before
        found += [
            _surface_change(
                runs,
                surface,
                start=monday + timedelta(weeks=w),
                first_day=first_day,
                shares=(float(share_now[w]), float(share_before[w])),
            )
            for w in np.flatnonzero(hit).tolist()
        ]
    return sorted(found, key=lambda c: (c.week_start, c.surface))


def _trailing_sum(values: FloatArray, weeks: int) -> FloatArray:
    """Sum of the `weeks` values before each index (0 where fewer than `weeks` precede)."""
    csum = np.concatenate(([0.0], np.cumsum(values)))
    out = np.zeros(len(values))
    out[weeks:] = csum[weeks:-1] - csum[: len(values) - weeks]
    return out


def _surface_change(
    runs: RunColumns,
    surface: str,
    *,
    start: date,
    first_day: date,
    shares: tuple[float, float],
) -> SurfaceChange:
    lo, hi = (start - first_day).days, (start - first_day).days + 6
    picks = [
        i
        for i in np.flatnonzero((runs.day_index >= lo) & (runs.day_index <= hi)).tolist()
        if runs.surfaces[i] == surface
    ]
    return SurfaceChange(
        week_start=start,
        surface=surface,
        share_now=shares[0],
        share_before=shares[1],
        distance_km=float(runs.distance_km[picks].sum()),
        keys=tuple(runs.keys[i] for i in picks),
    )

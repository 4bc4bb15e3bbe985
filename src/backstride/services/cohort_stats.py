"""Cohort questions as plain computations over the cohort tables' rows (no I/O).

Bands are the Frandsen bands of `analytics.spikes` (one definition): a single run against
the longest of the 30 days before, and the same bands applied to week-over-week change.
The pain comparison is within each runner: mean diary pain on days in the window after a
spike against the runner's own days after no spike.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, get_args

from backstride.analytics.spikes import SpikeBand, frandsen_band
from backstride.domain.finding import FindingId

BANDS: tuple[SpikeBand, ...] = get_args(SpikeBand)
NO_BAND, NO_REFERENCE = "none", "no_reference"
Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class BandCount:
    """How often something fell in one bucket, and in how many runners."""

    bucket: str
    count: int
    runners: int


def weekly_change_bands(weeks: Iterable[Row]) -> list[BandCount]:
    """Weeks with running by the band of their change on the week before."""
    counts: Counter[str] = Counter()
    runners: defaultdict[str, set[str]] = defaultdict(set)
    for week in weeks:
        if not week["distance_km"] > 0:
            continue
        change = week["change_pct"]
        bucket = NO_REFERENCE if change is None else (frandsen_band(change) or NO_BAND)
        counts[bucket] += 1
        runners[bucket].add(week["athlete"])
    order = (*BANDS, NO_BAND, NO_REFERENCE)
    return [BandCount(b, counts[b], len(runners[b])) for b in order]


def spike_bands(days: Iterable[Row]) -> list[BandCount]:
    """Days with a single-run spike, by the band of the day's largest spike."""
    counts: Counter[str] = Counter()
    runners: defaultdict[str, set[str]] = defaultdict(set)
    for day in days:
        band = day["spike_band"]
        if band is not None:
            counts[band] += 1
            runners[band].add(day["athlete"])
    return [BandCount(b, counts[b], len(runners[b])) for b in BANDS]


def finding_counts(findings: Iterable[Row]) -> list[BandCount]:
    """Every finding kind: how many times it was found, and in how many runners."""
    counts: Counter[str] = Counter()
    runners: defaultdict[str, set[str]] = defaultdict(set)
    for row in findings:
        counts[row["finding"]] += 1
        runners[row["finding"]].add(row["athlete"])
    return [BandCount(f, counts[f], len(runners[f])) for f in get_args(FindingId)]


@dataclass(frozen=True, slots=True)
class PainComparison:
    """Within-person pain after a spike against after no spike, with its counts."""

    window_days: int
    runners: int  # runners with diary days in both conditions
    spike_days: int
    other_days: int
    higher: int
    lower: int
    same: int
    differences: tuple[float, ...]  # per runner: mean after a spike minus mean after none

    @property
    def median(self) -> float | None:
        """The median within-runner difference (None when no runner contributes)."""
        return statistics.median(self.differences) if self.differences else None


def pain_after_spikes(days: Iterable[Row], *, window_days: int) -> PainComparison:
    """Each runner's mean pain on diary days within `window_days` after a spike day against
    their mean on diary days after none; runners need days of both kinds to count.

    References: frandsen-2025, silbernagel-2007
    """
    pain: defaultdict[str, dict[date, float]] = defaultdict(dict)
    spikes: defaultdict[str, list[date]] = defaultdict(list)
    for day in days:
        if day["pain"] is not None:
            pain[day["athlete"]][day["day"]] = day["pain"]
        if day["spike_band"] is not None:
            spikes[day["athlete"]].append(day["day"])
    diffs: list[float] = []
    spike_days = other_days = 0
    for athlete, by_day in sorted(pain.items()):
        after = _days_after(spikes.get(athlete, []), window_days)
        inside = [v for d, v in by_day.items() if d in after]
        outside = [v for d, v in by_day.items() if d not in after]
        if inside and outside:
            diffs.append(round(statistics.fmean(inside) - statistics.fmean(outside), 6))
            spike_days, other_days = spike_days + len(inside), other_days + len(outside)
    return PainComparison(
        window_days=window_days,
        runners=len(diffs),
        spike_days=spike_days,
        other_days=other_days,
        higher=sum(d > 0 for d in diffs),
        lower=sum(d < 0 for d in diffs),
        same=sum(d == 0 for d in diffs),
        differences=tuple(diffs),
    )


def _days_after(spike_days: Iterable[date], window_days: int) -> set[date]:
    return {s + timedelta(days=k) for s in spike_days for k in range(1, window_days + 1)}

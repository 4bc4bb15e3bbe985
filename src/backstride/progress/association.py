"""Pain and load together: does next-day pain move with the day's training? (a hypothesis)."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backstride.knowledge.care import AssociationWords
from backstride.knowledge.templates import fill

#: The load features, in the order they are tried (their words are in `text.association`).
FEATURES = ("distance_km", "spike_ratio", "trail_share", "treadmill_share", "cadence_spm")
#: The record with the words of an association.
WORDS_ID = "text.association"


@dataclass(frozen=True, slots=True)
class RunLoad:
    """The summary of one run that load features are computed from."""

    key: str
    start: datetime
    distance_m: float
    duration_s: float
    cadence_spm: float | None = None
    surface: str | None = None  # trail | treadmill | track | road | street | None


@dataclass(frozen=True, slots=True)
class Association:
    """A within-person association between a load feature and next-day pain."""

    feature: str
    description: str
    correlation: float  # Pearson r between the feature on day d and pain on day d + lag
    days: int  # paired days behind it
    lag_days: int
    hypothesis: str  # the finding worded as a hypothesis, with the days behind it
    rule: str = WORDS_ID  # the record whose words it uses


def pain_load_associations(
    pain_by_day: Mapping[date, float],
    runs: Sequence[RunLoad],
    *,
    words: AssociationWords,
    lookback_days: int,
) -> tuple[Association, ...]:
    """Next-day pain against each day's load (`daily_load`), by the association record; the
    spike ratio's window `lookback_days` is the spike rule's own (`finding.single_run_spike`)."""
    load = daily_load(runs, words=words, lookback_days=lookback_days)
    return lagged_associations(pain_by_day, load, words=words, lookback_days=lookback_days)


def _association(
    feature: str, r: float, days: int, lag_days: int, words: AssociationWords, lookback_days: int
) -> Association:
    description = fill(words.features[feature], {"lookback_days": lookback_days})
    direction = words.texts["higher" if r > 0 else "lower"]
    values = {"description": description, "direction": direction, "r": r, "days": days}
    text = fill(words.texts["hypothesis"], values | {"strength": words.strength(r)})
    return Association(feature, description, r, days, lag_days, text, words.id)


def daily_load(
    runs: Sequence[RunLoad], *, words: AssociationWords, lookback_days: int
) -> dict[date, dict[str, float]]:
    """Load features per day with runs; days without runs have distance 0 (added later).

    The spike ratio compares the day's longest run with the longest of the `lookback_days`
    before it (the spike rule's window), when that one is at least the record's
    `min_reference_m` long.
    """
    by_day: dict[date, list[RunLoad]] = defaultdict(list)
    for run in runs:
        by_day[run.start.date()].append(run)
    features: dict[date, dict[str, float]] = {}
    history = sorted((r.start.date(), r.distance_m) for r in runs)
    for day in sorted(by_day):
        todays = by_day[day]
        total_m = sum(r.distance_m for r in todays)
        values = {"distance_km": total_m / 1000.0}
        if total_m > 0:
            values["trail_share"] = _share(todays, "trail", total_m)
            values["treadmill_share"] = _share(todays, "treadmill", total_m)
        longest_m = max(r.distance_m for r in todays)
        ratio = _spike_ratio(history, day, longest_m, words, lookback_days)
        if ratio is not None:
            values["spike_ratio"] = ratio
        cadence = _mean_cadence(todays)
        if cadence is not None:
            values["cadence_spm"] = cadence
        features[day] = values
    return features


def lagged_associations(
    pain_by_day: Mapping[date, float],
    load_by_day: Mapping[date, Mapping[str, float]],
    *,
    words: AssociationWords,
    lookback_days: int,
    lag_days: int = 1,
) -> tuple[Association, ...]:
    """Pearson r of each load feature on day d against pain on day d + lag, strongest first.

    Days with a pain entry the next day but no run count as zero distance, so rest days
    take part; cadence and surface only exist on run days.
    References: silbernagel-2007, frandsen-2025
    """
    found = []
    for feature in FEATURES:
        xs, ys = _pairs(pain_by_day, load_by_day, feature, lag_days)
        if len(xs) < words.min_days:
            continue
        r = pearson(xs, ys)
        if r is not None:
            association = _association(
                feature, round(r, 3), len(xs), lag_days, words, lookback_days
            )
            found.append(association)
    return tuple(sorted(found, key=lambda a: -abs(a.correlation)))


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation, or None when either series does not vary."""
    n = len(xs)
    if n < 2:
        return None
    xs, ys = _scaled(xs), _scaled(ys)  # r does not depend on scale; this avoids overflow
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _scaled(values: Sequence[float]) -> list[float]:
    largest = max(abs(v) for v in values)
    return [v / largest for v in values] if largest > 0 else list(values)


def _pairs(
    pain_by_day: Mapping[date, float],
    load_by_day: Mapping[date, Mapping[str, float]],
    feature: str,
    lag_days: int,
) -> tuple[list[float], list[float]]:
    if not load_by_day:
        return [], []
    first_run = min(load_by_day)
    xs: list[float] = []
    ys: list[float] = []
    for pain_day in sorted(pain_by_day):
        load_day = pain_day - timedelta(days=lag_days)
        if load_day < first_run:
            continue
        values = load_by_day.get(load_day, {})
        if feature == "distance_km":
            xs.append(values.get("distance_km", 0.0))
        elif feature in values:
            xs.append(values[feature])
        else:
            continue
        ys.append(pain_by_day[pain_day])
    return xs, ys


def _share(runs: Sequence[RunLoad], surface: str, total_m: float) -> float:
    return sum(r.distance_m for r in runs if r.surface == surface) / total_m


def _spike_ratio(
    history: Sequence[tuple[date, float]],
    day: date,
    longest_m: float,
    words: AssociationWords,
    lookback_days: int,
) -> float | None:
    """Today's longest run over the longest of the days before (`history` sorted by day)."""
    start = day - timedelta(days=lookback_days)
    window = history[bisect_left(history, (start,)) : bisect_left(history, (day,))]
    prior = [distance_m for _day, distance_m in window]
    if not prior or max(prior) < words.min_reference_m:
        return None
    return longest_m / max(prior)


def _mean_cadence(runs: Sequence[RunLoad]) -> float | None:
    timed = [(r.cadence_spm, r.duration_s) for r in runs if r.cadence_spm and r.duration_s > 0]
    if not timed:
        return None
    return sum(c * d for c, d in timed) / sum(d for _, d in timed)

"""Cohort questions over rows: bands from the one band definition, the within-person pain test."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.analytics.spikes import frandsen_band
from backstride.services.cohort_stats import (
    BANDS,
    NO_BAND,
    NO_REFERENCE,
    finding_counts,
    pain_after_spikes,
    spike_bands,
    weekly_change_bands,
)

DAY0 = date(2024, 1, 1)


def _week(athlete: str, km: float, change: float | None) -> dict[str, Any]:
    return {"athlete": athlete, "distance_km": km, "change_pct": change}


def _day(athlete: str, offset: int, *, pain: float | None = None, band: str | None = None) -> Any:
    return {"athlete": athlete, "day": DAY0 + timedelta(days=offset), "pain": pain,
            "spike_band": band}  # fmt: skip


@pytest.mark.parametrize(
    ("change_pct", "bucket"),
    [
        (None, NO_REFERENCE),
        (-40.0, NO_BAND),
        (10.0, NO_BAND),  # an edge belongs to the band below, as for single runs
        (10.5, "10-30"),
        (30.0, "10-30"),
        (30.01, "30-100"),
        (100.0, "30-100"),
        (100.5, ">100"),
    ],
)
def test_a_weeks_change_falls_in_the_band_the_spike_rule_gives_it(
    change_pct: float | None, bucket: str
) -> None:
    counts = {c.bucket: c.count for c in weekly_change_bands([_week("a", 10.0, change_pct)])}

    assert counts[bucket] == 1
    assert sum(counts.values()) == 1


def test_weeks_without_running_are_not_counted() -> None:
    counts = weekly_change_bands([_week("a", 0.0, -100.0), _week("b", 5.0, 50.0)])

    assert [(c.bucket, c.count, c.runners) for c in counts if c.count] == [("30-100", 1, 1)]


def test_spikes_and_findings_count_events_and_distinct_runners() -> None:
    days = [_day("a", 1, band=">100"), _day("a", 9, band=">100"), _day("b", 3, band="10-30")]
    findings = [{"athlete": "a", "finding": "high_monotony"}] * 2

    spikes = {c.bucket: (c.count, c.runners) for c in spike_bands(days)}
    found = {c.bucket: (c.count, c.runners) for c in finding_counts(findings)}

    assert spikes == {"10-30": (1, 1), "30-100": (0, 0), ">100": (2, 1)}
    assert found["high_monotony"] == (2, 1)
    assert found["single_run_spike"] == (0, 0)


def test_pain_is_compared_within_each_runner_over_the_window_after_a_spike() -> None:
    spiky = [_day("a", 0, band="30-100")] + [
        _day("a", k, pain=6.0 if k <= 3 else 2.0) for k in range(1, 10)
    ]
    calm = [_day("b", k, pain=4.0) for k in range(10)]  # no spike: not compared

    result = pain_after_spikes(spiky + calm, window_days=3)

    assert (result.runners, result.spike_days, result.other_days) == (1, 3, 6)
    assert (result.higher, result.lower, result.same) == (1, 0, 0)
    assert result.median == pytest.approx(4.0)


runner_days = st.lists(
    st.tuples(
        st.sampled_from("abc"),
        st.integers(0, 40),
        st.one_of(st.none(), st.integers(0, 10)),
        st.one_of(st.none(), st.sampled_from(BANDS)),
    ),
    max_size=80,
    unique_by=lambda t: (t[0], t[1]),
)


@given(runner_days, st.integers(1, 10))
def test_every_contributing_runner_is_higher_lower_or_the_same_once(
    rows: list[tuple[str, int, int | None, str | None]], window: int
) -> None:
    days = [_day(a, k, pain=None if p is None else float(p), band=b) for a, k, p, b in rows]

    result = pain_after_spikes(days, window_days=window)

    assert result.higher + result.lower + result.same == result.runners == len(result.differences)
    assert result.spike_days + result.other_days <= sum(p is not None for _, _, p, _ in rows)
    assert all(-10 <= d <= 10 for d in result.differences)


def test_the_bands_are_the_single_run_spike_bands() -> None:
    assert [frandsen_band(pct) for pct in (20.0, 50.0, 150.0)] == list(BANDS)

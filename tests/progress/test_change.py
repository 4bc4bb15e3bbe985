"""Meaningful change, recovery, rolling means and trend from the pain diary."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.diary import DiaryEntry
from backstride.progress.change import (
    RmdqPoint,
    daily_pain,
    is_meaningful_change,
    is_recovered,
    rolling_means,
)
from tests.progress.limits import CHANGE, RMDQ_RECOVERED_MAX, summarise

START = date(2026, 3, 2)


def diary(pains: list[int], *, start: date = START) -> list[DiaryEntry]:
    """One entry a day at 8 am with the given pain scores."""
    return [
        DiaryEntry(
            at=datetime.combine(start + timedelta(days=i), datetime.min.time()).replace(hour=8),
            pain_now=p,
        )
        for i, p in enumerate(pains)
    ]


@pytest.mark.parametrize(
    ("before", "after", "points", "meaningful"),
    [
        (6.0, 4.0, 2.0, True),  # exactly 2 points
        (6.0, 4.5, 2.0, False),  # 1.5 points and 25 %
        (3.0, 2.0, 2.0, True),  # 1 point but 33 %
        (10.0, 7.5, 2.0, True),  # 2.5 points
        (5.0, 5.0, 2.0, False),
        (4.0, 6.0, 2.0, False),  # worse is never an improvement
        (12.0, 7.0, 5.0, True),  # RMDQ 5 points
        (20.0, 16.0, 5.0, False),  # RMDQ 4 points, 20 %
        (10.0, 7.0, 5.0, True),  # RMDQ 30 %
        (0.0, 0.0, 2.0, False),
    ],
)
def test_meaningful_change_is_two_points_or_thirty_percent(
    before: float, after: float, points: float, meaningful: bool
) -> None:
    assert (
        is_meaningful_change(before, after, points=points, fraction=CHANGE.fraction) is meaningful
    )


@pytest.mark.parametrize(
    ("pain", "rmdq", "recovered"),
    [
        (0.0, 0, True),
        (0.4, 2, True),
        (0.0, 3, False),
        (1.0, 0, False),
        (0.0, None, False),
        (None, 0, False),
    ],
)
def test_recovered_means_pain_zero_and_rmdq_at_most_two(
    pain: float | None, rmdq: int | None, recovered: bool
) -> None:
    assert is_recovered(pain, rmdq, rmdq_max=RMDQ_RECOVERED_MAX) is recovered


def test_several_entries_a_day_are_averaged_and_the_worst_kept() -> None:
    at = datetime(2026, 3, 2, 8)
    entries = [
        DiaryEntry(at=at, pain_now=4),
        DiaryEntry(at=at.replace(hour=20), pain_now=6, pain_worst=8),
    ]
    (day,) = daily_pain(entries)
    assert (day.mean_pain, day.worst_pain, day.entries) == (5.0, 8, 2)


def test_rolling_mean_covers_the_seven_days_ending_each_day() -> None:
    rolling = dict(
        rolling_means(daily_pain(diary([7, 7, 7, 7, 7, 7, 7, 0])), window_days=CHANGE.window_days)
    )
    assert rolling[START + timedelta(days=6)] == 7.0
    assert rolling[START + timedelta(days=7)] == pytest.approx(6 * 7 / 7)


def test_three_weeks_of_falling_pain_is_a_meaningful_improvement_and_improving() -> None:
    pains = [6] * 7 + [4] * 7 + [2] * 7
    summary = summarise(diary(pains), [], today=START + timedelta(days=20), assessed_pain=6)
    assert summary.baseline_pain == 6.0
    assert summary.current_pain == 2.0
    assert summary.change == -4.0
    assert summary.meaningful_improvement
    assert summary.trend == "improving"
    assert not summary.recovered


def test_flat_pain_is_the_same_and_not_meaningful() -> None:
    summary = summarise(diary([5] * 21), [], today=START + timedelta(days=20))
    assert summary.trend == "same"
    assert not summary.meaningful_improvement
    assert not summary.meaningful_worsening


def test_rising_pain_is_worse_and_a_meaningful_worsening() -> None:
    summary = summarise(
        diary([3] * 7 + [6] * 7), [], today=START + timedelta(days=13), assessed_pain=3
    )
    assert summary.trend == "worse"
    assert summary.meaningful_worsening


def test_recovery_needs_the_weekly_rmdq_as_well_as_no_pain() -> None:
    entries = diary([4] * 7 + [0] * 7)
    today = START + timedelta(days=13)
    without = summarise(entries, [], today=today)
    with_rmdq = summarise(entries, [RmdqPoint(START, 9), RmdqPoint(today, 1)], today=today)
    assert not without.recovered
    assert with_rmdq.recovered
    assert with_rmdq.rmdq_meaningful_improvement
    assert (with_rmdq.baseline_rmdq, with_rmdq.current_rmdq) == (9, 1)


def test_entries_after_today_are_ignored() -> None:
    summary = summarise(diary([5, 5, 9]), [], today=START + timedelta(days=1))
    assert summary.days_tracked == 2
    assert summary.current_pain == 5.0


@given(st.lists(st.integers(0, 10), min_size=1, max_size=40), st.integers(0, 10))
def test_current_pain_always_lies_within_the_scale(pains: list[int], assessed: int) -> None:
    summary = summarise(
        diary(pains), [], today=START + timedelta(days=len(pains) - 1), assessed_pain=assessed
    )
    assert summary.current_pain is not None
    assert 0.0 <= summary.current_pain <= 10.0
    assert not (summary.meaningful_improvement and summary.meaningful_worsening)


@given(st.floats(0, 10), st.floats(0, 10), st.floats(0, 10))
def test_a_larger_drop_is_never_less_meaningful(before: float, after: float, lower: float) -> None:
    lower = min(lower, after)
    if is_meaningful_change(before, after, points=2.0, fraction=CHANGE.fraction):
        assert is_meaningful_change(before, lower, points=2.0, fraction=CHANGE.fraction)

"""Load metrics reproduce the reference fixtures exactly and keep their invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.analytics.load import (
    acwr_coupled,
    acwr_coverage,
    acwr_ewma,
    acwr_uncoupled,
    banister_trimp,
    edwards_trimp,
    edwards_trimp_from_zone_minutes,
    ewma,
    fitness_fatigue,
    monotony_strain,
    rolling_monotony,
    session_rpe_load,
)
from backstride.errors import InputError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.analytics_params import (
    IMPULSE_RESPONSE_ID,
    LOAD_WINDOWS_ID,
    ImpulseResponse,
    LoadWindows,
)
from backstride.knowledge.training import EDWARDS_ZONES_ID, HeartRateZones

STEP_HISTORY = np.array([30.0] * 21 + [50.0] * 7)
WEEK = np.array([300.0, 0, 450, 300, 0, 600, 300])
EDWARDS = load_knowledge_base().one(HeartRateZones, EDWARDS_ZONES_ID)
WINDOWS = load_knowledge_base().one(LoadWindows, LOAD_WINDOWS_ID)
BANISTER = load_knowledge_base().one(ImpulseResponse, IMPULSE_RESPONSE_ID)
CAP = WINDOWS.monotony_cap
THIRTY_MIN_AT_130 = (np.full(1800, 130.0), np.ones(1800))


def _pmc(convention: str, which: str) -> float:
    result = fitness_fatigue(STEP_HISTORY, BANISTER, convention=convention)  # type: ignore[arg-type]
    return float((result.fitness if which == "fitness" else result.fatigue)[-1])


FIXTURES = [
    (
        "session RPE 120 min at RPE 6",
        lambda: session_rpe_load(rpe_cr10=6, duration_min=120),
        720,
        0,
    ),
    (
        "Banister TRIMP, man, 30 min at 130 bpm",
        lambda: banister_trimp(
            *THIRTY_MIN_AT_130, hr_rest_bpm=40, hr_max_bpm=200, coefficients=BANISTER.trimp_men
        ),
        31.803,
        3,
    ),
    (
        "Banister TRIMP, woman, 30 min at 130 bpm",
        lambda: banister_trimp(
            *THIRTY_MIN_AT_130,
            hr_rest_bpm=40,
            hr_max_bpm=200,
            coefficients=BANISTER.trimp_women,
        ),
        37.129,
        3,
    ),
    (
        "Edwards TRIMP 10/20/15/10/5 min",
        lambda: edwards_trimp_from_zone_minutes([10, 20, 15, 10, 5], EDWARDS),
        160,
        0,
    ),
    ("monotony of the reference week", lambda: monotony_strain(WEEK, cap=CAP).monotony, 1.3703, 4),
    ("strain of the reference week", lambda: monotony_strain(WEEK, cap=CAP).strain, 2672.1, 1),
    ("ACWR coupled rolling", lambda: acwr_coupled(STEP_HISTORY, WINDOWS)[-1], 1.4286, 4),
    ("ACWR uncoupled rolling", lambda: acwr_uncoupled(STEP_HISTORY, WINDOWS)[-1], 1.6667, 4),
    (
        "ACWR EWMA seeded with the first load",
        lambda: acwr_ewma(STEP_HISTORY, WINDOWS)[-1],
        1.2497,
        4,
    ),
    ("CTL, λ = 1 − e^(−1/N)", lambda: _pmc("banister", "fitness"), 17.668, 3),
    ("ATL, λ = 1 − e^(−1/N)", lambda: _pmc("banister", "fatigue"), 42.093, 3),
    ("CTL, λ = 1/N", lambda: _pmc("simple", "fitness"), 17.826, 3),
    ("ATL, λ = 1/N", lambda: _pmc("simple", "fatigue"), 42.801, 3),
    ("CTL, λ = 2/(N+1)", lambda: _pmc("williams", "fitness"), 27.764, 3),
    ("ATL, λ = 2/(N+1)", lambda: _pmc("williams", "fatigue"), 47.321, 3),
]


@pytest.mark.parametrize(
    ("name", "compute", "expected", "digits"), FIXTURES, ids=[f[0] for f in FIXTURES]
)
def test_every_reference_fixture_is_reproduced_to_the_digits_given(name, compute, expected, digits):
    assert round(float(compute()), digits) == expected


def test_edwards_trimp_from_heart_rate_samples_matches_the_zone_minutes():
    hr_max = 200.0
    zone_hr = [110.0, 130.0, 150.0, 170.0, 190.0]  # 55 %, 65 %, … of HRmax
    minutes = [10, 20, 15, 10, 5]
    hr = np.concatenate([np.full(m * 60, h) for h, m in zip(zone_hr, minutes, strict=True)])
    assert edwards_trimp(hr, np.ones(len(hr)), hr_max_bpm=hr_max, zones=EDWARDS) == pytest.approx(
        160.0
    )


def test_heart_rate_below_half_of_max_or_missing_adds_no_edwards_load():
    hr = np.array([80.0, np.nan, 99.0])
    assert edwards_trimp(hr, np.full(3, 60.0), hr_max_bpm=200.0, zones=EDWARDS) == 0.0


def test_a_week_of_identical_loads_has_monotony_capped_at_ten():
    assert monotony_strain(np.full(7, 5.0), cap=CAP).monotony == 10.0


def test_a_week_without_load_has_monotony_zero():
    assert monotony_strain(np.zeros(7), cap=CAP).monotony == 0.0


def test_rolling_monotony_agrees_with_the_weekly_function():
    daily = np.concatenate((np.zeros(3), WEEK))
    assert rolling_monotony(daily, cap=CAP)[-1] == pytest.approx(
        monotony_strain(WEEK, cap=CAP).monotony
    )
    assert np.isnan(rolling_monotony(daily, cap=CAP)[:6]).all()


def test_ratios_are_missing_before_28_days_and_with_sparse_weeks():
    recorded = np.ones(40, dtype=bool)
    assert not acwr_coverage(recorded, WINDOWS)[:27].any()
    assert acwr_coverage(recorded, WINDOWS)[27:].all()
    gappy = recorded.copy()
    gappy[3:21] = False  # two of the four weeks ending on day 27 are empty
    assert not acwr_coverage(gappy, WINDOWS)[27]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: session_rpe_load(rpe_cr10=11, duration_min=10), "rpe_cr10"),
        (
            lambda: banister_trimp(
                *THIRTY_MIN_AT_130, hr_rest_bpm=60, hr_max_bpm=60, coefficients=BANISTER.trimp_men
            ),
            "hr_max_bpm",
        ),
        (lambda: monotony_strain(np.ones(6), cap=CAP), "week"),
        (lambda: ewma(np.ones(3), span_days=0), "span_days"),
    ],
)
def test_bad_inputs_raise_an_input_error_naming_the_field(call, field):
    with pytest.raises(InputError, match=field):
        call()


loads = st.floats(min_value=0.1, max_value=500.0, allow_nan=False)


@settings(deadline=None)  # run time varies with machine load; it is not the property
@given(value=loads, days=st.integers(min_value=1, max_value=400), span=st.sampled_from([7, 28, 42]))
def test_ewma_of_a_constant_series_is_that_constant(value, days, span):
    for convention in ("williams", "banister", "simple"):
        result = ewma(np.full(days, value), span_days=span, convention=convention)
        assert np.allclose(result, value, rtol=1e-12)


@settings(deadline=None)  # run time varies with machine load; it is not the property
@given(value=loads, days=st.integers(min_value=28, max_value=200))
def test_acwr_of_a_steady_history_is_one(value, days):
    daily = np.full(days, value)
    for method in (acwr_coupled, acwr_uncoupled, acwr_ewma):
        assert np.allclose(method(daily, WINDOWS)[27:], 1.0, rtol=1e-9)


@settings(deadline=None)  # run time varies with machine load; it is not the property
@given(
    week=st.lists(
        st.just(0.0) | st.floats(min_value=0.01, max_value=300.0), min_size=7, max_size=7
    ),
    scale=st.floats(min_value=0.01, max_value=100.0),
)
def test_monotony_is_scale_invariant(week, scale):
    base = np.array(week)
    assert monotony_strain(base * scale, cap=CAP).monotony == pytest.approx(
        monotony_strain(base, cap=CAP).monotony, rel=1e-9, abs=1e-9
    )

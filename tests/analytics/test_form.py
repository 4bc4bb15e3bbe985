"""Per-run form from samples and cadence compared at matched speed."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from backstride.analytics.form import (
    band_medians,
    compare_cadence,
    population_position,
    run_form,
    time_weighted_median,
)
from backstride.domain.activity import Samples
from tests.analytics.history_builders import PARAMS

SAMPLING = PARAMS.form


def samples(speed_mps, cadence_spm, **channels) -> Samples:
    n = len(speed_mps)
    stamps = np.datetime64("2024-03-01T07:00:00", "ms") + np.arange(n) * np.timedelta64(1, "s")
    return Samples(
        timestamp=stamps,
        channels={
            "speed_mps": np.asarray(speed_mps, float),
            "cadence_spm": np.asarray(cadence_spm, float),
            **{k: np.asarray(v, float) for k, v in channels.items()},
        },
    )


def test_step_length_is_speed_over_step_rate():
    form = run_form(
        samples([3.0] * 600, [180.0] * 600), key="a", day=date(2024, 3, 1), sampling=SAMPLING
    )
    assert form is not None
    assert form.step_length_m == pytest.approx(1.0)
    assert form.cadence_spm == 180.0
    assert form.running_s == 599.0  # the first sample stands for no time


def test_walking_and_implausible_cadence_samples_are_left_out():
    speed = [1.2] * 100 + [3.0] * 100 + [3.0] * 100
    cadence = [110.0] * 100 + [170.0] * 100 + [85.0] * 100  # walk, run, per-leg value
    form = run_form(samples(speed, cadence), key="a", day=date(2024, 3, 1), sampling=SAMPLING)
    assert form is not None
    assert form.cadence_spm == 170.0
    assert form.band_lo_mps.tolist() == [3.0]


def test_vertical_ratio_is_derived_from_oscillation_when_the_device_gives_none():
    form = run_form(
        samples([3.0] * 60, [180.0] * 60, vertical_oscillation_mm=[90.0] * 60),
        key="a",
        day=date(2024, 3, 1),
        sampling=SAMPLING,
    )
    assert form is not None
    assert form.vertical_ratio_pct == pytest.approx(9.0)


def test_a_run_without_cadence_has_no_form():
    bare = Samples(
        timestamp=np.array(["2024-03-01T07:00:00"], dtype="datetime64[ms]"),
        channels={"speed_mps": np.array([3.0])},
    )
    assert run_form(bare, key="a", day=date(2024, 3, 1), sampling=SAMPLING) is None


def test_band_medians_group_by_quarter_metre_per_second():
    lo, med, sec = band_medians(
        np.array([2.6, 2.7, 2.9, 3.1, 3.2]),
        np.array([160.0, 164.0, 170.0, 172.0, 176.0]),
        np.ones(5),
        width_mps=SAMPLING.band_width_mps,
    )
    assert lo.tolist() == [2.5, 2.75, 3.0]
    assert med.tolist() == [162.0, 170.0, 174.0]
    assert sec.tolist() == [2.0, 1.0, 2.0]


def _form(day: int, cadence: float, speed: float = 3.0, n: int = 900):
    return run_form(
        samples([speed] * n, [cadence] * n),
        key=f"r{day}",
        day=date(2024, 3, day),
        sampling=SAMPLING,
    )


def test_cadence_change_is_measured_only_at_matching_speeds():
    baseline = [_form(1, 170.0, 3.0), _form(2, 160.0, 2.5)]
    recent = [_form(20, 163.2, 3.0), _form(21, 180.0, 4.0)]  # 4.0 m/s has no baseline
    result = compare_cadence(recent, baseline, min_band_seconds=SAMPLING.min_band_seconds)
    assert result is not None
    assert result.bands_used == 1
    assert result.change_pct == pytest.approx(-4.0)


def test_no_matching_speed_band_means_no_comparison():
    assert (
        compare_cadence(
            [_form(20, 170.0, 4.0)],
            [_form(1, 170.0, 2.5)],
            min_band_seconds=SAMPLING.min_band_seconds,
        )
        is None
    )


@pytest.mark.parametrize(
    ("metric", "value", "position"),
    [
        ("cadence_spm", 163.9, "below"),
        ("cadence_spm", 164.0, "within"),
        ("cadence_spm", 173.5, "above"),
        ("vertical_oscillation_mm", 98.0, "above"),
        ("stance_time_ms", 250.0, "within"),
        ("vertical_ratio_pct", 7.0, "below"),
    ],
)
def test_population_bands_are_labelled_as_context(metric, value, position):
    found, note = population_position(metric, value, PARAMS.population)
    assert found == position
    assert "not an injury threshold" in note


def test_time_weighted_median_weights_runs_by_their_running_time():
    forms = [_form(1, 150.0, n=100), _form(2, 170.0, n=1000), _form(3, 160.0, n=100)]
    assert time_weighted_median(forms, "cadence_spm") == 170.0

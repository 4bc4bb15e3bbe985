"""Running form per run and over time: cadence, step length, vertical oscillation and ratio,
ground contact; cadence compared with the runner's own at matched speed bands.

Population figures (Garmin's middle bands) are context only, never an injury threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import Samples
from backstride.knowledge.analytics_params import FormMetric, FormSampling, PopulationBands
from backstride.knowledge.templates import fill

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class RunForm:
    """Form of one run: medians over running samples plus cadence per speed band (0.25 m/s
    wide in the `form.sampling` record)."""

    key: str
    day: date
    running_s: float
    speed_mps: float | None
    cadence_spm: float | None
    step_length_m: float | None
    vertical_oscillation_mm: float | None
    vertical_ratio_pct: float | None
    stance_time_ms: float | None
    band_lo_mps: FloatArray  # lower edge of each populated band
    band_cadence_spm: FloatArray  # median cadence in that band
    band_seconds: FloatArray  # running time in that band


def _median_or_none(values: FloatArray | None, mask: npt.NDArray[np.bool_]) -> float | None:
    if values is None:
        return None
    chosen = values[mask & np.isfinite(values)]
    return float(np.median(chosen)) if len(chosen) else None


def _sample_seconds(samples: Samples, max_gap_s: float) -> FloatArray:
    """Seconds each sample stands for (difference to the previous one, gaps capped)."""
    ts = samples.timestamp.astype("datetime64[ms]").astype(np.int64) / 1000.0
    dt = np.diff(ts, prepend=ts[0] if len(ts) else 0.0)
    return np.clip(dt, 0.0, max_gap_s)


def band_medians(
    speed_mps: FloatArray, cadence_spm: FloatArray, seconds: FloatArray, *, width_mps: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Median cadence and total seconds per speed band `width_mps` wide (vectorised group-by)."""
    band = np.floor(speed_mps / width_mps).astype(np.int64)
    order = np.lexsort((cadence_spm, band))
    band, cad, sec = band[order], cadence_spm[order], seconds[order]
    starts = np.flatnonzero(np.r_[True, band[1:] != band[:-1]]) if len(band) else np.array([], int)
    counts = np.diff(np.r_[starts, len(band)])
    lo_mid = starts + (counts - 1) // 2
    hi_mid = starts + counts // 2
    medians = (cad[lo_mid] + cad[hi_mid]) / 2.0
    totals = np.add.reduceat(sec, starts) if len(starts) else np.array([])
    return band[starts] * width_mps, medians, totals.astype(np.float64)


def run_form(samples: Samples, *, key: str, day: date, sampling: FormSampling) -> RunForm | None:
    """Form of one run from its samples; None when it has no speed and cadence to use.
    Samples count as running at the record's minimum speed with a plausible step rate.

    References: garmin-running-dynamics, heiderscheit-2011
    """
    speed = samples.get("speed_mps")
    cadence = samples.get("cadence_spm")
    if speed is None or cadence is None or len(samples) == 0:
        return None
    lo, hi = sampling.cadence_range.low, sampling.cadence_range.high
    mask = (speed >= sampling.min_run_speed_mps) & (cadence >= lo) & (cadence <= hi)
    mask &= np.isfinite(speed) & np.isfinite(cadence)
    if not mask.any():
        return None
    seconds = _sample_seconds(samples, sampling.max_sample_gap_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        step_m = np.where(mask, speed / (cadence / 60.0), np.nan)
    vo = samples.get("vertical_oscillation_mm")
    ratio = samples.get("vertical_ratio_pct")
    if ratio is None and vo is not None:
        ratio = 100.0 * (vo / 1000.0) / step_m  # step_m is NaN wherever it could be 0
    bands = band_medians(
        speed[mask], cadence[mask], seconds[mask], width_mps=sampling.band_width_mps
    )
    return RunForm(
        key=key,
        day=day,
        running_s=float(seconds[mask].sum()),
        speed_mps=_median_or_none(speed, mask),
        cadence_spm=_median_or_none(cadence, mask),
        step_length_m=_median_or_none(step_m, mask),
        vertical_oscillation_mm=_median_or_none(vo, mask),
        vertical_ratio_pct=_median_or_none(ratio, mask),
        stance_time_ms=_median_or_none(samples.get("stance_time_ms"), mask),
        band_lo_mps=bands[0],
        band_cadence_spm=bands[1],
        band_seconds=bands[2],
    )


@dataclass(frozen=True, slots=True)
class CadenceComparison:
    """Cadence of a recent period against a baseline period at the same speed bands."""

    change_pct: float  # time-weighted mean of per-band changes
    bands_used: int
    matched_seconds: float
    recent_spm: float  # time-weighted cadence of the recent period over the matched bands
    baseline_spm: float


def _pool_bands(forms: Sequence[RunForm]) -> dict[float, tuple[float, float]]:
    """Per band: (time-weighted mean of run medians, total seconds)."""
    pooled: dict[float, list[float]] = {}
    for form in forms:
        for lo, cad, sec in zip(
            form.band_lo_mps.tolist(),
            form.band_cadence_spm.tolist(),
            form.band_seconds.tolist(),
            strict=True,
        ):
            acc = pooled.setdefault(lo, [0.0, 0.0])
            acc[0] += cad * sec
            acc[1] += sec
    return {lo: (acc[0] / acc[1], acc[1]) for lo, acc in pooled.items() if acc[1] > 0}


def compare_cadence(
    recent: Sequence[RunForm], baseline: Sequence[RunForm], *, min_band_seconds: float
) -> CadenceComparison | None:
    """Cadence change at matched speed bands (each band needs `min_band_seconds` in both
    periods); None when no band matches.

    References: heiderscheit-2011
    """
    now, before = _pool_bands(recent), _pool_bands(baseline)
    matched = [
        lo
        for lo in sorted(now.keys() & before.keys())
        if min(now[lo][1], before[lo][1]) >= min_band_seconds
    ]
    if not matched:
        return None
    weight = np.array([min(now[lo][1], before[lo][1]) for lo in matched])
    cad_now = np.array([now[lo][0] for lo in matched])
    cad_before = np.array([before[lo][0] for lo in matched])
    change = float(np.average(100.0 * (cad_now / cad_before - 1.0), weights=weight))
    return CadenceComparison(
        change_pct=round(change, 6),
        bands_used=len(matched),
        matched_seconds=float(weight.sum()),
        recent_spm=float(np.average(cad_now, weights=weight)),
        baseline_spm=float(np.average(cad_before, weights=weight)),
    )


Position = Literal["below", "within", "above"]


def population_position(
    metric: FormMetric, value: float, population: PopulationBands
) -> tuple[Position, str]:
    """Where a value sits against Garmin's middle population band, with the record's note.

    References: garmin-running-dynamics
    """
    band = population.bands[metric]
    position: Position = "below" if value < band.low else "above" if value > band.high else "within"
    note = fill(
        population.note,
        {"position": position, "low": band.low, "high": band.high, "unit": band.unit},
    )
    return position, note


def time_weighted_median(forms: Sequence[RunForm], metric: str) -> float | None:
    """Median of a per-run metric over runs, each run weighted by its running time."""
    pairs = [
        (float(v), f.running_s)
        for f in forms
        if (v := getattr(f, metric)) is not None and f.running_s > 0
    ]
    if not pairs:
        return None
    values, weights = np.array(pairs).T
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2.0)])

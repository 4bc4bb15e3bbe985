"""Analytics speed: every metric and finding for five years of daily history and 2,000 runs.

The history is synthetic and seeded (reproducible): 2,000 runs spread over 1,826 days with
shoes, surfaces and per-run form summaries (computed once per run when the history is read,
as the service does). The timed part is what `backstride analyze` does after reading the
store: `analyze_training` (daily series, three ACWR methods with coverage, monotony,
fitness/fatigue, spikes, weekly change, shoes, rotation, surfaces, cadence at matched speed)
plus `findings_from`. Per-run form from raw samples is timed separately.

Run: .venv/bin/python benchmarks/analytics.py   (target: median < 0.5 s)
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np

from backstride.analytics.analysis import analyze_training
from backstride.analytics.equipment import Shoe
from backstride.analytics.findings import findings_from
from backstride.analytics.form import RunForm, run_form
from backstride.analytics.history import TrainingActivity
from backstride.analytics.rules import FindingRules
from backstride.config import Settings
from backstride.domain.activity import Samples
from backstride.knowledge import load_knowledge_base

DAYS = 5 * 365 + 1
RUNS = 2_000
TARGET_S = 0.5
START = date(2020, 1, 1)
SURFACES = ("street", "trail", "track", "treadmill", None)
SHOES = ("Alpha", "Bravo", "Charlie", "Delta")
#: How the benchmark reads running samples: the knowledge base's own record.
SAMPLING = FindingRules.from_kb(load_knowledge_base()).params.form


def history(rng: np.random.Generator) -> list[TrainingActivity]:
    """2,000 runs on random days of five years, 3-35 km, with shoes and surfaces."""
    days = np.sort(rng.choice(DAYS, size=RUNS, replace=True))
    km = rng.gamma(4.0, 2.5, size=RUNS).clip(3, 35)
    return [
        TrainingActivity(
            key=f"{i:064x}",
            start_time=datetime.combine(START + timedelta(days=int(d)), datetime.min.time(), UTC)
            + timedelta(hours=7),
            distance_m=float(k * 1000),
            duration_s=float(k * 330),
            sub_sport=SURFACES[int(rng.integers(len(SURFACES)))],
            shoe=SHOES[(int(d) // 200) % len(SHOES)],
        )
        for i, (d, k) in enumerate(zip(days.tolist(), km.tolist(), strict=True))
    ]


def samples(rng: np.random.Generator, n: int) -> Samples:
    """One hour of 1 Hz running samples with speed, cadence and running dynamics."""
    stamps = np.datetime64("2024-01-01T07:00:00", "ms") + np.arange(n) * np.timedelta64(1, "s")
    speed = rng.normal(3.1, 0.35, n).clip(1.0, 6.0)
    return Samples(
        timestamp=stamps,
        channels={
            "speed_mps": speed,
            "cadence_spm": (150 + 7 * speed + rng.normal(0, 2, n)).round(),
            "vertical_oscillation_mm": rng.normal(88, 4, n),
            "stance_time_ms": rng.normal(255, 10, n),
        },
    )


def forms(runs: list[TrainingActivity], rng: np.random.Generator) -> list[RunForm]:
    """A form summary for every run (from one shared hour of samples, re-keyed)."""
    base = run_form(samples(rng, 3600), key="x", day=START, sampling=SAMPLING)
    assert base is not None
    shift = rng.normal(0, 2, len(runs))
    return [
        RunForm(
            key=r.key,
            day=r.day,
            running_s=base.running_s,
            speed_mps=base.speed_mps,
            cadence_spm=(base.cadence_spm or 0) + s,
            step_length_m=base.step_length_m,
            vertical_oscillation_mm=base.vertical_oscillation_mm,
            vertical_ratio_pct=base.vertical_ratio_pct,
            stance_time_ms=base.stance_time_ms,
            band_lo_mps=base.band_lo_mps,
            band_cadence_spm=base.band_cadence_spm + s,
            band_seconds=base.band_seconds,
        )
        for r, s in zip(runs, shift.tolist(), strict=True)
    ]


def timed(repeat: int, call: object) -> list[float]:
    """Wall times of `repeat` calls of `call`."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()  # type: ignore[operator]
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    """Time the analysis and per-run form; print the figures; exit 1 above the target."""
    rng = np.random.default_rng(20250101)
    runs = history(rng)
    run_forms = forms(runs, rng)
    shoes = [Shoe(name, start_km=100.0 * i) for i, name in enumerate(SHOES)]
    today = START + timedelta(days=DAYS - 1)

    def analyse() -> None:
        analysis = analyze_training(
        runs, today=today, since=START, forms=run_forms, shoes=shoes,
        shoe_inspection_km=Settings().shoe_inspection_km,
        params=FindingRules.from_kb(load_knowledge_base()).params,
    )  # fmt: skip
        findings_from(analysis, FindingRules.from_kb(load_knowledge_base()))

    analysis = analyze_training(
        runs, today=today, since=START, forms=run_forms, shoes=shoes,
        shoe_inspection_km=Settings().shoe_inspection_km,
        params=FindingRules.from_kb(load_knowledge_base()).params,
    )  # fmt: skip
    found = findings_from(analysis, FindingRules.from_kb(load_knowledge_base()))
    times = timed(7, analyse)
    one_hour = samples(rng, 3600)
    form_times = timed(20, lambda: run_form(one_hour, key="x", day=START, sampling=SAMPLING))
    median = statistics.median(times)
    print(f"history: {DAYS} days, {RUNS} runs, {len(found)} findings over the whole span")
    print(
        f"analyze_training + findings_from: median {median * 1000:.1f} ms, "
        f"min {min(times) * 1000:.1f} ms over {len(times)} runs (target < {TARGET_S * 1000:.0f} ms)"
    )
    print(
        f"run_form on one hour of 1 Hz samples: median "
        f"{statistics.median(form_times) * 1000:.2f} ms per run "
        f"(≈ {statistics.median(form_times) * RUNS:.2f} s for all {RUNS} runs, done once per read)"
    )
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())

"""Form and findings on real running files from the shared corpus."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backstride.analytics.findings import build_findings
from backstride.analytics.form import run_form, time_weighted_median
from backstride.analytics.history import TrainingActivity
from backstride.domain.activity import Activity
from backstride.ingest.fit import read_fit
from tests.analytics.history_builders import RULES
from tests.defaults import SHOE_INSPECTION_KM

pytestmark = pytest.mark.corpus

WITH_DYNAMICS = [
    "fit/GoldenCheetah__GarminFR955v18__14211916346_ACTIVITY.fit",
    "fit/python-fitparse__activity-small-fenix2-run.fit",
    "fit/sports-lib__OutdoorRun20200314145229.fit",
    "fit/Runalyze__with-new-dynamics.fit",
]


def _read(corpus: Path, name: str) -> Activity:
    return read_fit((corpus / name).read_bytes(), source_name=name)


@pytest.mark.parametrize("name", WITH_DYNAMICS)
def test_per_run_form_from_a_real_fit_file_is_physiologically_plausible(corpus, name):
    activity = _read(corpus, name)
    form = run_form(
        activity.samples,
        key=activity.source_hash,
        day=activity.start_time.date(),
        sampling=RULES.params.form,
    )
    assert form is not None
    assert 140 <= form.cadence_spm <= 200
    assert 0.7 <= form.step_length_m <= 1.8
    assert 50 <= form.vertical_oscillation_mm <= 140
    assert 5 <= form.vertical_ratio_pct <= 12
    assert 150 <= form.stance_time_ms <= 400
    assert form.band_seconds.sum() == pytest.approx(form.running_s)
    assert form.running_s <= activity.duration_s + 1


def _real_runs(corpus: Path) -> list[Activity]:
    with (corpus / "MANIFEST.csv").open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["sport"] == "running"
            and r["file"].startswith("fit/")
            and r["intentionally_corrupt"] != "yes"
            and r["fitdecode"] == "ok"
        ]
    runs = [_read(corpus, row["file"]) for row in rows]
    return sorted(
        (a for a in runs if a.is_running and (a.distance_m or 0) > 3000),
        key=lambda a: a.distance_m or 0.0,
    )


def test_real_runs_replayed_in_order_show_a_spike_on_the_long_run_only(corpus):
    runs = _real_runs(corpus)
    easy, longest = runs[:8], runs[-1]
    start = datetime(2024, 1, 1, 7, tzinfo=UTC)
    history = [
        TrainingActivity(
            key=a.source_hash,
            start_time=start + timedelta(days=2 * i),
            distance_m=float(a.distance_m or 0.0),
            duration_s=a.duration_s,
        )
        for i, a in enumerate([*easy, longest])
    ]
    found = build_findings(
        history,
        today=history[-1].day,
        since=history[0].day,
        rules=RULES,
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )
    spikes = [f for f in found if f.id == "single_run_spike"]
    assert [f.runs for f in spikes][-1] == (longest.source_hash,)
    assert spikes[-1].severity == "attention"  # the longest corpus run is > 2x the easy ones
    assert spikes[-1].metrics["previous_longest_km"] == pytest.approx(
        max(a.distance_m or 0.0 for a in easy) / 1000, abs=1e-3
    )
    # The easy runs grow by less than 10 % from one to the next in this corpus sample,
    # except where the data says otherwise: every other spike is > 10 % by its own numbers.
    for spike in spikes[:-1]:
        assert spike.metrics["increase_pct"] > 10


def test_form_findings_on_real_runs_follow_their_measured_values(corpus):
    runs = [_read(corpus, name) for name in WITH_DYNAMICS]
    day0 = datetime(2024, 3, 1, tzinfo=UTC).date()
    forms = [
        run_form(
            a.samples, key=a.source_hash, day=day0 + timedelta(days=i), sampling=RULES.params.form
        )
        for i, a in enumerate(runs)
    ]
    assert all(f is not None for f in forms)
    found = {
        f.id
        for f in build_findings(
            [],
            today=day0 + timedelta(days=6),
            since=day0,
            forms=forms,
            rules=RULES,
            shoe_inspection_km=SHOE_INSPECTION_KM,
        )
    }
    vo = time_weighted_median(forms, "vertical_oscillation_mm")
    ratio = time_weighted_median(forms, "vertical_ratio_pct")
    cadence = time_weighted_median(forms, "cadence_spm")
    assert ("high_vertical_oscillation" in found) is (vo > 97 or ratio > 8.6)
    assert ("low_cadence_for_speed" in found) is (cadence < 164)

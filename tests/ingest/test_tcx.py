"""TCX reading: laps, RunCadence/Speed extensions, Strava quirks, and every corpus file."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from backstride.errors import CorruptFileError, IngestError, NotActivityFileError
from backstride.ingest.tcx import read_tcx
from tests.activity_files import TCD, TCX_T0, tcx_bytes

T0 = TCX_T0


def test_laps_trackpoints_and_extensions_become_an_activity() -> None:
    activity = read_tcx(tcx_bytes([60, 40]), source_name="run.tcx")
    assert (activity.sport, activity.source_format, activity.device) == (
        "running",
        "tcx",
        "Forerunner 945",
    )
    assert activity.start_time == T0
    assert activity.distance_m == 300.0  # the laps' sum
    assert [(lap.duration_s, lap.distance_m) for lap in activity.laps] == [(60, 180), (40, 120)]
    ch = activity.samples.channels
    assert len(activity.samples) == 100
    np.testing.assert_array_equal(ch["cadence_spm"], np.full(100, 172.0))
    np.testing.assert_array_equal(ch["speed_mps"], np.full(100, 3.0))
    np.testing.assert_array_equal(ch["hr_bpm"], np.full(100, 150.0))
    assert ch["distance_m"][-1] == 297.0
    assert activity.moving_time_s == 100.0  # the laps' timer time, beside their distance


def test_strava_tcx_with_blanks_before_the_xml_declaration_is_read() -> None:
    activity = read_tcx(b"   \n\t  " + tcx_bytes([10]))
    assert len(activity.samples) == 10


def test_doubled_run_cadence_from_a_treadmill_is_kept() -> None:
    activity = read_tcx(tcx_bytes([30], run_cadence=168, speed=2.5))
    assert np.nanmedian(activity.samples.channels["cadence_spm"]) == 168.0


def test_cycling_cadence_is_kept_in_rpm_under_its_own_channel() -> None:
    data = tcx_bytes([10], sport="Biking", run_cadence=None).replace(
        b"</HeartRateBpm>", b"</HeartRateBpm><Cadence>90</Cadence>"
    )
    activity = read_tcx(data)
    assert activity.sport == "cycling"
    assert "cadence_spm" not in activity.samples.channels
    assert np.nanmedian(activity.samples.channels["cadence_rpm"]) == 90.0


def test_a_file_with_several_activities_yields_the_first_with_a_warning() -> None:
    activity = read_tcx(tcx_bytes([10], activities=3))
    assert activity.start_time == T0
    assert "3 activities" in activity.warnings[0]


def test_trackpoints_without_time_give_a_lap_only_activity() -> None:
    data = tcx_bytes([5, 5])
    for second in range(10):
        moment = T0 + timedelta(seconds=second)
        data = data.replace(f"<Time>{moment:%Y-%m-%dT%H:%M:%SZ}</Time>".encode(), b"")
    activity = read_tcx(data)
    assert (len(activity.samples), activity.duration_s, activity.distance_m) == (0, 10.0, 30.0)
    assert "laps only" in activity.warnings[-1]


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"  ", NotActivityFileError, "empty"),
        (b"<TrainingCenterDatabase><Activities><Activity", CorruptFileError, "not well-formed"),
        (b"<gpx/>", NotActivityFileError, "not <TrainingCenterDatabase>"),
        (
            f'<TrainingCenterDatabase xmlns="{TCD}"><Courses/></TrainingCenterDatabase>'.encode(),
            NotActivityFileError,
            "no <Activity>",
        ),
        (
            f'<TrainingCenterDatabase xmlns="{TCD}"><Activities><Activity><Lap/></Activity>'
            "</Activities></TrainingCenterDatabase>".encode(),
            CorruptFileError,
            "StartTime",
        ),
    ],
    ids=["blank", "truncated", "other-xml", "course", "lap-without-start"],
)
def test_bad_input_raises_one_typed_error(
    data: bytes, error: type[IngestError], message: str
) -> None:
    with pytest.raises(error, match=message):
        read_tcx(data, source_name="x.tcx")


@pytest.mark.corpus
def test_every_corpus_tcx_file_is_read_or_refused_as_the_manifest_says(corpus: Path) -> None:
    with (corpus / "MANIFEST.csv").open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["category"] == "tcx"]
    assert len(rows) >= 45
    for row in rows:
        data = (corpus / row["file"]).read_bytes()
        if row["intentionally_corrupt"] == "yes" or int(row["n_records"] or 0) == 0:
            with pytest.raises(IngestError):
                read_tcx(data, source_name=row["file"])
            continue
        if "Route-only" in row["file"]:  # a course, not an activity
            with pytest.raises(NotActivityFileError, match="no <Activity>"):
                read_tcx(data, source_name=row["file"])
            continue
        activity = read_tcx(data, source_name=row["file"])
        assert 0 < len(activity.samples) <= int(row["n_records"]), row["file"]
        if row["heart_rate"] == "yes":
            assert "hr_bpm" in activity.samples.channels, row["file"]
        if row["sport"] == "Running":
            assert activity.sport == "running", row["file"]


@pytest.mark.corpus
def test_running_cadence_in_corpus_files_lands_in_a_human_range(corpus: Path) -> None:
    for name in (
        "sports-lib__garmin.tcx",
        "sports-lib__movescount.tcx",
        "Runalyze__Treadmill-doubled-cadence.tcx",
        "Runalyze__Wrong-time-zone-by-polar.tcx",
    ):
        activity = read_tcx((corpus / "tcx" / name).read_bytes())
        cadence = activity.samples.channels["cadence_spm"]
        median = float(np.median(cadence[cadence > 0]))
        assert 100 <= median <= 200, (name, median)

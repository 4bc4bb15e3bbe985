"""Values a runner sees, per rule: invalid markers, GPX segments, cadence units and the
sport behind them, multisport legs, lap totals, relative FIT clocks, strap heart rate."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from backstride.ingest.fit import read_fit
from backstride.ingest.gpx import read_gpx
from backstride.ingest.summary import summarize
from backstride.ingest.tcx import read_tcx
from tests.activity_files import TCD, gpx_bytes, straight_run, tcx_bytes
from tests.ingest import fit_encoder as fit


def _tcx_with_hr(value: int) -> bytes:
    return tcx_bytes([20]).replace(b"<Value>150</Value>", f"<Value>{value}</Value>".encode())


@pytest.mark.parametrize(
    ("read", "data"),
    [
        (read_tcx, _tcx_with_hr(255)),
        (read_gpx, gpx_bytes([[{**p, "hr": 255} for p in straight_run(20)]])),
    ],
    ids=["tcx", "gpx"],
)
def test_a_heart_rate_of_255_is_the_no_value_marker_dropped_and_counted(read, data) -> None:  # type: ignore[no-untyped-def]
    activity = read(data)
    assert "hr_bpm" not in activity.samples.channels
    assert summarize(activity).avg_hr_bpm is None
    assert any("20 heart-rate" in w for w in activity.warnings)


def test_a_fit_heart_rate_of_255_is_missing_not_a_reading() -> None:
    writer = (
        fit.FitWriter()
        .define(0, 0, fit.FILE_ID)
        .message(0, 4, 1, 3113, fit.fit_seconds(fit.START_UNIX))
    )
    writer.define(1, 20, fit.RECORD)
    for i in range(10):
        values = list(fit.record_values(i))
        values[6] = 255  # heart_rate
        writer.message(1, *values)
    assert "hr_bpm" not in read_fit(writer.to_bytes()).samples.channels


def test_real_heart_rates_beside_markers_are_kept() -> None:
    points = [{**p, "hr": 255 if i % 2 else 150} for i, p in enumerate(straight_run(20))]
    activity = read_gpx(gpx_bytes([points]))
    assert summarize(activity).avg_hr_bpm == 150.0
    assert any("10 heart-rate" in w for w in activity.warnings)


def test_no_distance_is_bridged_across_a_gpx_segment_break() -> None:
    first = straight_run(11)
    far = [{**p, "lat": float(p["lat"]) + 0.01} for p in straight_run(11, start_s=300)]  # type: ignore[arg-type]
    joined = read_gpx(gpx_bytes([first + far]))  # one segment: the 1.1 km jump counts
    split = read_gpx(gpx_bytes([first, far]))
    one = read_gpx(gpx_bytes([first])).distance_m
    assert split.distance_m == pytest.approx(2 * one, rel=1e-9)  # type: ignore[operator]
    assert joined.distance_m > split.distance_m + 1000  # type: ignore[operator]
    assert split.duration_s == 310.0
    assert split.moving_time_s == 20.0


@pytest.mark.corpus
def test_the_trkseg_break_file_has_gpxpys_distance(corpus) -> None:  # type: ignore[no-untyped-def]
    import gpxpy

    data = (corpus / "gpx" / "Runalyze__break-between-trkseg.gpx").read_bytes()
    reference = gpxpy.parse(data.decode("utf-8-sig")).length_2d()
    assert read_gpx(data).distance_m == pytest.approx(reference, rel=0.005)


def test_a_gpx_run_that_names_no_sport_is_judged_from_its_speed_and_doubled() -> None:
    activity = read_gpx(gpx_bytes([straight_run(61, cad=87.6)], sport=None))
    assert activity.sport == "running"
    assert summarize(activity).avg_cadence_spm == pytest.approx(175.2)
    assert any("taken as running" in w for w in activity.warnings)


def test_a_walk_that_names_no_sport_is_judged_a_walk_and_doubled() -> None:
    walk = straight_run(61, cad=51, step_deg=0.000012)  # about 1.3 m/s
    activity = read_gpx(gpx_bytes([walk], sport=None))
    assert activity.sport == "walking"
    assert summarize(activity).avg_cadence_spm == pytest.approx(102.0)


def test_a_fast_track_that_names_no_sport_is_a_ride_with_cadence_in_rpm() -> None:
    ride = straight_run(61, cad=88, step_deg=0.00007)  # about 7.8 m/s
    summary = summarize(read_gpx(gpx_bytes([ride], sport=None)))
    assert (summary.sport, summary.avg_cadence_spm, summary.avg_cadence_rpm) == (
        "cycling",
        None,
        88.0,
    )


def test_a_track_without_cadence_keeps_no_sport_rather_than_guessing() -> None:
    points = [{k: v for k, v in p.items() if k != "cad"} for p in straight_run(61)]
    activity = read_gpx(gpx_bytes([points], sport=None))
    assert activity.sport == "generic"
    assert not any("taken as" in w for w in activity.warnings)


def test_the_export_metadata_names_the_sport_before_any_guess() -> None:
    ride = straight_run(61, cad=88, step_deg=0.00007)
    activity = read_gpx(gpx_bytes([ride], sport=None), sport_hint="Run")
    assert activity.sport == "running"
    assert not any("taken as" in w for w in activity.warnings)


def _multisport() -> bytes:
    writer = fit.FitWriter().define(0, 20, fit.RECORD)
    for i in range(20):
        writer.message(0, *fit.record_values(i))
    writer.define(1, 18, fit.SESSION)
    for start, sport in ((0, 5), (10, 1)):  # swimming, then running
        begin = fit.fit_seconds(fit.START_UNIX + start)
        writer.message(1, begin + 10, begin, sport, 0, 10_000, 10_000, 3_100)
    return writer.to_bytes()


def test_multisport_cadence_is_averaged_per_leg_and_steps_only_on_foot() -> None:
    summary = summarize(read_fit(_multisport()))
    assert summary.sport == "multisport"
    assert summary.avg_cadence_spm == 171.0  # the run leg only
    assert summary.avg_cadence_rpm == 85.5  # the swim's strokes, in their own unit
    swim, run = summary.legs
    assert (swim.sport, swim.avg_cadence_rpm, swim.avg_cadence_spm) == ("swimming", 85.5, None)
    assert (run.sport, run.avg_cadence_spm, run.duration_s, run.distance_m) == (
        "running",
        171.0,
        10.0,
        31.0,
    )
    assert run.start_time == datetime.fromtimestamp(fit.START_UNIX + 10, tz=UTC)


@pytest.mark.corpus
def test_the_ironman_run_leg_has_running_cadence_alone(corpus) -> None:  # type: ignore[no-untyped-def]
    summary = summarize(
        read_fit((corpus / "fit" / "sports-lib__20181013_kona_ironman.fit").read_bytes())
    )
    legs = {leg.sport: leg for leg in summary.legs}
    assert list(legs) == ["swimming", "transition", "cycling", "running"]
    assert summary.avg_cadence_spm == legs["running"].avg_cadence_spm
    assert 150 < legs["running"].avg_cadence_spm < 190  # type: ignore[operator]
    assert 70 < legs["cycling"].avg_cadence_rpm < 110  # type: ignore[operator]


def _fitbit_ride() -> bytes:
    """Fitbit style: the lap has the totals, trackpoints only time and heart rate (100 s)."""
    points = "".join(
        f"<Trackpoint><Time>2022-09-04T08:{t // 60:02d}:{t % 60:02d}Z</Time>"
        "<HeartRateBpm><Value>130</Value></HeartRateBpm></Trackpoint>"
        for t in range(100)
    )
    return (
        f'<TrainingCenterDatabase xmlns="{TCD}"><Activities><Activity Sport="Biking">'
        '<Id>2022-09-04T08:00:00Z</Id><Lap StartTime="2022-09-04T08:00:00Z">'
        "<TotalTimeSeconds>600</TotalTimeSeconds><DistanceMeters>3000</DistanceMeters>"
        f"<Track>{points}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


def test_lap_distance_is_paired_with_lap_time_not_with_a_shorter_point_span() -> None:
    activity = read_tcx(_fitbit_ride())
    assert (activity.distance_m, activity.duration_s) == (3000.0, 600.0)
    assert summarize(activity).avg_speed_mps == pytest.approx(5.0)  # 3000 m in 600 s


def _relative_run(*, correlation: bool, local_clock: bool) -> bytes:
    """A run whose times count from power-on (1,000 s in), with the clocks it may carry."""
    writer = fit.FitWriter().define(
        0, 20, [fit.FieldSpec(253, fit.UINT32), fit.FieldSpec(3, fit.UINT8)]
    )
    for i in range(10):
        writer.message(0, 1000 + i, 140)
    if correlation:
        writer.define(1, 162, [fit.FieldSpec(253, fit.UINT32), fit.FieldSpec(1, fit.UINT32)])
        writer.message(1, fit.fit_seconds(fit.START_UNIX + 5), 1005)
    if local_clock:
        writer.define(2, 34, [fit.FieldSpec(253, fit.UINT32), fit.FieldSpec(5, fit.UINT32)])
        writer.message(2, 1009, fit.fit_seconds(fit.START_UNIX + 3600 + 9))  # local time, UTC+1
    return writer.to_bytes()


@pytest.mark.parametrize(
    ("correlation", "local_clock", "start", "warning"),
    [
        (True, False, fit.START_UNIX, None),
        (True, True, fit.START_UNIX, None),  # the UTC correlation wins over the local clock
        (False, True, fit.START_UNIX + 3600, "local clock"),
        (False, False, None, "unknown"),
    ],
    ids=["correlation", "both", "local-clock", "none"],
)
def test_times_counted_from_power_on_are_placed_by_the_files_clock_or_reported_unknown(
    correlation: bool, local_clock: bool, start: int | None, warning: str | None
) -> None:
    activity = read_fit(_relative_run(correlation=correlation, local_clock=local_clock))
    summary = summarize(activity).as_json()
    if start is None:
        assert summary["start_time"] is None
    else:
        assert activity.start_time == datetime.fromtimestamp(start, tz=UTC)
        assert summary["start_time"] is not None
    if warning is None:
        assert activity.warnings == ()
    else:
        assert any(warning in w for w in activity.warnings)


HR_FIELDS = [
    fit.FieldSpec(253, fit.UINT32),
    fit.FieldSpec(0, fit.UINT16),  # fractional_timestamp, scale 32768
    fit.FieldSpec(6, fit.UINT8, 8),  # filtered_bpm[8]
    fit.FieldSpec(9, fit.UINT32, 32),  # event_timestamp[8], scale 1024
]
PACKED_FIELDS = [
    fit.FieldSpec(6, fit.UINT8, 8),
    fit.FieldSpec(10, 0x0D, 12),
]  # event_timestamp_12[12 bytes]


def _strap_run(*, packed: bool) -> bytes:
    """A swim whose records have no heart rate; the strap's `hr` messages carry it."""
    writer = (
        fit.FitWriter()
        .define(0, 0, fit.FILE_ID)
        .message(0, 4, 1, 3113, fit.fit_seconds(fit.START_UNIX))
    )
    writer.define(1, 20, [fit.FieldSpec(253, fit.UINT32), fit.FieldSpec(5, fit.UINT32)])
    for i in range(1, 13):
        writer.message(1, fit.fit_seconds(fit.START_UNIX + i), i * 100)
    anchor = 1_242_209 * 1024  # event ticks (1/1024 s) at the anchor time fit.START_UNIX
    writer.define(2, 132, HR_FIELDS)
    writer.message(2, fit.fit_seconds(fit.START_UNIX), 0, [71] + [None] * 7, [anchor] + [None] * 7)
    if packed:  # the bytes and times of the Garmin SDK's HrmPluginTestActivity example
        writer.define(3, 132, PACKED_FIELDS)
        writer.message(3, [120] * 8, [0, 208, 110, 3, 110, 247, 209, 147, 149, 125, 30, 255])
    else:
        writer.define(3, 132, [fit.FieldSpec(6, fit.UINT8, 8), fit.FieldSpec(9, fit.UINT32, 32)])
        writer.message(3, [120] * 8, [anchor + 1024 * k for k in range(3, 11)])
    writer.define(
        4,
        18,
        [fit.FieldSpec(253, fit.UINT32), fit.FieldSpec(2, fit.UINT32), fit.FieldSpec(5, fit.ENUM)],
    )
    writer.message(4, fit.fit_seconds(fit.START_UNIX + 12), fit.fit_seconds(fit.START_UNIX), 5)
    return writer.to_bytes()


@pytest.mark.parametrize("packed", [False, True], ids=["full-times", "12-bit-times"])
def test_heart_rate_from_strap_messages_fills_the_records(packed: bool) -> None:
    activity = read_fit(_strap_run(packed=packed))
    hr = activity.samples.channels["hr_bpm"]
    # 71 at the anchor, carried for up to 5 s in 0.25 s steps; the strap's 120s from 3 s on
    assert hr[0] == 71.0  # record at +1 s: the carried anchor value
    assert hr[3] == 120.0
    assert np.isfinite(hr[:10]).all()
    assert any("merged into" in w for w in activity.warnings)


@pytest.mark.corpus
def test_hrm_swim_heart_rate_matches_garmins_own_tcx_of_the_same_swim(corpus) -> None:  # type: ignore[no-untyped-def]
    from_fit = read_fit((corpus / "fit" / "GoldenCheetah__GarminHRMswim.FIT").read_bytes())
    tcx = read_tcx((corpus / "tcx" / "GoldenCheetah__GarminHRMswim.tcx").read_bytes())
    _, ours, theirs = np.intersect1d(
        from_fit.samples.timestamp, tcx.samples.timestamp, return_indices=True
    )
    a, b = from_fit.samples.channels["hr_bpm"][ours], tcx.samples.channels["hr_bpm"][theirs]
    assert len(a) == len(from_fit.samples)
    assert np.isfinite(a).all()
    assert np.median(np.abs(a - b)) == 0.0
    assert np.abs(a - b).max() <= 3.0


def test_a_running_file_without_strap_messages_is_unchanged() -> None:
    activity = read_fit(fit.activity_writer(20).to_bytes())
    assert not any("merged" in w for w in activity.warnings)

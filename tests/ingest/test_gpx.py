"""GPX reading: self-made files for each rule, every corpus file, values checked against gpxpy."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.errors import CorruptFileError, IngestError, NotActivityFileError
from backstride.ingest.gpx import read_gpx
from tests.activity_files import GPX_T0, NS11, gpx_bytes, straight_run

T0 = GPX_T0


def test_a_running_track_becomes_an_activity_with_columns_and_doubled_cadence() -> None:
    activity = read_gpx(gpx_bytes([straight_run(61)]), source_name="run.gpx")
    assert (activity.sport, activity.source_format, activity.device) == (
        "running",
        "gpx",
        "test-watch",
    )
    assert activity.start_time == T0
    assert activity.duration_s == 60.0
    assert activity.distance_m == pytest.approx(60 * 3.3358, rel=1e-3)
    assert activity.name == "Easy run"
    samples = activity.samples
    assert len(samples) == 61
    np.testing.assert_array_equal(samples.channels["cadence_spm"], np.full(61, 170.0))
    np.testing.assert_array_equal(samples.channels["hr_bpm"], np.full(61, 140.0))
    assert np.nanmedian(samples.channels["speed_mps"]) == pytest.approx(3.3358, rel=1e-3)
    assert activity.moving_time_s == 60.0


def test_cadence_already_in_steps_per_minute_is_not_doubled_again() -> None:
    activity = read_gpx(gpx_bytes([straight_run(30, cad=172)]))
    assert np.nanmedian(activity.samples.channels["cadence_spm"]) == 172.0
    assert any("steps/min" in w for w in activity.warnings)


def test_walking_pace_cadence_of_110_is_read_as_steps_not_doubled() -> None:
    # 110 per leg would be 220 steps/min: implausible at 1.1 m/s, so it is already doubled.
    activity = read_gpx(gpx_bytes([straight_run(30, cad=110, step_deg=0.00001)]))
    assert np.nanmedian(activity.samples.channels["cadence_spm"]) == 110.0


def test_cycling_cadence_is_kept_in_rpm_under_its_own_channel() -> None:
    activity = read_gpx(gpx_bytes([straight_run(30, cad=85)], sport="biking"))
    assert activity.sport == "cycling"
    assert "cadence_spm" not in activity.samples.channels
    assert np.nanmedian(activity.samples.channels["cadence_rpm"]) == 85.0


def test_segments_are_joined_and_the_gap_between_them_is_not_moving_time() -> None:
    first, second = straight_run(11), straight_run(11, start_s=300)
    activity = read_gpx(gpx_bytes([first, second]))
    assert len(activity.samples) == 22
    assert activity.duration_s == 310.0
    assert activity.moving_time_s == 20.0


def test_a_point_without_lat_is_dropped_with_a_warning() -> None:
    points = straight_run(5)
    del points[2]["lat"]
    activity = read_gpx(gpx_bytes([points]))
    assert len(activity.samples) == 4
    assert activity.warnings == ("1 track points without lat/lon were dropped",)


def test_points_without_time_are_dropped_and_a_track_without_any_is_a_route() -> None:
    points = straight_run(5)
    del points[0]["t"]
    assert len(read_gpx(gpx_bytes([points])).samples) == 4
    untimed = [{k: v for k, v in p.items() if k != "t"} for p in points]
    with pytest.raises(NotActivityFileError, match="no timestamps"):
        read_gpx(gpx_bytes([untimed]), source_name="route.gpx")


def test_gpx_1_0_without_extensions_is_read() -> None:
    points = [{"lat": 46.0 + i * 1e-4, "lon": 14.0, "t": i * 5} for i in range(10)]
    activity = read_gpx(gpx_bytes([points], version="1.0", sport=None))
    assert activity.sport == "generic"
    assert set(activity.samples.channels) == {"lat_deg", "lon_deg", "distance_m", "speed_mps"}


def test_sport_hint_fills_in_when_the_file_has_no_type() -> None:
    activity = read_gpx(gpx_bytes([straight_run(20)], sport=None), sport_hint="Run")
    assert activity.sport == "running"
    assert np.nanmedian(activity.samples.channels["cadence_spm"]) == 170.0


def test_out_of_order_times_are_sorted_with_a_warning() -> None:
    points = straight_run(5)
    points[0]["t"] = 2.5
    activity = read_gpx(gpx_bytes([points]))
    assert np.all(np.diff(activity.samples.timestamp.astype(np.int64)) >= 0)
    assert any("re-ordered" in w for w in activity.warnings)


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", NotActivityFileError, "empty"),
        (b"<gpx><trk><trkseg><trkpt lat='1'", CorruptFileError, "not well-formed GPX"),
        (b"<kml xmlns='http://www.opengis.net/kml/2.2'/>", NotActivityFileError, "not <gpx>"),
        (b"<gpx version='1.1'><wpt lat='1' lon='2'/></gpx>", NotActivityFileError, "no track"),
    ],
    ids=["empty", "truncated", "other-xml", "waypoints-only"],
)
def test_bad_input_raises_one_typed_error_naming_the_file(
    data: bytes, error: type[IngestError], message: str
) -> None:
    with pytest.raises(error, match=message) as caught:
        read_gpx(data, source_name="x.gpx")
    assert str(caught.value).startswith("x.gpx: ")
    assert "\n" not in str(caught.value)


def test_entities_are_never_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file://{secret}">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<gpx xmlns="{NS11}"><trk><name>&x;&b;</name><trkseg>'
        '<trkpt lat="1" lon="2"><time>2020-01-01T00:00:00Z</time></trkpt>'
        "</trkseg></trk></gpx>"
    ).encode()
    try:
        activity = read_gpx(doc)
    except IngestError:
        return  # refusing the document is as safe as not expanding it
    assert "TOPSECRET" not in (activity.name or "")
    assert "aaaaaaaaaa" not in (activity.name or "")


# --- the corpus -------------------------------------------------------------------------


def _manifest(corpus: Path, category: str) -> list[dict[str, str]]:
    with (corpus / "MANIFEST.csv").open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["category"] == category]


@pytest.mark.corpus
def test_every_corpus_gpx_file_is_read_or_refused_with_a_typed_error(corpus: Path) -> None:
    rows = _manifest(corpus, "gpx")
    assert len(rows) >= 60
    read = 0
    refused: list[str] = []
    for row in rows:
        data = (corpus / row["file"]).read_bytes()
        try:
            activity = read_gpx(data, source_name=row["file"])
        except NotActivityFileError as exc:
            refused.append(str(exc))  # waypoints, routes, metadata only
            continue
        read += 1
        assert len(activity.samples) <= int(row["n_records"]), row["file"]
        if row["heart_rate"] == "yes":
            assert "hr_bpm" in activity.samples.channels, row["file"]
    assert read >= 45
    assert all("no track points" in r or "no timestamps" in r for r in refused), refused


@pytest.mark.corpus
def test_standard_gpx_that_gpxpy_rejects_is_read_without_the_latless_point(corpus: Path) -> None:
    activity = read_gpx((corpus / "gpx" / "Runalyze__standard.gpx").read_bytes())
    assert len(activity.samples) == 349
    assert activity.warnings == ("1 track points without lat/lon were dropped",)


def _gpxpy_points(data: bytes) -> list[object]:
    import gpxpy

    parsed = gpxpy.parse(data.decode("utf-8-sig"))
    return [p for t in parsed.tracks for s in t.segments for p in s.points]


@pytest.mark.corpus
def test_every_point_matches_gpxpy_on_every_corpus_file_it_parses(corpus: Path) -> None:
    compared = 0
    for row in _manifest(corpus, "gpx"):
        if row["gpxpy"] != "ok":
            continue
        data = (corpus / row["file"]).read_bytes()
        points = _gpxpy_points(data)
        timed = [p for p in points if p.time is not None]
        if not timed or len(timed) != len(points):
            continue
        times = [p.time for p in points]
        if times != sorted(times):
            continue  # we re-order out-of-order points; gpxpy keeps file order
        activity = read_gpx(data, source_name=row["file"])
        ch = activity.samples.channels
        assert len(activity.samples) == len(points), row["file"]
        for channel, values in (
            ("lat_deg", [p.latitude for p in points]),
            ("lon_deg", [p.longitude for p in points]),
            ("altitude_m", [np.nan if p.elevation is None else p.elevation for p in points]),
        ):  # every point, not only the ends
            ours_values = ch.get(channel, np.full(len(points), np.nan))
            np.testing.assert_array_equal(ours_values, values, err_msg=f"{row['file']} {channel}")
        ours = activity.samples.timestamp.astype("datetime64[s]").astype(np.int64)
        theirs = np.array([int(p.time.timestamp()) for p in points])
        np.testing.assert_array_equal(ours, theirs, err_msg=row["file"])
        hr = [_tpx_hr(p) for p in points]
        if not np.isnan(hr).all():  # gpxpy misses extensions that follow <ele> late
            np.testing.assert_array_equal(ch["hr_bpm"], hr, err_msg=row["file"])
        compared += 1
    assert compared >= 30


def _tpx_hr(point: object) -> float:
    for ext in point.extensions:  # type: ignore[attr-defined]
        for child in ext.iter():
            if child.tag.rpartition("}")[2].lower() in ("hr", "heartrate") and child.text:
                value = float(child.text)
                return value if value > 0 else np.nan
    return np.nan


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.floats(min_value=-5e-4, max_value=5e-4),  # degrees north per point
            st.integers(min_value=0, max_value=120),  # seconds to the next point
            st.booleans(),  # does the point carry a time?
        ),
        min_size=1,
        max_size=40,
    ),
    segment_every=st.integers(min_value=1, max_value=40),
)
def test_any_track_gives_ordered_samples_and_consistent_totals(
    steps: list[tuple[float, int, bool]], segment_every: int
) -> None:
    points, lat, t = [], 46.0, 0
    for north, gap, timed in steps:
        lat += north
        t += gap
        point: dict[str, object] = {"lat": round(lat, 7), "lon": 14.5, "hr": 150}
        if timed:
            point["t"] = t
        points.append(point)
    segments = [points[i : i + segment_every] for i in range(0, len(points), segment_every)]
    if not any(timed for _, _, timed in steps):
        with pytest.raises(NotActivityFileError):
            read_gpx(gpx_bytes(segments))
        return
    activity = read_gpx(gpx_bytes(segments))
    samples = activity.samples
    assert len(samples) == sum(timed for _, _, timed in steps)
    assert np.all(np.diff(samples.timestamp.astype(np.int64)) >= 0)
    assert np.all(np.diff(samples.channels["distance_m"]) >= -1e-9)
    assert 0 <= (activity.moving_time_s or 0) <= activity.duration_s
    assert activity.distance_m == pytest.approx(samples.channels["distance_m"][-1])

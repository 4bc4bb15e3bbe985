"""Every corpus TCX file against an independent parse with the standard library's
ElementTree: each timed trackpoint's time, position, altitude, distance and heart rate."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from backstride.errors import IngestError
from backstride.ingest.tcx import read_tcx
from backstride.ingest.track import INVALID_MARKERS, forward_fill

TCD = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
_PATHS = {
    "lat_deg": f"{TCD}Position/{TCD}LatitudeDegrees",
    "lon_deg": f"{TCD}Position/{TCD}LongitudeDegrees",
    "altitude_m": f"{TCD}AltitudeMeters",
    "distance_m": f"{TCD}DistanceMeters",
    "hr_bpm": f"{TCD}HeartRateBpm/{TCD}Value",
}


def _number(text: str | None) -> float:
    try:
        return float(text) if text else np.nan
    except ValueError:
        return np.nan


def _reference(data: bytes) -> dict[str, np.ndarray]:
    """Timed trackpoints of the first <Activity>, in time order, by plain ElementTree."""
    root = ET.fromstring(data.removeprefix(b"\xef\xbb\xbf").lstrip())
    activity = next(root.iter(f"{TCD}Activity"), None)  # multisport files nest them deeper
    assert activity is not None
    points = [
        p
        for lap in activity.findall(f"{TCD}Lap")
        for p in lap.iter(f"{TCD}Trackpoint")
        if p.findtext(f"{TCD}Time")
    ]
    times = np.array(
        [str(p.findtext(f"{TCD}Time")).strip().replace("Z", "") for p in points],
        dtype="datetime64[ms]",
    )
    order = np.argsort(times, kind="stable")
    out = {"timestamp": times[order]}
    for channel, path in _PATHS.items():
        out[channel] = np.array([_number(p.findtext(path)) for p in points])[order]
    hr = out["hr_bpm"]
    hr[(hr <= 0) | np.isin(hr, INVALID_MARKERS["hr_bpm"])] = np.nan
    return out


def _readable(corpus: Path) -> list[Path]:
    with (corpus / "MANIFEST.csv").open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["category"] == "tcx"]
    return [corpus / r["file"] for r in rows if not r["intentionally_corrupt"]]


@pytest.mark.corpus
def test_every_timed_trackpoint_matches_an_elementtree_parse(corpus: Path) -> None:
    compared = 0
    for path in _readable(corpus):
        data = path.read_bytes()
        try:
            activity = read_tcx(data, source_name=path.name)
        except IngestError:
            continue
        if not len(activity.samples) or b"Z</Time>" not in data:
            continue  # lap-only files; times with offsets are checked in test_tcx
        expected = _reference(data)
        np.testing.assert_array_equal(
            activity.samples.timestamp, expected.pop("timestamp"), err_msg=path.name
        )
        for channel, values in expected.items():
            ours = activity.samples.get(channel)
            given = np.isfinite(values)
            if channel == "distance_m" and ours is not None:
                ours = forward_fill(ours)  # we carry the distance over points without one
            if not given.any():
                continue
            assert ours is not None, f"{path.name}: {channel} missing"
            np.testing.assert_array_equal(
                ours[given], values[given], err_msg=f"{path.name} {channel}"
            )
        compared += 1
    assert compared >= 30

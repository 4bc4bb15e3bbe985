"""Our FIT records against other decoders' dumps in the corpus `expected/` folder: Garmin's
FitCSVTool CSVs, python-fitparse record CSVs and tormoder/fit golden dumps (Go)."""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from backstride.domain.activity import Activity, Samples
from backstride.ingest.fit import read_fit
from backstride.ingest.fit_samples import SEMICIRCLE_DEG
from backstride.ingest.track import forward_fill

#: FitCSVTool dump -> the FIT file it was made from (MANIFEST `expected_for`)
FIT_CSV_TOOL = {
    "muktihari-fit__Activity.csv": "fit-javascript-sdk__Activity.fit",
    "muktihari-fit__ActivityDevFields.csv": "fit-python-sdk__ActivityDevFields.fit",
    "muktihari-fit__HrmPluginTestActivity.csv": "muktihari-fit__HrmPluginTestActivity.fit",
    "muktihari-fit__WithGearChangeData.csv": "muktihari-fit__WithGearChangeData.fit",
    "muktihari-fit__activity_developerdata.csv": "muktihari-fit__activity_developerdata.fit",
    "muktihari-fit__activity_lowbattery.csv": "muktihari-fit__activity_lowbattery.fit",
    "muktihari-fit__activity_multisport.csv": "muktihari-fit__activity_multisport.fit",
    "muktihari-fit__activity_poolswim.csv": "muktihari-fit__activity_poolswim.fit",
    "muktihari-fit__activity_poolswim_with_hr.csv": "muktihari-fit__activity_poolswim_with_hr.fit",
    "muktihari-fit__activity_truncated.csv": "muktihari-fit__activity_truncated.fit",
    "muktihari-fit__chained_Activity_activity_poolswim.csv": (
        "muktihari-fit__chained_Activity_activity_poolswim.fit"
    ),
    "muktihari-fit__triathlon_summary_first.csv": "muktihari-fit__triathlon_summary_first.fit",
    "muktihari-fit__triathlon_summary_last.csv": "muktihari-fit__triathlon_summary_last.fit",
}
FITPARSE_CSV = {
    f"python-fitparse__{name}-records.csv": f"python-fitparse__{name}.fit"
    for name in (
        "compressed-speed-distance",
        "garmin-edge-500-activity",
        "garmin-edge-820-bike",
        "garmin-fenix-5-bike",
        "garmin-fenix-5-run",
        "garmin-fenix-5-walk",
    )
}
GOLDEN = {
    "tormoder-fit__0134902991.fit.golden.gz": "tormoder-fit__0134902991.fit",
    "tormoder-fit__2013-02-06-12-11-14.fit.golden.gz": "python-fitparse__2013-02-06-12-11-14.fit",
    "tormoder-fit__2015-10-13-08-43-15.fit.golden.gz": "python-fitparse__2015-10-13-08-43-15.fit",
    "tormoder-fit__Activity.fit.golden.gz": "python-fitparse__Activity.fit",
    "tormoder-fit__Edge810-Vector-2013-08-16-15-35-10.fit.golden.gz": (
        "python-fitparse__Edge810-Vector-2013-08-16-15-35-10.fit"
    ),
    "tormoder-fit__activity-small-fenix2-run.fit.golden.gz": (
        "python-fitparse__activity-small-fenix2-run.fit"
    ),
    "tormoder-fit__activity_poolswim_with_hr.fit.golden.gz": (
        "muktihari-fit__activity_poolswim_with_hr.fit"
    ),
    "tormoder-fit__garmin-edge-500-activitiy.fit.golden.gz": (
        "python-fitparse__garmin-edge-500-activity.fit"
    ),
    "tormoder-fit__garmin.fit.golden.gz": "tormoder-fit__garmin.fit",
    "tormoder-fit__mornindew-broken.fit.golden.gz": "tormoder-fit__mornindew-broken.fit",
    "tormoder-fit__sample-activity-indoor-trainer.fit.golden.gz": (
        "python-fitparse__sample-activity-indoor-trainer.fit"
    ),
}
FIT_EPOCH_S = 631065600
GO_UNIX_OFFSET_S = 62135596800  # Go's time.Time `ext`: seconds since year 1


def _unix_s(activity: Activity) -> np.ndarray:
    return activity.samples.timestamp.astype("datetime64[s]").astype(np.int64)


def _same_where_given(ours: np.ndarray | None, theirs: np.ndarray, what: str, atol: float) -> None:
    given = np.isfinite(theirs)
    if not given.any():
        return
    assert ours is not None, f"{what} missing"
    np.testing.assert_allclose(ours[given], theirs[given], atol=atol, rtol=0, err_msg=what)


def _fit_csv_records(path: Path) -> list[dict[str, str]]:
    """FitCSVTool `Data` rows of `record` messages as field -> first value."""
    out = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.reader(handle):
            if len(row) < 3 or row[0] != "Data" or row[2] != "record":
                continue
            fields = {row[i]: row[i + 1].split("|")[0] for i in range(3, len(row) - 1, 3) if row[i]}
            out.append(fields)
    return out


def _column(rows: list[dict[str, str]], *names: str, scale: float = 1.0) -> np.ndarray:
    def one(row: dict[str, str]) -> float:
        for name in names:
            if row.get(name) not in (None, ""):
                return float(row[name]) * scale
        return np.nan

    return np.array([one(row) for row in rows])


@pytest.mark.corpus
@pytest.mark.parametrize("dump", sorted(FIT_CSV_TOOL))
def test_records_equal_garmins_fitcsvtool_dump(corpus: Path, dump: str) -> None:
    rows = [r for r in _fit_csv_records(corpus / "expected" / dump) if r.get("timestamp")]
    activity = read_fit((corpus / "fit" / FIT_CSV_TOOL[dump]).read_bytes())
    assert len(activity.samples) == len(rows)
    np.testing.assert_array_equal(_unix_s(activity), _column(rows, "timestamp") + FIT_EPOCH_S)
    ch = activity.samples.channels
    hr = _column(rows, "heart_rate")
    hr[hr == 255] = np.nan  # the dump prints the invalid marker as a number
    _same_where_given(ch.get("hr_bpm"), hr, "heart rate", 0)
    _same_where_given(ch.get("distance_m"), _column(rows, "distance"), "distance", 1e-6)
    _same_where_given(ch.get("speed_mps"), _column(rows, "enhanced_speed", "speed"), "speed", 1e-6)
    semicircles = _column(rows, "position_lat")
    semicircles[semicircles == 0x7FFFFFFF] = np.nan  # printed invalid marker
    _same_where_given(ch.get("lat_deg"), semicircles * SEMICIRCLE_DEG, "latitude", 1e-9)


def _fitparse_time(text: str) -> float:
    return float(text) if text.strip().isdigit() else np.nan


@pytest.mark.corpus
@pytest.mark.parametrize("dump", sorted(FITPARSE_CSV))
def test_records_equal_python_fitparse_record_dumps(corpus: Path, dump: str) -> None:
    with (corpus / "expected" / dump).open(newline="") as handle:
        rows = [{k.strip(): v for k, v in row.items()} for row in csv.DictReader(handle)]
    activity = read_fit((corpus / "fit" / FITPARSE_CSV[dump]).read_bytes())
    relative = np.array([_fitparse_time(r.get("Timestamp", "")) for r in rows])
    if np.isfinite(relative).all():  # counted from power-on: we move all by one offset
        ours_s = _unix_s(activity)
        ours_s = ours_s - (ours_s[-1] - relative[-1])
        assert set(relative.tolist()) <= set(ours_s.tolist())
        activity = _only_at(activity, np.isin(ours_s, relative))  # the dump skips a record
    assert len(activity.samples) == len(rows)
    ch = activity.samples.channels

    def column(*names: str) -> np.ndarray:
        return _column([{k: "" if v == "null" else v for k, v in r.items()} for r in rows], *names)

    _same_where_given(ch.get("hr_bpm"), column("heart_rate", "Heart Rate [bpm]"), "hr", 0)
    _same_where_given(ch.get("distance_m"), column("distance", "Distance [m]"), "distance", 1e-6)
    _same_where_given(ch.get("speed_mps"), column("speed", "Speed [m/s]"), "speed", 1e-6)
    if "position_lat" in rows[0]:  # this dump carries the last position over gaps
        lat = column("position_lat") * SEMICIRCLE_DEG
        _same_where_given(forward_fill(ch["lat_deg"]), lat, "latitude", 1e-9)


def _only_at(activity: Activity, keep: np.ndarray) -> Activity:
    samples = Samples(
        timestamp=activity.samples.timestamp[keep],
        channels={name: values[keep] for name, values in activity.samples.channels.items()},
    )
    return replace(activity, samples=samples)


_RECORD = re.compile(r"&fit\.RecordMsg\{(.*?)\n   \},", re.S)
_FIELDS = {
    "ext": re.compile(r"ext: int64\((-?\d+)\)"),
    "HeartRate": re.compile(r"\n    HeartRate: uint8\((0x[0-9a-f]+)\)"),
    "Distance": re.compile(r"\n    Distance: uint32\((0x[0-9a-f]+)\)"),
    "Lat": re.compile(r"PositionLat: fit\.Latitude\{\s*semicircles: int32\((-?\d+)\)"),
}
_INVALID = {"HeartRate": 0xFF, "Distance": 0xFFFFFFFF, "Lat": 0x7FFFFFFF}


def _golden_records(path: Path) -> dict[str, np.ndarray]:
    text = gzip.decompress(path.read_bytes()).decode()
    start = text.index("Records: []*fit.RecordMsg{")
    section = text[start : text.index("\n  },", start)]  # the first listing only
    values: dict[str, list[float]] = {name: [] for name in _FIELDS}
    for block in _RECORD.findall(section):
        for name, pattern in _FIELDS.items():
            found = pattern.search(block)
            raw = int(found.group(1), 0) if found else None
            values[name].append(np.nan if raw is None or raw == _INVALID.get(name) else raw)
    return {name: np.array(v, dtype=np.float64) for name, v in values.items()}


@pytest.mark.corpus
@pytest.mark.parametrize("golden", sorted(GOLDEN))
def test_records_equal_tormoder_fit_golden_dumps(corpus: Path, golden: str) -> None:
    expected = _golden_records(corpus / "expected" / golden)
    activity = read_fit((corpus / "fit" / GOLDEN[golden]).read_bytes())
    timed = expected["ext"] > 0  # Go's zero time: a record without a timestamp
    assert len(activity.samples) == int(timed.sum())
    stamps = expected["ext"][timed] - GO_UNIX_OFFSET_S
    ours = _unix_s(activity)
    if (stamps < 0x10000000 + FIT_EPOCH_S).all() and ours[0] != stamps[0]:
        stamps = stamps + (ours[0] - stamps[0])  # counted from power-on: one offset for all
    np.testing.assert_array_equal(ours, stamps)
    ch = activity.samples.channels
    _same_where_given(ch.get("hr_bpm"), expected["HeartRate"][timed], "heart rate", 0)
    _same_where_given(ch.get("distance_m"), expected["Distance"][timed] / 100, "distance", 1e-6)
    lat = expected["Lat"][timed] * SEMICIRCLE_DEG
    _same_where_given(ch.get("lat_deg"), lat, "latitude", 1e-9)

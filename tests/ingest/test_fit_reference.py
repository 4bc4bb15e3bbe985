"""Our FIT reader agrees with fitdecode (and garmin-fit-sdk) on every corpus FIT file."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import zipfile
from pathlib import Path

import fitdecode
import numpy as np
import pytest

from backstride.errors import IngestError, NotActivityFileError
from backstride.ingest.fit import read_fit
from backstride.ingest.fit_decode import FIT_EPOCH_S
from backstride.ingest.fit_samples import ON_FOOT, SEMICIRCLE_DEG
from tests.conftest import CORPUS

SPORTS: dict[object, str] = {1: "running", 11: "walking", 17: "hiking"}  # fitdecode may give ints
NATIVE = {
    "distance_m": ("distance",),
    "speed_mps": ("enhanced_speed", "speed"),
    "altitude_m": ("enhanced_altitude", "altitude"),
    "hr_bpm": ("heart_rate",),
    "vertical_oscillation_mm": ("vertical_oscillation",),
    "stance_time_ms": ("stance_time",),
    "step_length_mm": ("step_length",),
    "vertical_ratio_pct": ("vertical_ratio",),
    "power_w": ("power",),
}

#: developer fields that may stand in for a missing native channel (native number or name)
DEVELOPER = {
    "distance_m": ("native:5",),
    "speed_mps": ("native:6", "native:73"),
    "altitude_m": ("native:2", "native:78"),
    "hr_bpm": ("native:3",),
    "power_w": ("native:7", "dev:power"),
    "vertical_oscillation_mm": ("native:39", "dev:vertical oscillation"),
    "stance_time_ms": (
        "native:41",
        "dev:ground time",
        "dev:ground contact time",
        "dev:stance time",
    ),
    "vertical_ratio_pct": ("native:83",),
    "step_length_mm": ("native:85",),
}


def _manifest() -> list[dict[str, str]]:
    path = CORPUS / "MANIFEST.csv"
    if not path.is_file():
        return []
    with path.open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["category"].startswith("fit")]


ROWS = _manifest()
GOOD = [r["file"] for r in ROWS if not r["intentionally_corrupt"] and r["category"] == "fit"]
BAD = [r for r in ROWS if r["intentionally_corrupt"]]
PACKED = [r["file"] for r in ROWS if r["category"] in {"fit_gz", "fit_zip"}]


def _first(value: object) -> float:
    if isinstance(value, tuple):
        value = value[0] if value else None
    return np.nan if value is None else float(value)  # type: ignore[arg-type]


def _reference_records(data: bytes) -> tuple[list[dict[str, object]], list[tuple[int, int]]]:
    """fitdecode's record fields (raw processor) and (session start, sport) pairs."""
    records, sessions = [], []
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        processor=fitdecode.DataProcessorBase(),
        check_crc=fitdecode.CrcCheck.DISABLED,
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    with contextlib.suppress(fitdecode.FitError), reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "record":
                records.append(_values(frame))
            elif frame.name == "session":
                values = {f.name: f.value for f in frame.fields}
                sessions.append((values.get("start_time"), values.get("sport")))
    return records, sessions


def _values(frame: fitdecode.FitDataMessage) -> dict[str, object]:
    """Field values by name; a component expansion never hides a real value of that name."""
    values: dict[str, object] = {}
    for field in frame.fields:
        definition = field.field_def
        if definition is not None and getattr(definition, "is_dev", False):
            described = definition.field
            for key in (
                f"native:{described.native_field_num}",
                f"dev:{str(described.name).strip().lower()}",
            ):
                values[key] = field.value
                values[f"units:{key}"] = described.units
        elif values.get(field.name) is None:
            values[field.name] = field.value
    return values


def _expected(
    records: list[dict[str, object]], sessions: list[tuple[int, int]]
) -> dict[str, np.ndarray]:
    records = [r for r in records if r.get("timestamp") is not None]
    out: dict[str, np.ndarray] = {
        "timestamp": np.array(
            [(int(r["timestamp"]) + FIT_EPOCH_S) * 1000 for r in records],
            dtype=np.int64,  # type: ignore[call-overload]
        ).view("datetime64[ms]")
    }
    if any(r.get("position_lat") is not None for r in records):
        out["lat_deg"] = np.array([_first(r.get("position_lat")) for r in records]) * SEMICIRCLE_DEG
        out["lon_deg"] = (
            np.array([_first(r.get("position_long")) for r in records]) * SEMICIRCLE_DEG
        )
    for channel, names in NATIVE.items():
        values = np.array(
            [next((_first(r[n]) for n in names if r.get(n) is not None), np.nan) for r in records]
        )
        if not np.isnan(values).all():
            out[channel] = values
    for channel, keys in DEVELOPER.items():
        if channel not in out:
            _developer_channel(out, records, channel, keys)
    cadence = np.array([_first(r.get("cadence")) for r in records])
    if not np.isnan(cadence).all():
        fraction = np.nan_to_num(np.array([_first(r.get("fractional_cadence")) for r in records]))
        factor = _foot_factor(records, sessions)
        for channel, keep in (("cadence_spm", factor == 2.0), ("cadence_rpm", factor == 1.0)):
            values = np.where(keep, (cadence + fraction) * factor, np.nan)
            if not np.isnan(values).all():
                out[channel] = values
    return out


def _developer_channel(
    out: dict[str, np.ndarray],
    records: list[dict[str, object]],
    channel: str,
    keys: tuple[str, ...],
) -> None:
    """A channel the file lacks natively, from the first developer field that maps to it."""
    for key in keys:
        values = np.array([_first(r.get(key)) for r in records])
        if np.isnan(values).all():
            continue
        units = next((r.get(f"units:{key}") for r in records if r.get(f"units:{key}")), "")
        if channel == "vertical_oscillation_mm":
            values = values * {"cm": 10.0, "centimeters": 10.0}.get(str(units).lower(), 1.0)
        out[channel] = values
        return


def _foot_factor(records: list[dict[str, object]], sessions: list[tuple[int, int]]) -> np.ndarray:
    stamps = np.array([int(r["timestamp"]) for r in records])  # type: ignore[call-overload]
    known = sorted((s, sport) for s, sport in sessions if s is not None)
    sports = [sport for _, sport in sessions]
    if len(known) < 2:
        on_foot = bool(sports) and SPORTS.get(sports[0], sports[0]) in ON_FOOT
        return np.full(len(stamps), 2.0 if on_foot else 1.0)
    factor = np.full(len(stamps), 2.0 if SPORTS.get(known[0][1], known[0][1]) in ON_FOOT else 1.0)
    for start, sport in known[1:]:
        factor[stamps >= start] = 2.0 if SPORTS.get(sport, sport) in ON_FOOT else 1.0
    return factor


def _assert_same(ours: np.ndarray, theirs: np.ndarray, channel: str) -> None:
    if channel == "timestamp":
        np.testing.assert_array_equal(ours, theirs, err_msg=channel)
    else:
        np.testing.assert_allclose(
            ours, theirs, rtol=1e-9, atol=1e-6, equal_nan=True, err_msg=channel
        )


def _compare(data: bytes) -> None:
    """Our samples equal fitdecode's records, except what we add on purpose: heart rate
    merged from `hr` messages (fitdecode leaves those records empty) and relative times
    placed on the calendar (fitdecode keeps them counting from power-on)."""
    activity = read_fit(data)
    expected = _expected(*_reference_records(data))
    theirs = expected.pop("timestamp")
    ours_t = activity.samples.timestamp
    if any("switched on" in w for w in activity.warnings):
        shift = ours_t[0] - theirs[0]
        assert shift > np.timedelta64(0, "s")
        theirs = theirs + shift  # one offset for every record
    _assert_same(ours_t, theirs, "timestamp")
    merged = any("stored by the strap" in w for w in activity.warnings)
    if merged:
        expected.setdefault("hr_bpm", np.full(len(ours_t), np.nan))
    for channel, values in expected.items():
        ours = activity.samples.get(channel)
        assert ours is not None, f"{channel} missing"
        if channel == "hr_bpm" and merged:  # the records' own values are kept as they are
            ours = np.where(np.isnan(values), np.nan, ours)
        _assert_same(ours, values, channel)
    assert set(activity.samples.channels) == set(expected)


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("name", GOOD)
def test_record_values_equal_fitdecode_for_every_sound_corpus_file(corpus: Path, name: str) -> None:
    data = (corpus / name).read_bytes()
    try:
        read_fit(data)
    except NotActivityFileError:
        records, _ = _reference_records(data)
        assert not [r for r in records if r.get("timestamp") is not None]
        return
    _compare(data)


def _unpack(path: Path) -> bytes:
    if path.suffix == ".gz":
        return gzip.decompress(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if not n.split("/")[-1].startswith("._")]
        return archive.read(next(n for n in names if n.lower().endswith(".fit")))


@pytest.mark.corpus
@pytest.mark.parametrize("name", PACKED)
def test_compressed_corpus_fit_files_decode_like_fitdecode(corpus: Path, name: str) -> None:
    _compare(_unpack(corpus / name))


#: every intentionally corrupt or real-world-bad corpus FIT file: what we must do with it
#: (error type, or the samples we salvage and a phrase the warning must contain)
CORRUPT = [
    ("GoldenCheetah__HRM-unbucle-resync__._activity_2677977976.fit", NotActivityFileError, 0, ""),
    (
        "GoldenCheetah__Move_2019_03_17_10_24_32_Running.fit__._Move_2019_03_17_10_24_32_Running.fit",
        NotActivityFileError,
        0,
        "",
    ),
    ("muktihari-fit__activity_truncated.fit", None, 14, ""),  # sound bytes, no session
    ("tormoder-fit__mornindew-broken.fit", None, 6874, ""),  # every reader decodes it
    ("python-fitparse__activity-activity-filecrc.fit", None, 28, "CRC mismatch"),
    ("python-fitparse__activity-filecrc.fit", None, 14, "CRC mismatch"),
    ("python-fitparse__activity-settings-corruptheader.fit", None, 14, "not a FIT file header"),
    ("python-fitparse__activity-settings-nodata.fit", None, 14, "truncated"),
    ("python-fitparse__activity-unexpected-eof.fit", None, 14, "truncated"),
    ("python-fitparse__nick.fit", None, 14391, "cut short"),
    ("python-fitparse__strava-android-app-201.10-b1218918.fit", None, 473, "no definition"),
    # the references give up at the header (data size 0); the messages are all there
    ("sports-lib__broken.fit", None, 2319, "not finalised"),
]


@pytest.mark.corpus
def test_the_corrupt_table_names_every_corrupt_corpus_file(corpus: Path) -> None:
    assert BAD, f"the MANIFEST in {corpus} lists no corrupt FIT file"
    assert {f"fit/{name}" for name, *_ in CORRUPT} == {r["file"] for r in BAD}


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "error", "n_samples", "warning"), CORRUPT)
def test_corrupt_corpus_files_raise_a_typed_error_or_salvage_with_a_warning(
    corpus: Path, name: str, error: type[IngestError] | None, n_samples: int, warning: str
) -> None:
    data = (corpus / "fit" / name).read_bytes()
    if error is not None:
        with pytest.raises(error, match="not a FIT file"):
            read_fit(data)
        return
    activity = read_fit(data)
    assert len(activity.samples) == n_samples
    if warning:
        assert any(warning in text for text in activity.warnings)
    else:
        assert activity.warnings == ()
    records, _ = _reference_records(data)
    salvaged = [r for r in records if r.get("timestamp") is not None][:n_samples]
    expected = _expected(salvaged, [])
    assert len(salvaged) in {0, n_samples}  # fitdecode reads all of them or none
    if salvaged:
        _assert_same(activity.samples.timestamp, expected["timestamp"], "timestamp")
        for channel in set(expected) - {"timestamp", "cadence_spm", "cadence_rpm"}:
            _assert_same(activity.samples.channels[channel], expected[channel], channel)


def _garmin_records(data: bytes) -> list[dict[str, object]]:
    """Record messages as the Garmin FIT SDK decodes them (raw enums, FIT seconds)."""
    from garmin_fit_sdk import Decoder, Stream

    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    messages, _errors = decoder.read(
        convert_datetimes_to_dates=False, convert_types_to_strings=False
    )
    return list(messages.get("record_mesgs", []))


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    ["python-fitparse__nick.fit", "python-fitparse__strava-android-app-201.10-b1218918.fit"],
)
def test_files_fitdecode_rejects_match_the_garmin_sdk_where_it_salvages(
    corpus: Path, name: str
) -> None:
    data = (corpus / "fit" / name).read_bytes()
    theirs = [r for r in _garmin_records(data) if r.get("timestamp") is not None]
    expected = _expected(theirs, [])
    samples = read_fit(data).samples
    assert len(samples) == len(theirs)
    _assert_same(samples.timestamp, expected["timestamp"], "timestamp")
    for channel in ("lat_deg", "lon_deg", "distance_m", "hr_bpm", "power_w"):
        if channel in expected:
            _assert_same(samples.channels[channel], expected[channel], channel)

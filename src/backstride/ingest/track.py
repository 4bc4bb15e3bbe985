"""Columnar helpers shared by the XML readers: safe parsing, times, distance, cadence, sport."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import numpy as np
from lxml import etree

from backstride.domain.activity import FloatArray, TimeArray
from backstride.errors import CorruptFileError, NotActivityFileError

EARTH_RADIUS_M = 6_371_008.8
#: Slower than this between two samples counts as standing still (m/s).
MOVING_SPEED_MPS = 0.5
#: A gap longer than this between two samples is a pause, never moving time (s).
MAX_MOVING_GAP_S = 60.0
_BOM = b"\xef\xbb\xbf"


def sha256_hex(data: bytes) -> str:
    """The content hash an Activity carries (sha256 of the decompressed bytes)."""
    return hashlib.sha256(data).hexdigest()


def parse_xml(data: bytes, *, source_name: str, kind: str) -> etree._Element:
    """Parse XML safely (no entities, no network, no huge trees); tolerate leading blanks."""
    body = data[3:] if data.startswith(_BOM) else data
    body = body.lstrip(b" \t\r\n")  # Strava TCX files start with blanks before `<?xml`
    # No ID table and no blank text nodes: about 40 % faster, and readers only use leaf text.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        collect_ids=False,
        remove_blank_text=True,
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "empty document"
        if not body.strip():
            raise NotActivityFileError(f"{source_name}: empty file, expected {kind} XML") from exc
        raise CorruptFileError(f"{source_name}: not well-formed {kind} XML ({message})") from exc
    if root is None:
        raise NotActivityFileError(f"{source_name}: empty file, expected {kind} XML")
    return root


#: An element name in the document's namespace (`hr` -> `{ns}hr`).
Tag = Callable[[str], str]


def parse_root(
    data: bytes, *, source_name: str, kind: str, root: str
) -> tuple[etree._Element, Tag]:
    """`parse_xml`, refusing a document whose root element is not `root`; with the tag maker
    of the root's namespace."""
    element = parse_xml(data, source_name=source_name, kind=kind)
    found = local_name(element.tag)
    if found != root:
        raise NotActivityFileError(f"{source_name}: root element is <{found}>, not <{root}>")
    ns = element.tag[1 : element.tag.index("}")] if element.tag.startswith("{") else ""
    tag: Tag = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    return element, tag


def local_name(tag: object) -> str:
    """An element tag without its namespace (`{ns}hr` -> `hr`); '' for comments/PIs."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def parse_times(texts: list[str | None], *, source_name: str) -> TimeArray:
    """ISO 8601 texts -> datetime64[ms] UTC (NaT where missing); naive texts are UTC."""
    present = [t for t in texts if t]
    if present and all(t.endswith("Z") for t in present):
        try:
            stripped = [t[:-1] if t else "NaT" for t in texts]
            return np.array(stripped, dtype="datetime64[ms]")
        except ValueError:
            pass  # unusual forms (e.g. >3 fractional digits): the careful path below
    return np.array([_one_time(t, source_name) for t in texts], dtype="datetime64[ms]")


def _one_time(text: str | None, source_name: str) -> np.datetime64:
    if not text:
        return np.datetime64("NaT", "ms")
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise CorruptFileError(
            f"{source_name}: time must be ISO 8601 (like 2019-08-11T07:02:03Z), got {text!r}"
        ) from exc
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return np.datetime64(moment, "ms")


def to_floats(texts: Sequence[str | bytes | None]) -> FloatArray:
    """Numeric texts (str or bytes) -> float64 with NaN for missing or unreadable values."""
    if not any(texts):
        return np.full(len(texts), np.nan)
    try:
        return np.array([t if t else "nan" for t in texts], dtype=np.float64)
    except ValueError:
        return np.array([_float_or_nan(t) for t in texts], dtype=np.float64)


def _float_or_nan(text: str | bytes | None) -> float:
    try:
        return float(text) if text else float("nan")
    except ValueError:
        return float("nan")


def cumulative_distance_m(
    lat_deg: FloatArray, lon_deg: FloatArray, *, breaks: FloatArray | None = None
) -> FloatArray:
    """Great-circle (haversine) distance along the valid positions, carried over gaps.

    Where `breaks` is 1 a new segment starts: the step into it adds no distance (GPX 1.1
    segments are separate spans; reception was lost or the receiver was off in between).
    """
    out = np.full(len(lat_deg), np.nan)
    valid = np.flatnonzero(np.isfinite(lat_deg) & np.isfinite(lon_deg))
    if len(valid) == 0:
        return out
    lat = np.radians(lat_deg[valid])
    lon = np.radians(lon_deg[valid])
    a = (
        np.sin(np.diff(lat) / 2) ** 2
        + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
    )
    steps = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    if breaks is not None and len(valid) > 1:
        # a step ends in a new segment when any point after the last valid one starts it
        starts = np.cumsum(breaks > 0)[valid]
        steps[np.diff(starts) > 0] = 0.0
    out[valid] = np.concatenate(([0.0], np.cumsum(steps)))
    return forward_fill(out)


#: Channel -> values devices write for "no reading" (FIT's invalid markers, copied into
#: GPX/TCX by converters): 0xFF for 8-bit heart rate and cadence, 0xFFFF for power and
#: for speed in mm/s.
INVALID_MARKERS: dict[str, tuple[float, ...]] = {
    "hr_bpm": (255.0,),
    "cadence_spm": (255.0,),
    "power_w": (65535.0,),
    "speed_mps": (65.535,),
}
_CHANNEL_WORDS = {
    "hr_bpm": "heart-rate",
    "cadence_spm": "cadence",
    "power_w": "power",
    "speed_mps": "speed",
}


def drop_invalid_markers(channels: dict[str, FloatArray]) -> str | None:
    """Turn invalid markers into NaN in place; the warning that counts them, if any."""
    counts = []
    for name, markers in INVALID_MARKERS.items():
        values = channels.get(name)
        if values is None:
            continue
        bad = np.isin(values, markers)
        if bad.any():
            values[bad] = np.nan
            counts.append(f"{int(bad.sum())} {_CHANNEL_WORDS[name]}")
    if not counts:
        return None
    return f"readings holding a device's 'no value' marker were dropped: {', '.join(counts)}"


def forward_fill(values: FloatArray) -> FloatArray:
    """Carry the last finite value forward over NaN gaps (leading NaN stay NaN)."""
    finite = np.isfinite(values)
    if finite.all() or not finite.any():
        return values
    index = np.where(finite, np.arange(len(values)), 0)
    np.maximum.accumulate(index, out=index)
    filled = values[index]
    filled[: np.argmax(finite)] = np.nan
    return filled


def seconds_since_start(timestamp: TimeArray) -> FloatArray:
    """Seconds from the first valid timestamp (NaN where the timestamp is NaT)."""
    valid = ~np.isnat(timestamp)
    out = np.full(len(timestamp), np.nan)
    if valid.any():
        first = timestamp[valid][0]
        out[valid] = (timestamp[valid] - first).astype("timedelta64[ms]").astype(np.float64) / 1e3
    return out


def derived_speed_mps(distance_m: FloatArray, elapsed_s: FloatArray) -> FloatArray:
    """Speed from distance over time between consecutive samples (NaN where undefined)."""
    speed = np.full(len(distance_m), np.nan)
    if len(distance_m) < 2:
        return speed
    dd = np.diff(distance_m)
    dt = np.diff(elapsed_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where((dt > 0) & (dt <= MAX_MOVING_GAP_S), dd / dt, np.nan)
    speed[1:] = np.where(step >= 0, step, np.nan)
    return speed


def moving_time_s(
    distance_m: FloatArray | None,
    speed_mps: FloatArray | None,
    *,
    elapsed_s: FloatArray,
    breaks: FloatArray,
) -> float | None:
    """Time spent moving (>= 0.5 m/s by distance, else by speed), pauses and breaks excluded."""
    if len(elapsed_s) < 2:
        return 0.0 if len(elapsed_s) else None
    dt = np.diff(elapsed_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        if distance_m is not None and np.isfinite(distance_m).sum() > 1:
            pace = np.diff(distance_m) / dt
        elif speed_mps is not None:
            pace = speed_mps[1:]
        else:
            return None
        moving = (dt > 0) & (dt <= MAX_MOVING_GAP_S) & (pace >= MOVING_SPEED_MPS)
    moving &= breaks[1:] == 0
    return float(np.sum(dt[moving]))


def running_cadence_spm(raw: FloatArray, speed_mps: FloatArray) -> tuple[FloatArray, bool]:
    """Running cadence in steps/min from a per-leg (strides/min) source; says if doubled.

    GPX `cad` and TCX `RunCadence` count one leg, so they are doubled, unless the values
    are already steps/min (some apps double them): a median above 130 per leg, or 100-130
    while moving slower than 3 m/s, is only plausible as steps/min and is kept.
    """
    moving = np.isfinite(raw) & (raw > 0)
    if not moving.any():
        return raw * 2.0, True
    median_raw = float(np.median(raw[moving]))
    speeds = speed_mps[moving & np.isfinite(speed_mps)]
    median_speed = float(np.median(speeds)) if len(speeds) else float("nan")
    already_steps = median_raw > 130 or (median_raw >= 100 and not median_speed >= 3.0)
    return (raw.copy(), False) if already_steps else (raw * 2.0, True)


#: Text sport names (GPX <type>, TCX Sport, Strava types) -> FIT vocabulary.
_SPORT_WORDS: tuple[tuple[str, str, str | None], ...] = (
    ("treadmill", "running", "treadmill"),
    ("trail", "running", "trail"),
    ("virtualrun", "running", "virtual_activity"),
    ("run", "running", None),
    ("virtualride", "cycling", "virtual_activity"),
    ("bik", "cycling", None),
    ("cycl", "cycling", None),
    ("ride", "cycling", None),
    ("walk", "walking", None),
    ("hik", "hiking", None),
    ("swim", "swimming", None),
    ("ski", "cross_country_skiing", None),
)
#: Strava's numeric GPX activity types (as written by its exporter).
_STRAVA_NUMERIC: dict[str, tuple[str, str | None]] = {
    "1": ("cycling", None),
    "9": ("running", None),
    "10": ("walking", None),
    "17": ("cycling", "virtual_activity"),
}


def normalise_sport(text: str | None) -> tuple[str, str | None]:
    """A free-text sport name -> (sport, sub_sport) in FIT's lower-case vocabulary."""
    if not text:
        return "generic", None
    word = text.strip().lower().replace(" ", "").replace("_", "")
    if word in _STRAVA_NUMERIC:
        return _STRAVA_NUMERIC[word]
    for needle, sport, sub_sport in _SPORT_WORDS:
        if needle in word:
            return sport, sub_sport
    return "generic", None

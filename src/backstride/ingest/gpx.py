"""GPX 1.0/1.1 reader: track points (with Garmin TrackPointExtension hr/cad) -> Activity.

Parsed with lxml (no entity resolution, no network, no huge trees); regular files then
have their columns pulled out by `gpx_scan` (one regex pass per column), others by one
C-level element walk; either way plain lists of strings become numpy columns, with no
per-point objects. All track
segments are joined, as in the GPX 1.1 schema and gpxpy: a segment start is a break that
adds no distance and whose gap is paused time, never moving time. A point
without `lat`/`lon` is dropped with a warning; points without a time are dropped with a
warning; a file with no timed track point is not an activity (a route or waypoints).
Running cadence (`cad`, per leg) is reported in steps/min (see `running_cadence_spm`);
other sports keep the device's cadence unchanged as `cadence_rpm`. A file that names no
sport (and has no hint from its export) gets one judged from its speed, with a warning.
"""

from __future__ import annotations

import numpy as np
from lxml import etree

from backstride.domain.activity import Activity, FloatArray
from backstride.errors import NotActivityFileError
from backstride.ingest.assemble import Track, assemble
from backstride.ingest.gpx_scan import scan_columns
from backstride.ingest.track import (
    Tag,
    local_name,
    normalise_sport,
    parse_root,
    parse_times,
    sha256_hex,
    to_floats,
)

#: Extension element local names -> sample channel (Garmin TPX v1/v2 and common variants).
_EXTENSION_CHANNELS = {
    "hr": "hr_bpm",
    "heartrate": "hr_bpm",
    "cad": "cadence_spm",
    "cadence": "cadence_spm",
    "power": "power_w",
    "watts": "power_w",
    "speed": "speed_mps",
}
_COLUMNS = ("time", "lat", "lon", "ele", "hr_bpm", "cadence_spm", "power_w", "speed_mps")


def read_gpx(
    data: bytes,
    *,
    source_name: str = "",
    sport_hint: str | None = None,
    source_hash: str | None = None,
) -> Activity:
    """Read a GPX file's tracks into one Activity (raises NotActivity/CorruptFileError)."""
    name = source_name or "GPX file"
    root, tag = parse_root(data, source_name=name, kind="GPX", root="gpx")
    fast = scan_columns(data)
    columns, breaks, dropped = (*fast, 0) if fast is not None else _collect_points(root, tag)
    if not columns["time"]:
        raise NotActivityFileError(f"{name}: no track points (expected <trk><trkseg><trkpt>)")
    sport, sub_sport = _sport(root, tag, sport_hint)
    track = Track(
        timestamp=parse_times(columns["time"], source_name=name),
        breaks=np.array(breaks, dtype=np.float64),
        channels=_channels(columns),
        sport=sport,
        sub_sport=sub_sport,
        source_format="gpx",
        source_hash=source_hash or sha256_hex(data),
        source_name=name,
        device=(root.get("creator") or "").strip()[:200] or None,
        name=_name(root, tag),
        segments_split_distance=True,
    )
    if dropped:
        track.warnings.append(f"{dropped} track points without lat/lon were dropped")
    return assemble(track)


def _collect_points(
    root: etree._Element, tag: Tag
) -> tuple[dict[str, list[str | None]], list[float], int]:
    """One C-level walk per track over the elements that matter, filling columns by index.

    Within a <trk>, time/ele/extension values only occur inside a <trkpt>, so each value
    belongs to the most recent point (the first value of a kind wins).
    """
    t_seg, t_pt = tag("trkseg"), tag("trkpt")
    wanted = (t_seg, t_pt, tag("time"), tag("ele"), *(f"{{*}}{n}" for n in _EXTENSION_CHANNELS))
    columns: dict[str, list[str | None]] = {c: [] for c in _COLUMNS}
    by_tag: dict[str, list[str | None]] = {tag("time"): columns["time"], tag("ele"): columns["ele"]}
    lats, lons, breaks = columns["lat"], columns["lon"], []
    others = [columns[c] for c in _COLUMNS if c not in ("lat", "lon")]
    current, new_segment, dropped = -1, 1.0, 0
    for trk in root.iterfind(tag("trk")):
        for element in trk.iter(*wanted):
            name = element.tag
            if name == t_pt:
                lat, lon = element.get("lat"), element.get("lon")
                if lat is None or lon is None:
                    dropped, current = dropped + 1, -1
                    continue
                lats.append(lat)
                lons.append(lon)
                for column in others:
                    column.append(None)
                breaks.append(new_segment)
                current, new_segment = len(lats) - 1, 0.0
            elif name == t_seg:
                current, new_segment = -1, 1.0
            elif current >= 0:
                values = by_tag.get(name) if isinstance(name, str) else None
                if values is None and isinstance(name, str):
                    values = by_tag[name] = columns[_column_for(name)]
                if values is not None and values[current] is None:
                    values[current] = element.text
    return columns, breaks, dropped


def _column_for(tag: str) -> str:
    return _EXTENSION_CHANNELS[local_name(tag).lower()]


def _channels(columns: dict[str, list[str | None]]) -> dict[str, FloatArray]:
    hr = to_floats(columns["hr_bpm"])
    hr[hr <= 0] = np.nan  # 0 bpm is a missing reading, not a heart rate
    return {
        "lat_deg": to_floats(columns["lat"]),
        "lon_deg": to_floats(columns["lon"]),
        "altitude_m": to_floats(columns["ele"]),
        "hr_bpm": hr,
        "cadence_spm": to_floats(columns["cadence_spm"]),
        "power_w": to_floats(columns["power_w"]),
        "speed_mps": to_floats(columns["speed_mps"]),
    }


def _sport(root: etree._Element, tag: Tag, hint: str | None) -> tuple[str, str | None]:
    trk = root.find(tag("trk"))
    kind = trk.findtext(tag("type")) if trk is not None else None
    sport, sub_sport = normalise_sport(kind)
    if sport == "generic" and hint:
        return normalise_sport(hint)
    return sport, sub_sport


def _name(root: etree._Element, tag: Tag) -> str | None:
    for path in (("trk", "name"), ("metadata", "name"), ("name",)):
        found = root.findtext("/".join(tag(p) for p in path))
        if found and found.strip():
            return found.strip()[:300]
    return None

"""TCX reader: laps and trackpoints (with TPX Speed/RunCadence/Watts extensions) -> Activity.

Parsed with lxml (no entity resolution, no network, no huge trees); blanks before `<?xml`
(Strava's TCX files) are tolerated. Trackpoints become columns of strings and then numpy
arrays; no per-point objects. A file holding several activities (or a multisport session)
yields its first activity and a warning. Running cadence (`RunCadence`, or `Cadence` for
running, per leg) is reported in steps/min after a plausibility check by speed (see
`running_cadence_spm`); other sports keep the device's cadence unchanged (rpm for cycling).
A file whose trackpoints carry no time but whose laps do becomes a lap-only activity
(no samples) with a warning.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from lxml import etree

from backstride.domain.activity import Activity, FloatArray, Lap, Samples
from backstride.errors import CorruptFileError, NotActivityFileError
from backstride.ingest.assemble import Track, assemble
from backstride.ingest.track import (
    Tag,
    local_name,
    normalise_sport,
    parse_root,
    parse_times,
    sha256_hex,
    to_floats,
)

_COLUMNS = ("time", "lat", "lon", "ele", "dist", "hr", "cad", "runcad", "speed", "watts")
_EXTENSIONS = {"speed": "speed", "runcadence": "runcad", "watts": "watts"}


def read_tcx(
    data: bytes,
    *,
    source_name: str = "",
    sport_hint: str | None = None,
    source_hash: str | None = None,
) -> Activity:
    """Read the first activity of a TCX file (raises NotActivity/CorruptFileError)."""
    name = source_name or "TCX file"
    root, tag = parse_root(data, source_name=name, kind="TCX", root="TrainingCenterDatabase")
    activities = list(root.iter(tag("Activity")))
    if not activities:
        raise NotActivityFileError(f"{name}: no <Activity> (a course or an empty file)")
    digest = source_hash or sha256_hex(data)
    track = _track(activities[0], tag, source_hash=digest, name=name, hint=sport_hint)
    if len(activities) > 1:
        track.warnings.append(f"file holds {len(activities)} activities: only the first was read")
    if not (~np.isnat(track.timestamp)).any() and track.laps:
        return _lap_only(track)
    return assemble(track)


def _track(
    activity: etree._Element, tag: Tag, *, source_hash: str, name: str, hint: str | None
) -> Track:
    columns: dict[str, list[str | None]] = {c: [] for c in _COLUMNS}
    breaks: list[float] = []
    laps: list[Lap] = []
    for lap in activity.iterfind(tag("Lap")):
        laps.append(_lap(lap, tag, name))
        first = 1.0
        for point in lap.iter(tag("Trackpoint")):
            _read_point(point, tag, columns)
            breaks.append(first)
            first = 0.0
    sport, sub_sport = normalise_sport(activity.get("Sport"))
    if sport == "generic" and hint:
        sport, sub_sport = normalise_sport(hint)
    channels = _channels(columns, running=sport == "running")
    track = Track(
        timestamp=parse_times(columns["time"], source_name=name),
        breaks=np.array(breaks, dtype=np.float64),
        channels=channels,
        sport=sport,
        sub_sport=sub_sport,
        source_format="tcx",
        source_hash=source_hash,
        source_name=name,
        device=_device(activity, tag),
        name=(activity.findtext(tag("Notes")) or "").strip()[:300] or None,
        laps=tuple(laps),
    )
    _totals_from_laps(track)
    return track


def _totals_from_laps(track: Track) -> None:
    """Distance and time from one source: the laps' totals when they carry a distance (as
    the device summed them), else the trackpoints; never lap distance over point time."""
    distances = [lap.distance_m for lap in track.laps if lap.distance_m is not None]
    seconds = sum(lap.duration_s for lap in track.laps)
    if distances and sum(distances) > 0 and seconds > 0:
        track.total_distance_m = float(sum(distances))
        track.total_timer_s = float(seconds)


def _read_point(point: etree._Element, tag: Tag, columns: dict[str, list[str | None]]) -> None:
    row: dict[str, str | None] = {}
    for child in point:
        key = _POINT_CHILDREN.get(local_name(child.tag))
        if key == "pos":
            for part in child:
                coord = local_name(part.tag)
                row["lat" if coord == "LatitudeDegrees" else "lon"] = part.text
        elif key == "hr":
            row["hr"] = child.findtext(tag("Value")) or (child[0].text if len(child) else None)
        elif key == "ext":
            for element in child.iter():
                column = _EXTENSIONS.get(local_name(element.tag).lower())
                if column is not None:
                    row[column] = element.text
        elif key is not None:
            row[key] = child.text
    for column in _COLUMNS:
        columns[column].append(row.get(column))


_POINT_CHILDREN = {
    "Time": "time",
    "Position": "pos",
    "AltitudeMeters": "ele",
    "DistanceMeters": "dist",
    "HeartRateBpm": "hr",
    "Cadence": "cad",
    "Extensions": "ext",
}


def _channels(columns: dict[str, list[str | None]], *, running: bool) -> dict[str, FloatArray]:
    hr = to_floats(columns["hr"])
    hr[hr <= 0] = np.nan  # 0 bpm is a missing reading
    cadence = to_floats(columns["runcad"])
    if not running or not np.isfinite(cadence).any():
        cadence = to_floats(columns["cad"])
    return {
        "lat_deg": to_floats(columns["lat"]),
        "lon_deg": to_floats(columns["lon"]),
        "altitude_m": to_floats(columns["ele"]),
        "distance_m": to_floats(columns["dist"]),
        "hr_bpm": hr,
        "cadence_spm": cadence,
        "speed_mps": to_floats(columns["speed"]),
        "power_w": to_floats(columns["watts"]),
    }


def _lap(lap: etree._Element, tag: Tag, name: str) -> Lap:
    start = lap.get("StartTime")
    if not start:
        raise CorruptFileError(f"{name}: <Lap> needs a StartTime attribute")
    stamp = parse_times([start], source_name=name)[0].astype("datetime64[ms]").item()
    if not isinstance(stamp, datetime):
        raise CorruptFileError(f"{name}: Lap StartTime must be a date-time, got {start!r}")
    duration = to_floats([lap.findtext(tag("TotalTimeSeconds"))])[0]
    distance = to_floats([lap.findtext(tag("DistanceMeters"))])[0]
    return Lap(
        start_time=stamp.replace(tzinfo=UTC),
        duration_s=float(duration) if np.isfinite(duration) else 0.0,
        distance_m=float(distance) if np.isfinite(distance) else None,
    )


def _device(activity: etree._Element, tag: Tag) -> str | None:
    creator = activity.find(tag("Creator"))
    if creator is None:
        return None
    text = (creator.findtext(tag("Name")) or "").strip()
    return text[:200] or None


def _lap_only(track: Track) -> Activity:
    """An activity from lap totals alone (its trackpoints carry no time)."""
    first = track.laps[0]
    duration = sum(lap.duration_s for lap in track.laps)
    empty = Samples(timestamp=np.array([], dtype="datetime64[ms]"), channels={})
    return Activity(
        sport=track.sport,
        sub_sport=track.sub_sport,
        start_time=first.start_time,
        duration_s=duration,
        moving_time_s=None,
        distance_m=track.total_distance_m,
        device=track.device,
        source_format="tcx",
        source_hash=track.source_hash,
        samples=empty,
        laps=track.laps,
        name=track.name,
        warnings=(*track.warnings, "trackpoints carry no time: summary from laps only"),
    )

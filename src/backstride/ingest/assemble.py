"""Turn raw columnar track arrays (from GPX or TCX) into a normalised Activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import Activity, FloatArray, Lap, Samples, TimeArray
from backstride.errors import NotActivityFileError
from backstride.ingest.sport import ON_FOOT, cadence_channel, infer_sport
from backstride.ingest.track import (
    cumulative_distance_m,
    derived_speed_mps,
    drop_invalid_markers,
    forward_fill,
    moving_time_s,
    running_cadence_spm,
    seconds_since_start,
)


@dataclass
class Track:
    """What an XML reader collected: one value per point, NaN/NaT where missing."""

    timestamp: TimeArray
    breaks: FloatArray  # 1.0 where a new segment/lap starts, else 0.0
    channels: dict[str, FloatArray]
    sport: str
    sub_sport: str | None
    source_format: str
    source_hash: str
    source_name: str
    device: str | None = None
    name: str | None = None
    laps: tuple[Lap, ...] = ()
    total_distance_m: float | None = None
    #: True when a break is a GPX segment boundary: no distance is bridged across it
    segments_split_distance: bool = False
    #: the laps' summed time, set with total_distance_m when both come from lap totals
    total_timer_s: float | None = None
    warnings: list[str] = field(default_factory=list)


def assemble(track: Track) -> Activity:
    """Drop untimed points, order by time, derive distance/speed, normalise cadence."""
    _keep_timed_points(track)
    _sort_by_time(track)
    elapsed = seconds_since_start(track.timestamp)
    marker_warning = drop_invalid_markers(track.channels)
    if marker_warning:
        track.warnings.append(marker_warning)
    channels = {k: v for k, v in track.channels.items() if np.isfinite(v).any()}
    distance = _distance(track, channels)
    if "speed_mps" not in channels and distance is not None:
        speed = derived_speed_mps(distance, elapsed)
        if track.segments_split_distance:
            speed[track.breaks > 0] = np.nan  # no speed across a reception gap
        channels["speed_mps"] = speed
    if track.sport == "generic":
        _infer_sport(track, channels.get("speed_mps"), channels.get("cadence_spm"))
    _cadence(track, channels)
    return _activity(track, channels, elapsed, distance)


def _distance(track: Track, channels: dict[str, FloatArray]) -> FloatArray | None:
    distance = channels.get("distance_m")
    if distance is not None:
        distance = channels["distance_m"] = forward_fill(distance)
    elif "lat_deg" in channels:
        breaks = track.breaks if track.segments_split_distance else None
        distance = cumulative_distance_m(channels["lat_deg"], channels["lon_deg"], breaks=breaks)
        channels["distance_m"] = distance
    return distance


def _infer_sport(track: Track, speed: FloatArray | None, cadence: FloatArray | None) -> None:
    inferred = infer_sport(speed, cadence)
    if inferred is not None:
        track.sport, track.sub_sport = inferred.sport, None
        track.warnings.append(inferred.warning())


def _cadence(track: Track, channels: dict[str, FloatArray]) -> None:
    """On-foot cadence in steps/min (doubled from one leg unless already doubled); any
    other sport's cadence moves to `cadence_rpm` as recorded."""
    raw = channels.pop("cadence_spm", None)
    if raw is None:
        return
    if track.sport not in ON_FOOT:
        channels[cadence_channel(track.sport)] = raw
        return
    speed = channels.get("speed_mps", np.full(len(raw), np.nan))
    channels["cadence_spm"], doubled = running_cadence_spm(raw, speed)
    if not doubled:
        track.warnings.append("cadence already in steps/min: kept as recorded")


def _keep_timed_points(track: Track) -> None:
    timed = ~np.isnat(track.timestamp)
    if not timed.any():
        raise NotActivityFileError(
            f"{track.source_name}: no timestamps in the track "
            "(a planned route, not a recorded activity)"
        )
    if timed.all():
        return
    track.warnings.append(f"{int((~timed).sum())} points without a time were dropped")
    _select(track, timed)


def _sort_by_time(track: Track) -> None:
    steps = np.diff(track.timestamp.astype(np.int64))
    if (steps >= 0).all():
        return
    track.warnings.append(f"{int((steps < 0).sum())} points out of time order were re-ordered")
    _select(track, np.argsort(track.timestamp, kind="stable"))


def _select(track: Track, which: npt.NDArray[np.intp] | npt.NDArray[np.bool_]) -> None:
    track.timestamp = track.timestamp[which]
    track.breaks = track.breaks[which]
    track.channels = {name: values[which] for name, values in track.channels.items()}


def _activity(
    track: Track, channels: dict[str, FloatArray], elapsed: FloatArray, distance: FloatArray | None
) -> Activity:
    start = track.timestamp[0].astype("datetime64[ms]").item()
    finite_distance = distance[np.isfinite(distance)] if distance is not None else np.array([])
    total = track.total_distance_m
    if total is None and len(finite_distance):
        total = float(finite_distance[-1] - finite_distance[0])
    speed = channels.get("speed_mps")
    moving = moving_time_s(distance, speed, elapsed_s=elapsed, breaks=track.breaks)
    duration = float(elapsed[-1])
    if track.total_timer_s is not None:  # lap totals: distance and time from one source
        moving = track.total_timer_s
        duration = max(duration, moving)
    return Activity(
        sport=track.sport,
        sub_sport=track.sub_sport,
        start_time=start.replace(tzinfo=UTC) if isinstance(start, datetime) else start,
        duration_s=duration,
        moving_time_s=moving,
        distance_m=total,
        device=track.device,
        source_format=track.source_format,
        source_hash=track.source_hash,
        samples=Samples(timestamp=track.timestamp, channels=channels),
        laps=track.laps,
        name=track.name,
        warnings=tuple(track.warnings),
    )

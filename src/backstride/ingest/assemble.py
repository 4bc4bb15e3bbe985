"""Turn raw columnar track arrays (from GPX or TCX) into a normalised Activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import Activity, FloatArray, Lap, Samples, TimeArray
from backstride.errors import NotActivityFileError
from backstride.ingest.track import (
    cumulative_distance_m,
    derived_speed_mps,
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
    warnings: list[str] = field(default_factory=list)


def assemble(track: Track) -> Activity:
    """Drop untimed points, order by time, derive distance/speed, normalise cadence."""
    _keep_timed_points(track)
    _sort_by_time(track)
    elapsed = seconds_since_start(track.timestamp)
    channels = {k: v for k, v in track.channels.items() if np.isfinite(v).any()}
    distance = channels.get("distance_m")
    if distance is not None:
        distance = channels["distance_m"] = forward_fill(distance)
    elif "lat_deg" in channels:
        distance = cumulative_distance_m(channels["lat_deg"], channels["lon_deg"])
        channels["distance_m"] = distance
    if "speed_mps" not in channels and distance is not None:
        channels["speed_mps"] = derived_speed_mps(distance, elapsed)
    if track.sport == "running" and "cadence_spm" in channels:
        speed = channels.get("speed_mps", np.full(len(elapsed), np.nan))
        channels["cadence_spm"], doubled = running_cadence_spm(channels["cadence_spm"], speed)
        if not doubled:
            track.warnings.append("cadence already in steps/min: kept as recorded")
    return _activity(track, channels, elapsed, distance)


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
    return Activity(
        sport=track.sport,
        sub_sport=track.sub_sport,
        start_time=start.replace(tzinfo=UTC) if isinstance(start, datetime) else start,
        duration_s=float(elapsed[-1]),
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

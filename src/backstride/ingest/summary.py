"""Summary values of one Activity (what `activity summary` prints and the store keeps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from backstride.domain.activity import Activity, FloatArray

#: Channels whose presence means the device recorded running dynamics.
_DYNAMICS = ("vertical_oscillation_mm", "stance_time_ms", "vertical_ratio_pct")


@dataclass(frozen=True, slots=True)
class FileSummary:
    """An activity's headline numbers; averages skip missing and zero readings."""

    sport: str
    start_time: datetime
    duration_s: float
    distance_m: float | None
    records: int
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    avg_cadence_spm: float | None
    avg_speed_mps: float | None
    has_running_dynamics: bool

    def as_json(self) -> dict[str, object]:
        """The stable JSON form: exactly the documented keys, ISO 8601 UTC start time."""
        return {
            "sport": self.sport,
            "start_time": iso_utc(self.start_time),
            "duration_s": _round(self.duration_s, 1),
            "distance_m": _round(self.distance_m, 1),
            "records": self.records,
            "avg_hr_bpm": _round(self.avg_hr_bpm, 1),
            "avg_cadence_spm": _round(self.avg_cadence_spm, 1),
            "avg_speed_mps": _round(self.avg_speed_mps, 3),
            "has_running_dynamics": self.has_running_dynamics,
        }


def iso_utc(moment: datetime) -> str:
    """`2019-08-11T07:02:03Z` (whole seconds, UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def summarize(activity: Activity) -> FileSummary:
    """Headline numbers of an activity from its metadata and samples."""
    samples = activity.samples
    hr = _positive(samples.get("hr_bpm"))
    cadence = _positive(samples.get("cadence_spm"))
    return FileSummary(
        sport=activity.sport,
        start_time=activity.start_time,
        duration_s=float(activity.duration_s),
        distance_m=activity.distance_m,
        records=len(samples),
        avg_hr_bpm=float(hr.mean()) if len(hr) else None,
        max_hr_bpm=float(hr.max()) if len(hr) else None,
        avg_cadence_spm=float(cadence.mean()) if len(cadence) else None,
        avg_speed_mps=_avg_speed(activity),
        has_running_dynamics=any(_positive(samples.get(c)).size for c in _DYNAMICS),
    )


def _positive(values: FloatArray | None) -> FloatArray:
    if values is None:
        return np.empty(0)
    return values[np.isfinite(values) & (values > 0)]


def _avg_speed(activity: Activity) -> float | None:
    distance = activity.distance_m
    if distance is not None and distance > 0:
        seconds = activity.moving_time_s or activity.duration_s
        if seconds and seconds > 0:
            return distance / seconds
    speed = _positive(activity.samples.get("speed_mps"))
    return float(speed.mean()) if len(speed) else None

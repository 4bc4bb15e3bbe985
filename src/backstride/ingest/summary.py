"""Summary values of one Activity (what `activity summary` prints and the store keeps).

The JSON form has the nine original keys with their original meaning (`avg_cadence_spm`
is steps per minute of on-foot sports only) plus, since they were added:
`avg_cadence_rpm` (any other sport's cadence: pedal revolutions or strokes per minute),
`legs` (a multisport file's sessions, each with the same averages; empty otherwise) and
`warnings` (what the reader repaired or could not know, as `import` reports it).
`start_time` is null when the file's clock cannot be placed on the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from backstride.domain.activity import Activity, FloatArray, Leg, Samples
from backstride.ingest.fit_time import CLOCK_UNKNOWN

#: Channels whose presence means the device recorded running dynamics.
_DYNAMICS = ("vertical_oscillation_mm", "stance_time_ms", "vertical_ratio_pct")


@dataclass(frozen=True, slots=True)
class LegSummary:
    """One leg of a multisport activity with its own averages."""

    sport: str
    start_time: datetime
    duration_s: float
    distance_m: float | None
    avg_hr_bpm: float | None
    avg_cadence_spm: float | None
    avg_cadence_rpm: float | None

    def as_json(self) -> dict[str, object]:
        """The leg's JSON form (ISO 8601 UTC start)."""
        return {
            "sport": self.sport,
            "start_time": iso_utc(self.start_time),
            "duration_s": _round(self.duration_s, 1),
            "distance_m": _round(self.distance_m, 1),
            "avg_hr_bpm": _round(self.avg_hr_bpm, 1),
            "avg_cadence_spm": _round(self.avg_cadence_spm, 1),
            "avg_cadence_rpm": _round(self.avg_cadence_rpm, 1),
        }


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
    avg_cadence_rpm: float | None = None
    legs: tuple[LegSummary, ...] = ()
    warnings: tuple[str, ...] = ()
    start_time_known: bool = True

    def as_json(self) -> dict[str, object]:
        """The stable JSON form: the documented keys, ISO 8601 UTC start time."""
        return {
            "sport": self.sport,
            "start_time": iso_utc(self.start_time) if self.start_time_known else None,
            "duration_s": _round(self.duration_s, 1),
            "distance_m": _round(self.distance_m, 1),
            "records": self.records,
            "avg_hr_bpm": _round(self.avg_hr_bpm, 1),
            "avg_cadence_spm": _round(self.avg_cadence_spm, 1),
            "avg_speed_mps": _round(self.avg_speed_mps, 3),
            "has_running_dynamics": self.has_running_dynamics,
            "avg_cadence_rpm": _round(self.avg_cadence_rpm, 1),
            "legs": [leg.as_json() for leg in self.legs],
            "warnings": list(self.warnings),
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
    return FileSummary(
        sport=activity.sport,
        start_time=activity.start_time,
        duration_s=float(activity.duration_s),
        distance_m=activity.distance_m,
        records=len(samples),
        avg_hr_bpm=float(hr.mean()) if len(hr) else None,
        max_hr_bpm=float(hr.max()) if len(hr) else None,
        avg_cadence_spm=_mean(samples.get("cadence_spm")),
        avg_speed_mps=_avg_speed(activity),
        has_running_dynamics=any(_positive(samples.get(c)).size for c in _DYNAMICS),
        avg_cadence_rpm=_mean(samples.get("cadence_rpm")),
        legs=tuple(_leg(leg, samples) for leg in activity.legs),
        warnings=activity.warnings,
        start_time_known=CLOCK_UNKNOWN not in activity.warnings,
    )


def _leg(leg: Leg, samples: Samples) -> LegSummary:
    start = np.datetime64(leg.start_time.astimezone(UTC).replace(tzinfo=None), "ms")
    end = start + np.timedelta64(round(leg.duration_s * 1000), "ms")
    inside = (samples.timestamp >= start) & (samples.timestamp < end)

    def mean(name: str) -> float | None:
        values = samples.get(name)
        return None if values is None else _mean(values[inside])

    return LegSummary(
        sport=leg.sport,
        start_time=leg.start_time,
        duration_s=leg.duration_s,
        distance_m=leg.distance_m,
        avg_hr_bpm=mean("hr_bpm"),
        avg_cadence_spm=mean("cadence_spm"),
        avg_cadence_rpm=mean("cadence_rpm"),
    )


def _mean(values: FloatArray | None) -> float | None:
    positive = _positive(values)
    return float(positive.mean()) if len(positive) else None


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

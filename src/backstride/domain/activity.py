"""One normalised activity: metadata plus columnar samples (numpy arrays, units in names)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
TimeArray = npt.NDArray[np.datetime64]

#: Every sample channel an Activity may carry, with its unit in the name.
#: `timestamp` is datetime64[ms] in UTC; every other channel is float64 with NaN for missing.
SAMPLE_CHANNELS: tuple[str, ...] = (
    "timestamp",
    "lat_deg",
    "lon_deg",
    "distance_m",
    "speed_mps",
    "altitude_m",
    "hr_bpm",
    "cadence_spm",
    "cadence_rpm",  # any other sport's cadence: pedal revolutions or strokes per minute
    "vertical_oscillation_mm",
    "stance_time_ms",
    "step_length_mm",
    "vertical_ratio_pct",
    "power_w",
)


@dataclass(frozen=True, slots=True)
class Lap:
    """A lap as the device recorded it."""

    start_time: datetime
    duration_s: float
    distance_m: float | None


@dataclass(frozen=True, slots=True)
class Leg:
    """One sport's part of a multisport activity (a FIT session), transitions included."""

    sport: str
    start_time: datetime
    duration_s: float
    distance_m: float | None


@dataclass(frozen=True, slots=True)
class Samples:
    """Columnar samples: `timestamp` plus any subset of SAMPLE_CHANNELS, equal lengths."""

    timestamp: TimeArray
    channels: dict[str, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.timestamp)
        for name, values in self.channels.items():
            if name not in SAMPLE_CHANNELS or name == "timestamp":
                raise ValueError(f"unknown sample channel {name!r}")
            if len(values) != n:
                raise ValueError(f"channel {name} has {len(values)} samples, expected {n}")

    def __len__(self) -> int:
        return len(self.timestamp)

    def get(self, name: str) -> FloatArray | None:
        """The channel's array, or None when the activity has no such channel."""
        return self.channels.get(name)


@dataclass(frozen=True, slots=True)
class Activity:
    """A normalised activity from any source format.

    `sport`/`sub_sport` use FIT's vocabulary in lower case (running, cycling, treadmill,
    trail, track, street, generic, …). `start_time` is timezone-aware UTC.
    """

    sport: str
    sub_sport: str | None
    start_time: datetime
    duration_s: float
    moving_time_s: float | None
    distance_m: float | None
    device: str | None
    source_format: str  # fit | gpx | tcx
    source_hash: str  # sha256 hex of the (decompressed) file bytes
    samples: Samples
    laps: tuple[Lap, ...] = ()
    name: str | None = None
    gear: str | None = None  # shoe/gear name when the source says (Strava export)
    warnings: tuple[str, ...] = ()
    legs: tuple[Leg, ...] = ()  # multisport only: each sport's session, in time order

    @property
    def is_running(self) -> bool:
        """True for running of any sub-sport (road, treadmill, trail, track)."""
        return self.sport == "running"

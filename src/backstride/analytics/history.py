"""The training history as the analytics core sees it: run summaries and daily series.

Activities arrive as `TrainingActivity` values (from the store or built in a test) and are
turned once into columnar numpy arrays; every metric then works on those arrays.
A day is the calendar date of `start_time` as given (the service passes local time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from backstride.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class TrainingActivity:
    """One activity's summary: enough for load, spikes, shoes and surfaces."""

    key: str  # source hash (stable activity key)
    start_time: datetime
    distance_m: float
    duration_s: float
    sport: str = "running"
    sub_sport: str | None = None
    surface_tag: str | None = None  # the runner's own tag wins over sub_sport
    shoe: str | None = None
    avg_hr_bpm: float | None = None

    @property
    def day(self) -> date:
        """The calendar day of `start_time` (in the zone it carries)."""
        return self.start_time.date()

    @property
    def is_running(self) -> bool:
        """True for running of any sub-sport."""
        return self.sport == "running"


@dataclass(frozen=True, slots=True)
class RunColumns:
    """Running activities as sorted columns (by start time)."""

    keys: tuple[str, ...]
    day_index: IntArray  # days since `first_day`
    distance_km: FloatArray
    duration_min: FloatArray
    surfaces: tuple[str, ...]
    shoes: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class DailySeries:
    """One row per calendar day from `first_day` to `last_day` inclusive (rest days = 0)."""

    first_day: date
    distance_km: FloatArray  # running distance
    duration_min: FloatArray  # running time
    runs: IntArray  # number of runs that day
    recorded: BoolArray  # any activity of any sport recorded that day
    longest_run_km: FloatArray

    def __len__(self) -> int:
        return len(self.distance_km)

    @property
    def last_day(self) -> date:
        """The final day of the series."""
        return self.first_day + timedelta(days=len(self) - 1)

    def index_of(self, day: date) -> int:
        """The row of `day` (may lie outside the series: callers check bounds)."""
        return (day - self.first_day).days

    def day_at(self, index: int) -> date:
        """The calendar day of row `index`."""
        return self.first_day + timedelta(days=int(index))


def surface_of(sub_sport: str | None, tag: str | None) -> str:
    """Surface from the runner's tag, else FIT sub_sport; road, treadmill, trail, track or unknown.

    References: garmin-fit-sdk
    """
    known = {
        "street": "road",
        "road": "road",
        "pavement": "road",
        "treadmill": "treadmill",
        "indoor_running": "treadmill",
        "trail": "trail",
        "track": "track",
    }
    if tag is not None and tag.strip():
        name = tag.strip().lower()
        return known.get(name, name)  # a free-form tag the runner chose ("grass", "sand")
    if sub_sport is not None:
        return known.get(sub_sport.strip().lower(), "unknown")
    return "unknown"


def run_columns(activities: Sequence[TrainingActivity], *, first_day: date) -> RunColumns:
    """Columns of the running activities, sorted by start time."""
    runs = sorted((a for a in activities if a.is_running), key=lambda a: a.start_time)
    first = first_day.toordinal()
    return RunColumns(
        keys=tuple(a.key for a in runs),
        day_index=np.fromiter((a.day.toordinal() - first for a in runs), np.int64, len(runs)),
        distance_km=np.fromiter((a.distance_m / 1000.0 for a in runs), np.float64, len(runs)),
        duration_min=np.fromiter((a.duration_s / 60.0 for a in runs), np.float64, len(runs)),
        surfaces=tuple(surface_of(a.sub_sport, a.surface_tag) for a in runs),
        shoes=tuple(a.shoe for a in runs),
    )


def daily_series(
    activities: Sequence[TrainingActivity], *, first_day: date, last_day: date
) -> DailySeries:
    """Daily running distance/time, run counts, longest run and recorded-day mask."""
    if last_day < first_day:
        raise InputError(f"last_day must be on or after first_day, got {last_day} < {first_day}")
    n = (last_day - first_day).days + 1
    cols = run_columns(activities, first_day=first_day)
    inside = (cols.day_index >= 0) & (cols.day_index < n)
    idx = cols.day_index[inside]
    distance = np.bincount(idx, weights=cols.distance_km[inside], minlength=n)
    longest = np.zeros(n)
    np.maximum.at(longest, idx, cols.distance_km[inside])
    recorded = np.zeros(n, dtype=np.bool_)
    first = first_day.toordinal()
    all_idx = np.fromiter((a.day.toordinal() - first for a in activities), np.int64)
    recorded[all_idx[(all_idx >= 0) & (all_idx < n)]] = True
    return DailySeries(
        first_day=first_day,
        distance_km=distance.astype(np.float64),
        duration_min=np.bincount(idx, weights=cols.duration_min[inside], minlength=n).astype(
            np.float64
        ),
        runs=np.bincount(idx, minlength=n).astype(np.int64),
        recorded=recorded,
        longest_run_km=longest,
    )

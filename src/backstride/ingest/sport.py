"""Which sport a track is, when the file does not say, and which cadence channel it fills.

On-foot sports (running, walking, hiking) count steps: their cadence is `cadence_spm`
(steps per minute, both feet). Every other sport's cadence is the device's own count per
minute (pedal revolutions for cycling, strokes for swimming or rowing) and goes to
`cadence_rpm`, so a ride's 85 rpm is never read as 85 steps per minute.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from backstride.domain.activity import Activity, FloatArray, Samples

ON_FOOT = frozenset({"running", "walking", "hiking"})
#: Below this median moving speed a track is a walk (m/s; about 6.8 km/h).
WALK_MAX_MPS = 1.9
#: Above this median moving speed a track is a ride (m/s; 16 km/h, a 3:42 min/km run).
RUN_MAX_MPS = 4.5
#: A larger share of zero cadence while moving is coasting: only a ride does that.
COASTING_SHARE = 0.15
#: Plausible median cadence per minute, as one leg or as both feet, for each gait.
GAIT_CADENCE = {
    "running": ((60.0, 110.0), (120.0, 220.0)),
    "walking": ((40.0, 70.0), (80.0, 140.0)),
}
#: Speeds below this are standing still and say nothing about the sport (m/s).
STILL_MPS = 0.5
#: Fewer moving samples than this are too few to judge a sport from.
MIN_SAMPLES = 30


@dataclass(frozen=True, slots=True)
class InferredSport:
    """A sport judged from the speed profile, with the figure it rests on."""

    sport: str
    median_speed_mps: float

    def warning(self) -> str:
        """The sentence that tells a person the sport was judged, not read."""
        return (
            f"the file names no sport: taken as {self.sport} from its speed "
            f"(median {self.median_speed_mps:.1f} m/s while moving) and cadence"
        )


def infer_sport(speed_mps: FloatArray | None, cadence: FloatArray | None) -> InferredSport | None:
    """Walking, running or cycling from moving speed and cadence; None when unsure.

    Only a track with cadence is judged (the sport decides what its cadence counts):
    a ride is fast (median above 4.5 m/s) or coasts (zero cadence while moving); a run
    or a walk needs a cadence that gait can have at that speed.
    """
    if speed_mps is None or cadence is None:
        return None
    moving = np.isfinite(speed_mps) & (speed_mps >= STILL_MPS) & np.isfinite(cadence)
    if moving.sum() < MIN_SAMPLES:
        return None
    speed, steps = speed_mps[moving], cadence[moving]
    turning = steps[steps > 0]
    if len(turning) < MIN_SAMPLES:
        return None
    median = float(np.median(speed))
    if median > RUN_MAX_MPS or 1.0 - len(turning) / len(steps) > COASTING_SHARE:
        return InferredSport("cycling", median)
    gait = "walking" if median < WALK_MAX_MPS else "running"
    per_minute = float(np.median(turning))
    if any(low <= per_minute <= high for low, high in GAIT_CADENCE[gait]):
        return InferredSport(gait, median)
    return None


def cadence_channel(sport: str) -> str:
    """`cadence_spm` for on-foot sports, `cadence_rpm` for every other sport."""
    return "cadence_spm" if sport in ON_FOOT else "cadence_rpm"


def with_sport(activity: Activity, sport: str, sub_sport: str | None) -> Activity:
    """The activity as `sport` (named by an export's metadata after a FIT file said
    nothing): an on-foot sport's per-leg cadence moves to steps/min, doubled."""
    channels = dict(activity.samples.channels)
    if sport in ON_FOOT and "cadence_rpm" in channels and "cadence_spm" not in channels:
        channels["cadence_spm"] = channels.pop("cadence_rpm") * 2.0
    samples = Samples(timestamp=activity.samples.timestamp, channels=channels)
    return replace(activity, sport=sport, sub_sport=sub_sport, samples=samples)

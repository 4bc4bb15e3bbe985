"""FIT `record` messages -> Samples channels (units in names, NaN for missing)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import FloatArray, Samples
from backstride.ingest import fit_native
from backstride.ingest.fit_decode import DecodedFit, MessageTable
from backstride.ingest.fit_developer import DeveloperField
from backstride.ingest.fit_hr import merged_heart_rate, seconds_of
from backstride.ingest.fit_profile import enum_name
from backstride.ingest.sport import ON_FOOT

SEMICIRCLE_DEG = 180.0 / 2**31
__all__ = ["ON_FOOT", "SEMICIRCLE_DEG", "record_samples"]

#: channel -> (preferred record field, fallback record field)
_NATIVE: dict[str, tuple[str, str | None]] = {
    "distance_m": ("distance", None),
    "speed_mps": ("enhanced_speed", "speed"),
    "altitude_m": ("enhanced_altitude", "altitude"),
    "hr_bpm": ("heart_rate", None),
    "vertical_oscillation_mm": ("vertical_oscillation", None),
    "stance_time_ms": ("stance_time", None),
    "step_length_mm": ("step_length", None),
    "vertical_ratio_pct": ("vertical_ratio", None),
    "power_w": ("power", None),
}
#: record field numbers a developer field may name as its native equivalent
_NATIVE_NUMBERS = {
    2: "altitude_m",
    3: "hr_bpm",
    5: "distance_m",
    6: "speed_mps",
    7: "power_w",
    39: "vertical_oscillation_mm",
    41: "stance_time_ms",
    73: "speed_mps",
    78: "altitude_m",
    83: "vertical_ratio_pct",
    85: "step_length_mm",
}
#: developer field names (lower case) -> channel, for apps that do not name a native field
_DEV_NAMES = {
    "power": "power_w",
    "ground time": "stance_time_ms",
    "ground contact time": "stance_time_ms",
    "stance time": "stance_time_ms",
    "vertical oscillation": "vertical_oscillation_mm",
}
_TO_MM = {"mm": 1.0, "millimeters": 1.0, "cm": 10.0, "centimeters": 10.0, "m": 1000.0}
#: the warning about records without a time (a %-template; the compiled core fills it too)
UNTIMED = "%d record messages without a timestamp were dropped"
#: the warning about strap heart rate merged into the records (a %-template, as UNTIMED)
STRAP_MERGED = "heart rate stored by the strap was merged into %d records"
#: every record field the samples are made from (read_fit decodes these alone)
RECORD_FIELDS = frozenset(
    {"timestamp", "position_lat", "position_long", "cadence", "fractional_cadence"}
    | {"compressed_speed_distance"}  # split into speed and distance (fit_decode)
    | {name for pair in _NATIVE.values() for name in pair if name}
)


def core_kit() -> dict[str, object]:
    """What the compiled core's Activity path reads from this module (one copy of each
    table: the channels, their record and developer fields, units and warnings)."""
    return {
        "native": tuple((channel, *pair) for channel, pair in _NATIVE.items()),
        "native_numbers": dict(_NATIVE_NUMBERS),
        "dev_names": dict(_DEV_NAMES),
        "to_mm": dict(_TO_MM),
        "untimed": UNTIMED,
        "strap_merged": STRAP_MERGED,
        "on_foot": ON_FOOT,
        "semicircle_deg": SEMICIRCLE_DEG,
    }


def record_samples(decoded: DecodedFit, *, default_sport: str) -> tuple[Samples, tuple[str, ...]]:
    """The activity's samples from its record messages (rows without a time are dropped)."""
    records = decoded.table("record")
    if records is None or len(records) == 0:
        return Samples(np.zeros(0, dtype="datetime64[ms]")), ()
    stamps = records.get("timestamp")
    if stamps is None or stamps.dtype.kind != "M":
        stamps = np.full(len(records), np.datetime64("NaT"), dtype="datetime64[ms]")
    untimed = np.isnat(stamps)
    some_untimed = bool(untimed.any())
    warnings: tuple[str, ...] = ()
    if some_untimed:
        dropped = int(untimed.sum())
        warnings = (UNTIMED % dropped,)
    channels = _channels(decoded, records)
    channels.update(_cadence(decoded, records, stamps, default_sport))
    warnings += _merge_hr_messages(decoded, stamps, channels)
    if some_untimed:
        keep = ~untimed
        stamps = stamps[keep]
        channels = {name: values[keep] for name, values in channels.items()}
    samples = Samples(
        timestamp=stamps.astype("datetime64[ms]", copy=False),
        channels={name: values for name, values in channels.items() if _any_value(values)},
    )
    return samples, warnings


def _merge_hr_messages(
    decoded: DecodedFit, stamps: npt.NDArray[np.datetime64], channels: dict[str, FloatArray]
) -> tuple[str, ...]:
    """Fill records without a heart rate from the file's `hr` messages (a strap's store)."""
    hr = decoded.table("hr")
    if hr is None or len(hr) == 0:
        return ()
    merged = merged_heart_rate(hr, seconds_of(stamps))
    if merged is None:
        return ()
    own = channels.get("hr_bpm")
    missing = np.isnan(merged) if own is None else np.isnan(own) & ~np.isnan(merged)
    filled = int((~np.isnan(merged)).sum()) if own is None else int(missing.sum())
    if filled == 0:
        return ()
    channels["hr_bpm"] = merged if own is None else np.where(missing, merged, own)
    return (STRAP_MERGED % filled,)


def _any_value(values: FloatArray) -> bool:
    """True unless every value is missing (cheap when the first one is present)."""
    if not len(values):
        return False
    first = values[0]
    if first == first:  # not NaN
        return True
    core = fit_native.CORE
    found = None if core is None else core.any_number(values)
    return bool(found) if found is not None else not np.isnan(values).all()


def _number(
    records: MessageTable, name: str | None, *, developer: bool = False
) -> FloatArray | None:
    """A 1-D float column (first element of an array field), None when absent or empty."""
    source = records.developer if developer else records.fields
    column = None if name is None else source.get(name)
    if column is None or column.dtype.kind != "f":
        return None
    values = column if column.ndim == 1 else column[:, 0]
    if not _any_value(values):
        return None
    return values if values.dtype == np.float64 else values.astype(np.float64)


def _channels(decoded: DecodedFit, records: MessageTable) -> dict[str, FloatArray]:
    out: dict[str, FloatArray] = {}
    lat, lon = _number(records, "position_lat"), _number(records, "position_long")
    if lat is not None and lon is not None:
        out["lat_deg"], out["lon_deg"] = lat * SEMICIRCLE_DEG, lon * SEMICIRCLE_DEG
    present = records.fields.keys()
    for channel, (preferred, fallback) in _NATIVE.items():
        if preferred not in present and fallback not in present:
            continue  # most files carry a few of these fields
        first, second = _number(records, preferred), _number(records, fallback)
        if first is not None and second is not None:
            out[channel] = np.where(np.isnan(first), second, first)
        elif first is not None or second is not None:
            out[channel] = first if first is not None else second  # type: ignore[assignment]
    if not decoded.developer_fields:
        return out
    for channel, values in _developer_channels(decoded, records).items():
        out.setdefault(channel, values)  # native fields win over developer fields
    return out


def _developer_channels(decoded: DecodedFit, records: MessageTable) -> dict[str, FloatArray]:
    out: dict[str, FloatArray] = {}
    for name, described in decoded.developer_fields.items():
        channel = _developer_channel(described)
        values = _number(records, name, developer=True) if channel else None
        if channel is None or values is None or channel in out:
            continue
        if channel == "vertical_oscillation_mm":  # Stryd says cm even when naming field 39
            factor = _TO_MM.get((described.units or "mm").strip().lower(), 1.0)
            values = values * factor
        out[channel] = values
    return out


def _developer_channel(described: DeveloperField) -> str | None:
    if described.native_field in _NATIVE_NUMBERS:
        return _NATIVE_NUMBERS[described.native_field]
    return _DEV_NAMES.get(described.name.strip().lower())


def _cadence(
    decoded: DecodedFit,
    records: MessageTable,
    stamps: npt.NDArray[np.datetime64],
    default_sport: str,
) -> dict[str, FloatArray]:
    """Cadence + fractional cadence: doubled to steps/min (`cadence_spm`) on on-foot
    records, as recorded (`cadence_rpm`) on the records of any other sport."""
    cadence = _number(records, "cadence")
    if cadence is None:
        return {}
    fraction = _number(records, "fractional_cadence")
    if fraction is not None:
        part = np.where(np.isnan(fraction), 0.0, fraction)
        if np.isinf(part).any():  # as nan_to_num: infinities become the largest floats
            part = np.nan_to_num(part)
        cadence = cadence + part
    factor = _foot_factor(decoded, stamps, default_sport)
    if isinstance(factor, float):
        return {"cadence_spm" if factor == 2.0 else "cadence_rpm": cadence * factor}
    on_foot = factor == 2.0
    return {
        "cadence_spm": np.where(on_foot, cadence * 2.0, np.nan),
        "cadence_rpm": np.where(on_foot, np.nan, cadence),
    }


def _foot_factor(
    decoded: DecodedFit, stamps: npt.NDArray[np.datetime64], default_sport: str
) -> FloatArray | float:
    """2 for records inside an on-foot session (or file sport), 1 elsewhere."""
    sessions = decoded.table("session")
    starts = None if sessions is None else sessions.get("start_time")
    sports = None if sessions is None else sessions.number("sport")
    if starts is None or sports is None or starts.dtype.kind != "M" or len(starts) < 2:
        return 2.0 if default_sport in ON_FOOT else 1.0
    factor = np.ones(len(stamps))
    first = True
    for i in np.argsort(starts).tolist():
        if np.isnat(starts[i]):
            continue
        on_foot = enum_name("sport", sports[i]) in ON_FOOT
        # records before the first session belong to it; later ones to the latest start
        factor[slice(None) if first else stamps >= starts[i]] = 2.0 if on_foot else 1.0
        first = False
    return factor

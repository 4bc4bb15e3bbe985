"""Read a FIT activity file into a normalised Activity (vectorised decoder, no per-field loop).

Decoding is columnar (see fit_scan / fit_columns / fit_decode): one pass over message
headers, then every field of every message sharing a definition decoded at once with numpy.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from types import ModuleType

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import Activity, FloatArray, Lap, Leg, Samples
from backstride.errors import CorruptFileError, IngestError, NotActivityFileError
from backstride.ingest import fit_decode, fit_developer, fit_native, fit_samples, fit_time
from backstride.ingest.fit_decode import DecodedFit, MessageTable, decode_fit, decode_unguarded
from backstride.ingest.fit_profile import ENUMS, GARMIN_PRODUCT_MAKERS, enum_name
from backstride.ingest.fit_samples import RECORD_FIELDS, record_samples

__all__ = ["DecodedFit", "MessageTable", "decode_fit", "read_fit"]

#: What an Activity is built from: the record fields the samples use, a few of the rest.
WANTED: dict[str, frozenset[str] | None] = {
    "record": RECORD_FIELDS,
    "file_id": frozenset({"type", "manufacturer", "product", "product_name", "time_created"}),
    "session": frozenset(
        {
            "timestamp",
            "start_time",
            "sport",
            "sub_sport",
            "total_elapsed_time",
            "total_timer_time",
            "total_distance",
        }
    ),
    "lap": frozenset({"timestamp", "start_time", "total_elapsed_time", "total_distance"}),
    "sport": frozenset({"sport", "sub_sport"}),
    "activity": frozenset({"timestamp", "local_timestamp"}),
    "hr": None,
    "timestamp_correlation": None,
    "field_description": None,
    "developer_data_id": None,
}


#: What the compiled core's Activity path decodes: the same messages (their developer
#: fields count), and of the two it reads from the bytes or not at all just the timestamp
#: (compressed times count from it).
_CORE_WANTED: dict[str, frozenset[str] | None] = WANTED | {
    name: frozenset({"timestamp"}) for name in ("field_description", "developer_data_id")
}


def _activity_core() -> ModuleType | None:
    """The compiled core set up to build Activities (None without it)."""
    core = fit_native.CORE
    if core is None:
        return None
    kit = fit_samples.core_kit() | {
        "activity": Activity,
        "samples": Samples,
        "lap": Lap,
        "leg": Leg,
        "sha256": hashlib.sha256,
        "sports": ENUMS["sport"],
        "sub_sports": ENUMS["sub_sport"],
        "makers": ENUMS["manufacturer"],
        "products": ENUMS["garmin_product"],
        "garmin_makers": GARMIN_PRODUCT_MAKERS,
        "undescribed": fit_developer.UNDESCRIBED,
        "early": fit_developer.EARLY,
        "plan": fit_native.plan_of(_CORE_WANTED),
        "compressed_empty": fit_decode.EMPTY_COMPRESSED,
        "clock_unknown": fit_time.CLOCK_UNKNOWN,
        "local_clock": fit_time.LOCAL_CLOCK,
    }
    core.init_activity(kit)
    return core


_CORE = _activity_core()


def activity_core_serves(data: bytes) -> bool:
    """Whether the compiled core builds this file's Activity itself (for tests and
    benchmarks: otherwise read_fit's Python steps do)."""
    return _CORE is not None and _CORE.activity(data, "-") is not None


def read_fit(data: bytes, *, source_name: str = "", source_hash: str | None = None) -> Activity:
    """Decode a FIT activity into an Activity with columnar samples.

    Channels come from `record` messages: enhanced speed/altitude are preferred over the
    16-bit fields; positions are converted from semicircles to degrees. `cadence_spm` is
    steps per minute, 2 × (cadence + fractional_cadence), for on-foot sports (running,
    walking, hiking — FIT stores strides per minute, one leg); for every other sport it is
    the device's cadence as recorded (revolutions or strokes per minute). In multisport
    files the doubling follows each record's session. Developer fields (Stryd and other
    Connect IQ apps) fill a channel only when the file has no native field for it: those
    that name a native record field, and by name Power, Ground Time and Vertical
    Oscillation (cm converted to mm) — so Garmin's own running dynamics win over Stryd's.
    `sport` is the sessions' sport (`multisport` when they differ, transitions ignored);
    duration, timer ("moving") time and distance are session totals, else derived from
    the records. Damage that leaves data readable (bad CRC, truncation, chained garbage)
    becomes `warnings`; non-FIT bytes raise NotActivityFileError, unsalvageable files
    CorruptFileError. Records without a valid timestamp are dropped (with a warning).
    `source_hash` is the bytes' sha256 when the caller has already computed it.
    The compiled core, when built, does all of this in one call; on a file it was not
    made for (errors, more than 16 sessions, values outside its compiled steps) it
    declines and the steps below run.
    """
    if _CORE is not None and fit_native.CORE is not None and type(data) is bytes:
        found: Activity | None = _CORE.activity(data, source_hash)
        if found is not None:
            return found
    label = f"{source_name}: " if source_name else ""
    try:
        with np.errstate(all="ignore"):  # damaged values may overflow; they become NaN/NaT
            return _read(data, label, source_hash)
    except IngestError as err:
        if label and not str(err).startswith(label):
            raise type(err)(f"{label}{err}") from None  # name the file
        raise
    except Exception as err:  # a defect met on damaged input: still a typed, one-line error
        raise CorruptFileError(f"{label}FIT file could not be read: {type(err).__name__}") from err


def _read(data: bytes, label: str, source_hash: str | None) -> Activity:
    decoded = decode_unguarded(data, WANTED)  # read_fit has set numpy's error state
    sessions = decoded.table("session")
    records = decoded.table("record")
    if not _has_rows(sessions) and not _has_rows(records):
        kind = _file_type(decoded)
        raise NotActivityFileError(
            f"{label}FIT file of type '{kind}' holds no activity (no session or record messages)"
        )
    sport, sub_sport = _sport(decoded)
    samples, sample_warnings = record_samples(decoded, default_sport=sport)
    start = _start_time(decoded, samples)
    if start is None:
        raise NotActivityFileError(f"{label}FIT file has no start time in any message")
    elapsed = _session_sum(sessions, "total_elapsed_time")
    timer = _session_sum(sessions, "total_timer_time")
    distance = _session_sum(sessions, "total_distance")
    return Activity(
        sport=sport,
        sub_sport=sub_sport,
        start_time=start,
        duration_s=elapsed if elapsed is not None else _records_duration_s(samples),
        moving_time_s=timer,
        distance_m=distance if distance is not None else _records_distance_m(samples),
        device=_device(decoded),
        source_format="fit",
        source_hash=source_hash or hashlib.sha256(data).hexdigest(),
        samples=samples,
        laps=_laps(decoded.table("lap")),
        warnings=decoded.warnings + sample_warnings,
        legs=_legs(sessions) if sport == "multisport" else (),
    )


def _has_rows(table: MessageTable | None) -> bool:
    return table is not None and len(table) > 0


def _file_type(decoded: DecodedFit) -> str:
    return _first_enum(decoded.table("file_id"), "type", "file") or "unknown"


def _first_value(table: MessageTable | None, field: str) -> float | None:
    """The first valid number in a table's column, or None."""
    column = None if table is None else table.number(field)
    if column is None:
        return None
    if len(column) <= _SMALL:  # a list is cheaper than numpy for a few values
        for value in column.tolist():
            if value == value:  # not NaN
                return float(value)
        return None
    valid = column[~np.isnan(column)]
    return float(valid[0]) if len(valid) else None


#: columns up to this length are handled as Python lists (numpy costs more per call)
_SMALL = 32


def _first_enum(table: MessageTable | None, field: str, enum: str) -> str | None:
    return enum_name(enum, _first_value(table, field))


def _sport(decoded: DecodedFit) -> tuple[str, str | None]:
    """The activity's sport: the sessions' sport, `multisport` when they differ."""
    sessions = decoded.table("session")
    source = sessions if _has_rows(sessions) else decoded.table("sport")
    sports = _column(source, "sport").tolist()
    subs = _column(source, "sub_sport").tolist()
    names = [enum_name("sport", v) for v in sports if v == v]
    distinct = [n for n in dict.fromkeys(names) if n and n != "transition"]
    if len(distinct) > 1:
        return "multisport", None
    if not distinct:
        return "generic", None
    first = names.index(distinct[0])
    sub = enum_name("sub_sport", subs[first]) if len(subs) > first else None
    return distinct[0], sub


def _column(table: MessageTable | None, field: str) -> FloatArray:
    column = None if table is None else table.number(field)
    return np.zeros(0) if column is None else column


def _start_time(decoded: DecodedFit, samples: Samples) -> datetime | None:
    """Earliest session start, else first record, else the file's creation time."""
    found = _earliest_ms(_time_column(decoded.table("session"), "start_time"))
    if found is None:  # most files stop at the sessions
        found = _earliest_ms(samples.timestamp)
    if found is None:
        found = _earliest_ms(_time_column(decoded.table("activity"), "timestamp"))
    if found is None:
        found = _earliest_ms(_time_column(decoded.table("file_id"), "time_created"))
    return None if found is None else datetime.fromtimestamp(found / 1000.0, tz=UTC)


def _time_column(table: MessageTable | None, field: str) -> npt.NDArray[np.datetime64] | None:
    column = None if table is None else table.get(field)
    return column if column is not None and column.dtype.kind == "M" else None


def _earliest_ms(times: npt.NDArray[np.datetime64] | None) -> int | None:
    """The earliest valid time of a datetime64 column in Unix ms, None when there is none."""
    if times is None or not len(times):
        return None
    ms = times.astype("datetime64[ms]", copy=False).view(np.int64)
    if len(ms) <= _SMALL:
        valid = [v for v in ms.tolist() if v != _NAT]
        return min(valid) if valid else None
    valid_ms = ms[~np.isnat(times)]
    return int(valid_ms.min()) if len(valid_ms) else None


def _session_sum(sessions: MessageTable | None, field: str) -> float | None:
    values = _column(sessions, field)
    if len(values) <= _SMALL:
        valid = [v for v in values.tolist() if v == v]
        if len(valid) < 8:  # numpy adds fewer than 8 values one after the other, as here
            return float(sum(valid)) if valid else None
    values = values[~np.isnan(values)]
    return float(values.sum()) if len(values) else None


def _records_duration_s(samples: Samples) -> float:
    stamps = samples.timestamp
    if len(stamps) < 2:
        return 0.0
    return float((stamps.max() - stamps.min()) / np.timedelta64(1, "ms")) / 1000.0


def _records_distance_m(samples: Samples) -> float | None:
    distance = samples.get("distance_m")
    if distance is None or np.isnan(distance).all():
        return None
    return float(np.nanmax(distance))


def _device(decoded: DecodedFit) -> str | None:
    """`<manufacturer> <product>` from the first file_id (product name when known)."""
    file_id = decoded.table("file_id")
    maker_code = _first_value(file_id, "manufacturer")
    maker = enum_name("manufacturer", maker_code)
    if maker is None:
        return None
    product_code = _first_value(file_id, "product")
    names = None if file_id is None else file_id.get("product_name")
    texts = names if names is not None and names.dtype == object else ()
    product_name = next((str(n) for n in texts if n), None)
    if product_name is None and product_code is not None:
        garmin = maker_code is not None and int(maker_code) in GARMIN_PRODUCT_MAKERS
        product_name = enum_name("garmin_product", product_code) if garmin else None
        product_name = product_name or str(int(product_code))
    return f"{maker} {product_name}" if product_name else maker


def _laps(laps: MessageTable | None) -> tuple[Lap, ...]:
    if not _has_rows(laps):
        return ()
    starts = laps.get("start_time") if laps is not None else None
    if starts is None or starts.dtype.kind != "M":
        return ()
    elapsed = _column(laps, "total_elapsed_time").tolist()
    distance = _column(laps, "total_distance").tolist()
    out = []
    for i, ms in enumerate(starts.astype("datetime64[ms]", copy=False).view(np.int64).tolist()):
        if ms == _NAT:
            continue
        seconds = elapsed[i] if elapsed and elapsed[i] == elapsed[i] else 0.0
        metres = distance[i] if distance and distance[i] == distance[i] else None
        start = datetime.fromtimestamp(ms / 1000.0, tz=UTC)
        out.append(Lap(start_time=start, duration_s=seconds, distance_m=metres))
    return tuple(out)


_NAT = int(np.datetime64("NaT", "ms").astype(np.int64))


def _legs(sessions: MessageTable | None) -> tuple[Leg, ...]:
    """Each session of a multisport file as a leg, in time order (transitions included)."""
    starts = None if sessions is None else sessions.get("start_time")
    if sessions is None or starts is None or starts.dtype.kind != "M":
        return ()
    sports = _column(sessions, "sport").tolist()
    elapsed = _column(sessions, "total_elapsed_time").tolist()
    distance = _column(sessions, "total_distance").tolist()
    start_ms = starts.astype("datetime64[ms]", copy=False).view(np.int64).tolist()
    legs = []
    for i in np.argsort(starts, kind="stable").tolist():
        if start_ms[i] == _NAT:
            continue
        seconds = elapsed[i] if elapsed and elapsed[i] == elapsed[i] else 0.0
        metres = distance[i] if distance and distance[i] == distance[i] else None
        sport = enum_name("sport", sports[i]) if sports else None
        start = datetime.fromtimestamp(start_ms[i] / 1000.0, tz=UTC)
        legs.append(Leg(sport or "generic", start, seconds, metres))
    return tuple(legs)

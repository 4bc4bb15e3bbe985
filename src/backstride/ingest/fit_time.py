"""Relative FIT times: seconds since the device was switched on, placed on the calendar.

The FIT protocol counts date_time values below 0x10000000 from the device's power-on,
not from the FIT epoch. A file that knows the real time says so in a
`timestamp_correlation` message (UTC `timestamp` beside the relative `system_timestamp`)
or, on older watches, in its `activity` message (`local_timestamp`, the wall clock, beside
the relative `timestamp`). Every relative time of the file is moved by that offset; when
the file holds neither, the times stay relative and a warning says the date is unknown.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from backstride.ingest import fit_native
from backstride.ingest.fit_columns import Column
from backstride.ingest.fit_profile import MESSAGES, RELATIVE_LIMIT_S

ACTIVITY = 34
TIMESTAMP_CORRELATION = 162
CLOCK_UNKNOWN = (
    "the device counted time from when it was switched on and the file gives no clock "
    "to place it: its date and time of day are unknown"
)
LOCAL_CLOCK = (
    "the device counted time from when it was switched on: times were placed by its "
    "local clock (the file does not say its time zone)"
)
Tables = dict[int, tuple[npt.NDArray[np.int64], dict[str, Column]]]


def resolve_relative_times(tables: Tables, warnings: list[str]) -> None:
    """Move every relative time by the file's correlation offset (in place), or warn."""
    if not _has_relative_times(tables):
        return
    offset = _correlation_offset(tables)
    if offset is None:
        offset = _local_clock_offset(tables)
        warnings.append(CLOCK_UNKNOWN if offset is None else LOCAL_CLOCK)
    if offset is None:
        return
    core = fit_native.CORE
    for num, (_order, cols) in tables.items():
        for name in _time_fields(num) & cols.keys():
            values = cols[name]
            if values.dtype == object:
                continue
            moved = None if core is None else core.shifted(values, offset, RELATIVE_LIMIT_S)
            if moved is not None:  # the same step, compiled (False: nothing relative)
                if moved is not False:
                    cols[name] = moved
                continue
            relative = np.isfinite(values) & (values < RELATIVE_LIMIT_S)
            if relative.any():
                cols[name] = np.where(relative, values + offset, values)


#: message number -> names of its date_time fields
_TIME_FIELDS = {
    num: frozenset(f.name for f in profile.fields.values() if f.is_time)
    for num, profile in MESSAGES.items()
}


def _time_fields(num: int) -> frozenset[str]:
    return _TIME_FIELDS[num]


def _has_relative_times(tables: Tables) -> bool:
    for num in (20, 18):  # record, session: the times an activity is built from
        if num not in tables:
            continue
        cols = tables[num][1]
        for name in ("timestamp", "start_time"):
            values = cols.get(name)
            if values is not None and values.dtype != object and values.ndim == 1:
                core = fit_native.CORE
                below = None if core is None else core.any_below(values, RELATIVE_LIMIT_S)
                if below is not None:
                    if below:
                        return True
                    continue
                finite = values[np.isfinite(values)]
                if len(finite) and bool((finite < RELATIVE_LIMIT_S).any()):
                    return True
    return False


def _first_pair(tables: Tables, num: int, absolute: str, relative: str) -> float | None:
    """absolute - relative of the first message holding a real and a relative time."""
    if num not in tables:
        return None
    cols = tables[num][1]
    real, counted = cols.get(absolute), cols.get(relative)
    if real is None or counted is None or real.dtype == object or counted.dtype == object:
        return None
    real, counted = np.ravel(real), np.ravel(counted)
    usable = np.flatnonzero(
        np.isfinite(real) & (real >= RELATIVE_LIMIT_S) & np.isfinite(counted)
        & (counted < RELATIVE_LIMIT_S)
    )  # fmt: skip
    return float(real[usable[0]] - counted[usable[0]]) if len(usable) else None


def _correlation_offset(tables: Tables) -> float | None:
    return _first_pair(tables, TIMESTAMP_CORRELATION, "timestamp", "system_timestamp")


def _local_clock_offset(tables: Tables) -> float | None:
    return _first_pair(tables, ACTIVITY, "local_timestamp", "timestamp")

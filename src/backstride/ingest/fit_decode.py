"""Columnar FIT decoding: every known message as one table of numpy arrays per field."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from backstride.errors import CorruptFileError, IngestError
from backstride.ingest.fit_columns import Column, Rows, decode_fields, merge, message_rows, scaled
from backstride.ingest.fit_developer import DeveloperField, developer_columns, read_descriptions
from backstride.ingest.fit_profile import MESSAGE_NUMBERS, MESSAGES
from backstride.ingest.fit_scan import Scan, scan
from backstride.ingest.fit_time import resolve_relative_times

#: 1989-12-31T00:00:00Z, the FIT epoch, in Unix seconds
FIT_EPOCH_S = 631065600
RECORD = 20
_NUMBER_OF = {
    num: {field.name: number for number, field in profile.fields.items()}
    for num, profile in MESSAGES.items()
}
MAX_FIT_SECONDS = 2**33  # beyond any real date (year ~2262 is datetime64[ms]'s limit)
DEV_PREFIX = "\x00dev:"  # keeps developer columns apart from profile names while merging


@dataclass(frozen=True, slots=True)
class MessageTable:
    """All messages of one global number in file order: one array per field.

    Numbers are float64 with NaN for invalid values, after the profile's scale and offset
    (positions stay in semicircles); arrays are 2-D; strings are object arrays (None for
    empty); date_time fields are datetime64[ms] UTC with NaT for invalid. `order` is each
    message's index among all data messages of the file. Developer fields are kept apart
    in `developer`, by their described name (see DecodedFit.developer_fields).
    """

    name: str
    order: npt.NDArray[np.int64]
    fields: dict[str, Column]
    developer: dict[str, Column]

    def __len__(self) -> int:
        return len(self.order)

    def get(self, name: str) -> Column | None:
        """The field's column, or None when no message of this kind carries it."""
        return self.fields.get(name)

    def number(self, name: str) -> npt.NDArray[np.float64] | None:
        """A numeric field as 1-D float64 (an array field's first value); None if absent."""
        column = self.fields.get(name)
        if column is None or column.dtype.kind != "f":
            return None
        return column if column.ndim == 1 else column[:, 0]


@dataclass(frozen=True, slots=True)
class DecodedFit:
    """A FIT file (or chain of them) decoded into columnar message tables."""

    messages: dict[int, MessageTable]
    developer_fields: dict[str, DeveloperField]
    warnings: tuple[str, ...]
    n_files: int
    n_messages: int

    def table(self, name: str) -> MessageTable | None:
        """The table of a message by its profile name (`record`, `session`, ...)."""
        number = MESSAGE_NUMBERS.get(name)
        return None if number is None else self.messages.get(number)


def decode_fit(data: bytes) -> DecodedFit:
    """Decode every known message of a FIT file into columnar tables.

    Raises NotActivityFileError when the bytes are not FIT and CorruptFileError when
    nothing can be salvaged; recoverable damage is reported in `warnings`.
    """
    try:
        with np.errstate(all="ignore"):  # damaged values may overflow; they become NaN/NaT
            return _decode(bytes(data))
    except IngestError:
        raise
    except Exception as err:  # a defect in a damaged file we did not foresee: stay typed
        raise CorruptFileError(f"FIT file could not be decoded: {type(err).__name__}") from err


def _decode(data: bytes) -> DecodedFit:
    found = scan(data)
    if found.n_messages == 0:
        problem = found.warnings[-1] if found.warnings else "it holds no data messages"
        raise CorruptFileError(f"FIT file has no readable messages: {problem}")
    groups, positions = message_rows(data, found)
    warnings = list(found.warnings)
    descriptions = read_descriptions(groups)
    known: dict[str, DeveloperField] = {}
    parts: dict[int, list[tuple[npt.NDArray[np.int64], dict[str, Column]]]] = defaultdict(list)
    for rows in groups:
        if rows.definition.global_num not in MESSAGES:
            continue
        columns = _profile_columns(rows)
        if rows.definition.dev_fields:
            found_dev = developer_columns(rows, descriptions, known=known, warnings=warnings)
            columns.update({DEV_PREFIX + name: column for name, column in found_dev.items()})
        parts[rows.definition.global_num].append((rows.order, columns))
    tables = {num: merge(p) for num, p in parts.items()}
    if found.compressed:
        _resolve_compressed(tables, found, (groups, positions), warnings)
    resolve_relative_times(tables, warnings)
    if RECORD in tables:
        _expand_speed_distance(tables[RECORD][1])
    messages = {num: _table(num, order, cols) for num, (order, cols) in tables.items()}
    return DecodedFit(messages, known, tuple(warnings), found.n_files, found.n_messages)


def _profile_columns(rows: Rows) -> dict[str, Column]:
    definition = rows.definition
    profile = MESSAGES[definition.global_num].fields
    wanted = [
        (profile[num].name, offset, size, base_type)
        for num, offset, size, base_type in definition.fields
        if num in profile  # fields unknown to the profile subset we decode are skipped
    ]
    columns = decode_fields(rows.block, wanted, big_endian=definition.big_endian)
    for name, column in columns.items():
        field = profile[_NUMBER_OF[definition.global_num][name]]
        if field.is_time and column.ndim == 2:
            column = column[:, 0]  # a date_time is never an array: damaged definition
        columns[name] = scaled(column, field)
    return columns


def _expand_speed_distance(cols: dict[str, Column]) -> None:
    """Split record.compressed_speed_distance (12-bit speed, 12-bit rolling distance)."""
    packed = cols.get("compressed_speed_distance")
    if packed is None or packed.dtype == object or packed.ndim != 2 or packed.shape[1] < 3:
        return
    ok = ~np.isnan(packed[:, 0])
    raw = np.nan_to_num(packed[:, :3]).astype(np.int64)
    speed = np.where(ok, (raw[:, 0] | (raw[:, 1] & 0x0F) << 8) / 100.0, np.nan)
    distance12 = (raw[:, 1] >> 4 | raw[:, 2] << 4)[ok]
    steps = np.diff(distance12, prepend=0) & 0xFFF  # accumulate with 12-bit rollover
    distance = np.full(len(ok), np.nan)
    distance[ok] = np.cumsum(steps) / 16.0
    cols.setdefault("speed", speed)
    cols.setdefault("distance", distance)


def _resolve_compressed(
    tables: dict[int, tuple[npt.NDArray[np.int64], dict[str, Column]]],
    found: Scan,
    located: tuple[list[Rows], npt.NDArray[np.int64]],
    warnings: list[str],
) -> None:
    """Fill the timestamps of compressed-header messages (5-bit offset, rollover rule)."""
    groups, positions = located
    full_order, full_time = _full_timestamps(tables)
    global_of = np.full(len(positions), -1, dtype=np.int64)
    for rows in groups:
        global_of[rows.order] = rows.definition.global_num
    comp = np.array(found.compressed, dtype=np.int64)
    comp[:, 0] = np.searchsorted(positions, comp[:, 0])  # byte position -> file order
    previous = np.searchsorted(full_order, comp[:, 0]) - 1
    last: int | None = None
    last_order = -1
    resolved: list[float] = []
    for (order, offset), i in zip(comp.tolist(), previous.tolist(), strict=True):
        if i >= 0 and full_order[i] > last_order:
            last = int(full_time[i])
        if last is None:
            resolved.append(np.nan)
            continue
        last += (offset - last) & 0x1F
        last_order = order
        resolved.append(last)
    if np.isnan(resolved).any():
        warnings.append("compressed timestamps before any full timestamp were left empty")
    _write_times(tables, comp[:, 0], np.array(resolved), global_of)


def _full_timestamps(
    tables: dict[int, tuple[npt.NDArray[np.int64], dict[str, Column]]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    orders, times = [], []
    for order, cols in tables.values():
        stamp = cols.get("timestamp")
        if stamp is not None and stamp.dtype != object and stamp.ndim == 1:
            ok = ~np.isnan(stamp)
            orders.append(order[ok])
            times.append(stamp[ok])
    if not orders:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    order = np.concatenate(orders)
    sort = np.argsort(order, kind="stable")
    return order[sort], np.concatenate(times)[sort].astype(np.float64)


def _write_times(
    tables: dict[int, tuple[npt.NDArray[np.int64], dict[str, Column]]],
    orders: npt.NDArray[np.int64],
    times: npt.NDArray[np.float64],
    global_of: npt.NDArray[np.int64],
) -> None:
    owners = global_of[orders]
    for num in np.unique(owners).tolist():
        if num not in tables:
            continue
        order, cols = tables[num]
        mine = owners == num
        stamp = cols.get("timestamp")
        if stamp is None or stamp.dtype == object or stamp.ndim != 1:
            stamp = np.full(len(order), np.nan)
        else:
            stamp = stamp.copy()
        stamp[np.searchsorted(order, orders[mine])] = times[mine]
        cols["timestamp"] = stamp


def _table(num: int, order: npt.NDArray[np.int64], cols: dict[str, Column]) -> MessageTable:
    """Convert date_time fields to datetime64[ms] and wrap the columns."""
    profile = MESSAGES[num]
    time_names = {f.name for f in profile.fields.values() if f.is_time}
    for name in time_names & cols.keys():
        cols[name] = to_datetime64(cols[name])
    native = {k: v for k, v in cols.items() if not k.startswith(DEV_PREFIX)}
    developer = {k[len(DEV_PREFIX) :]: v for k, v in cols.items() if k.startswith(DEV_PREFIX)}
    return MessageTable(profile.name, order, native, developer)


def to_datetime64(seconds: Column) -> Column:
    """FIT seconds (float, NaN = missing) as datetime64[ms] UTC (NaT = missing)."""
    if seconds.dtype == object:
        return seconds
    values = np.asarray(seconds, dtype=np.float64)
    missing = ~np.isfinite(values) | (np.abs(values) > MAX_FIT_SECONDS)
    ms = np.where(missing, 0, (values + FIT_EPOCH_S) * 1000.0).astype(np.int64)
    out = ms.view("datetime64[ms]")
    out[missing] = np.datetime64("NaT")
    return out

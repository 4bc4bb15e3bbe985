"""Columnar FIT decoding: every known message as one table of numpy arrays per field."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from backstride.errors import CorruptFileError, IngestError, NotActivityFileError
from backstride.ingest import fit_native
from backstride.ingest.fit_columns import (
    Column,
    Rows,
    decode_fields,
    merge,
    message_rows,
    row_block,
    scaled,
)
from backstride.ingest.fit_developer import (
    FIELD_DESCRIPTION,
    DeveloperField,
    descriptions_in_table,
    developer_columns,
    read_descriptions,
)
from backstride.ingest.fit_profile import FIT_EPOCH_S, MAX_FIT_SECONDS, MESSAGE_NUMBERS, MESSAGES
from backstride.ingest.fit_scan import Definition, scan
from backstride.ingest.fit_time import resolve_relative_times

RECORD = 20
_NUMBER_OF = {
    num: {field.name: number for number, field in profile.fields.items()}
    for num, profile in MESSAGES.items()
}
DEV_PREFIX = "\x00dev:"  # keeps developer columns apart from profile names while merging
#: message number -> names of its date_time fields (computed once, used per table)
TIME_FIELDS = {
    num: frozenset(f.name for f in profile.fields.values() if f.is_time)
    for num, profile in MESSAGES.items()
}
#: message name -> the fields wanted from it (None: every field); see decode_fit
Wanted = Mapping[str, frozenset[str] | None]


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


def decode_fit(data: bytes, *, wanted: Wanted | None = None, native: bool = True) -> DecodedFit:
    """Decode every known message of a FIT file into columnar tables.

    With `wanted`, only those messages' named fields are decoded (every field when the
    value is None); other messages keep just their timestamp, which compressed-header
    times count from. Most of a small file's cost is per field, so a reader that needs
    a few fields of session, lap and file_id asks for those alone.
    The compiled core (fit_native) does the scan and field decoding when it was built;
    `native=False`, or a build without it, runs the pure-Python decoder (same results).
    Raises NotActivityFileError when the bytes are not FIT and CorruptFileError when
    nothing can be salvaged; recoverable damage is reported in `warnings`.
    """
    with np.errstate(all="ignore"):  # damaged values may overflow; they become NaN/NaT
        return decode_unguarded(data, wanted, native=native)


def decode_unguarded(data: bytes, wanted: Wanted | None, *, native: bool = True) -> DecodedFit:
    """decode_fit for a caller that has set numpy's error state already (read_fit)."""
    try:
        if native and fit_native.CORE is not None:
            return _decode_native(data, wanted)
        return _decode(bytes(data), _wanted_numbers(wanted))
    except IngestError:
        raise
    except Exception as err:  # a defect in a damaged file we did not foresee: stay typed
        raise CorruptFileError(f"FIT file could not be decoded: {type(err).__name__}") from err


def _wanted_numbers(wanted: Wanted | None) -> dict[int, frozenset[str] | None] | None:
    if wanted is None:
        return None
    return {MESSAGE_NUMBERS[name]: fields for name, fields in wanted.items()}


Tables = dict[int, tuple[npt.NDArray[np.int64], dict[str, Column]]]
#: every message's byte position and global number; compressed headers' positions, offsets
Located = tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]
]


def _decode(data: bytes, wanted: dict[int, frozenset[str] | None] | None) -> DecodedFit:
    found = scan(data)
    if found.n_messages == 0:
        _no_messages(found.warnings)
    groups, positions = message_rows(data, found)
    warnings = list(found.warnings)
    descriptions = read_descriptions(groups)
    known: dict[str, DeveloperField] = {}
    parts: dict[int, list[tuple[npt.NDArray[np.int64], dict[str, Column]]]] = defaultdict(list)
    for rows in groups:
        if rows.definition.global_num not in MESSAGES:
            continue
        num = rows.definition.global_num
        if wanted is not None and num not in wanted and not found.compressed:
            continue  # not asked for, and no compressed time counts from its timestamp
        chosen = None if wanted is None else wanted.get(num, frozenset({"timestamp"}))
        columns = _profile_columns(rows, chosen)
        if rows.definition.dev_fields and (wanted is None or num in wanted):
            found_dev = developer_columns(rows, descriptions, known=known, warnings=warnings)
            columns.update({DEV_PREFIX + name: column for name, column in found_dev.items()})
        parts[rows.definition.global_num].append((rows.order, columns))
    tables = {num: merge(p) for num, p in parts.items()}
    developer = {num: _split_developer(tables[num][1]) for num, p in parts.items()}
    located: Located | None = None
    if found.compressed:
        global_of = np.full(len(positions), -1, dtype=np.int64)
        for rows in groups:
            global_of[rows.order] = rows.definition.global_num
        comp = np.array(found.compressed, dtype=np.int64)
        located = (positions, global_of, comp[:, 0], comp[:, 1])
    dev_tables = {num: cols for num, cols in developer.items() if cols}
    return _finish(
        (tables, dev_tables), located, warnings, known, (found.n_files, found.n_messages)
    )


def _no_messages(warnings: list[str]) -> None:
    problem = warnings[-1] if warnings else "it holds no data messages"
    raise CorruptFileError(f"FIT file has no readable messages: {problem}")


def _decode_native(data: bytes, wanted: Wanted | None) -> DecodedFit:
    """The compiled core's scan and columns, then the same Python steps as _decode."""
    result = fit_native.decode(data, None if wanted is None else fit_native.plan_of(wanted))
    if result[0]:
        error = NotActivityFileError if result[0] == 1 else CorruptFileError
        raise error(result[1])
    _, tables, raw, warnings, n_files, n_messages, located, converted = result
    if n_messages == 0:
        _no_messages(warnings)
    known: dict[str, DeveloperField] = {}
    developer = _native_developer(data, raw, tables, wanted, (known, warnings)) if raw else {}
    return _finish(
        (tables, developer), located, warnings, known, (n_files, n_messages), converted=converted
    )


def _native_developer(
    data: bytes,
    raw: list[tuple[Any, ...]],
    tables: Tables,
    wanted: Wanted | None,
    found: tuple[dict[str, DeveloperField], list[str]],
) -> dict[int, dict[str, Column]]:
    """Developer fields of the core's raw groups, by message, in their tables' rows."""
    known, warnings = found
    arr = np.frombuffer(data, dtype=np.uint8)
    described = FIELD_DESCRIPTION in tables and (
        wanted is None or wanted.get("field_description", frozenset()) is None
    )  # every field of the descriptions is in their table: read them from there
    descriptions = (
        descriptions_in_table(
            [(num, index, order) for num, _, _, _, _, index, order, _ in raw],
            *tables[FIELD_DESCRIPTION],
        )
        if described
        else None
    )
    groups = [  # the bytes of every group whose descriptions or developer fields are read
        Rows(
            Definition(num, bool(big), fields, dev, size, index),
            row_block(arr, at + 1, size - 1),
            order,
        )
        for num, big, fields, dev, size, index, order, at in raw
        if dev or descriptions is None
    ]
    if descriptions is None:
        descriptions = read_descriptions(groups)
    numbers = None if wanted is None else {MESSAGE_NUMBERS[name] for name in wanted}
    parts: dict[int, list[tuple[npt.NDArray[np.int64], dict[str, Column]]]] = defaultdict(list)
    for rows in groups:
        num = rows.definition.global_num
        if not rows.definition.dev_fields or num not in MESSAGES:
            continue
        if numbers is not None and num not in numbers:
            continue
        found_dev = developer_columns(rows, descriptions, known=known, warnings=warnings)
        parts[num].append((rows.order, found_dev))
    out: dict[int, dict[str, Column]] = {}
    for num, pieces in parts.items():
        order = tables[num][0]
        sub_order, sub_cols = merge(pieces)
        slots = np.searchsorted(order, sub_order)
        cols = out.setdefault(num, {})
        for name, column in sub_cols.items():
            if len(sub_order) == len(order) and column.dtype in (object, np.float64):
                cols[name] = column  # the developer rows are all the rows
                continue
            if column.dtype == object:
                full: Column = np.full(len(order), None, dtype=object)
            else:
                full = np.full((len(order), *column.shape[1:]), np.nan)
            full[slots] = column
            cols[name] = full
    return {num: cols for num, cols in out.items() if cols}


def _split_developer(cols: dict[str, Column]) -> dict[str, Column]:
    """Take the developer columns (DEV_PREFIX names) out of a merged table."""
    names = [name for name in cols if name.startswith(DEV_PREFIX)]
    return {name[len(DEV_PREFIX) :]: cols.pop(name) for name in names}


def _finish(
    found: tuple[Tables, dict[int, dict[str, Column]]],
    located: Located | None,
    warnings: list[str],
    known: dict[str, DeveloperField],
    counts: tuple[int, int],
    *,
    converted: bool = False,
) -> DecodedFit:
    """Times placed (compressed, relative), speed/distance split, tables wrapped; with
    `converted` the core has made the date_time columns already, there being no compressed
    and no relative time to place."""
    tables, developer = found
    if located is not None:
        _resolve_compressed(tables, located, warnings)
    if not converted:
        resolve_relative_times(tables, warnings)
    if RECORD in tables:
        _expand_speed_distance(tables[RECORD][1])
    if converted:  # the common case, inlined: a small file has few messages per table
        messages = {
            num: MessageTable(MESSAGES[num].name, order, cols, developer.get(num, _NONE))
            for num, (order, cols) in tables.items()
        }
    else:
        messages = {
            num: _table(num, order, cols, developer.get(num, _NONE), converted=False)
            for num, (order, cols) in tables.items()
        }
    return DecodedFit(messages, known, tuple(warnings), *counts)


def _profile_columns(rows: Rows, chosen: frozenset[str] | None = None) -> dict[str, Column]:
    definition = rows.definition
    profile = MESSAGES[definition.global_num].fields
    wanted = [
        (profile[num].name, offset, size, base_type)
        for num, offset, size, base_type in definition.fields
        # fields unknown to the profile subset we decode are skipped, and unwanted ones
        if num in profile and (chosen is None or profile[num].name in chosen)
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
    core = fit_native.CORE
    split = None if core is None else core.speed_distance(np.ascontiguousarray(packed))
    if split is not None:  # the same steps, compiled
        cols.setdefault("speed", split[0])
        cols.setdefault("distance", split[1])
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


def _resolve_compressed(tables: Tables, located: Located, warnings: list[str]) -> None:
    """Fill the timestamps of compressed-header messages (5-bit offset, rollover rule)."""
    positions, global_of, comp_pos, comp_offset = located
    core = fit_native.CORE
    if core is not None and _place_natively(core, tables, located, warnings):
        return
    full_order, full_time = _full_timestamps(tables)
    comp_order = np.searchsorted(positions, comp_pos)  # byte position -> file order
    previous = np.searchsorted(full_order, comp_order) - 1
    core = fit_native.CORE
    times = (
        None
        if core is None
        else core.compressed(comp_order, comp_offset, previous, full_order, full_time)
    )
    if times is None:
        times = _compressed_times(comp_order, comp_offset, previous, (full_order, full_time))
    if np.isnan(times).any():
        warnings.append(EMPTY_COMPRESSED)
    _write_times(tables, comp_order, times, global_of)


EMPTY_COMPRESSED = "compressed timestamps before any full timestamp were left empty"


def _place_natively(core: Any, tables: Tables, located: Located, warnings: list[str]) -> bool:
    """The compiled core's placing of compressed times; False when it declines."""
    items = []
    for num, (order, cols) in tables.items():
        stamp = cols.get("timestamp")
        if stamp is not None and (stamp.dtype == object or stamp.ndim != 1):
            stamp = None  # no full timestamp here; placed times go into a new column
        elif stamp is not None and stamp.dtype != np.float64:
            return False
        items.append((num, order, stamp))
    found = core.place_compressed(*located, items)
    if found is None:
        return False
    empty, placed = found
    if empty:
        warnings.append(EMPTY_COMPRESSED)
    for num, stamp in placed:
        tables[num][1]["timestamp"] = stamp
    return True


def _compressed_times(
    comp_order: npt.NDArray[np.int64],
    comp_offset: npt.NDArray[np.int64],
    previous: npt.NDArray[np.int64],
    full: tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]],
) -> npt.NDArray[np.float64]:
    """Each compressed time: the latest full timestamp before it, advanced by its offset."""
    full_order, full_time = full
    last: int | None = None
    last_order = -1
    resolved: list[float] = []
    for order, offset, i in zip(
        comp_order.tolist(), comp_offset.tolist(), previous.tolist(), strict=True
    ):
        if i >= 0 and full_order[i] > last_order:
            last = int(full_time[i])
        if last is None:
            resolved.append(np.nan)
            continue
        last += (offset - last) & 0x1F
        last_order = order
        resolved.append(last)
    return np.array(resolved, dtype=np.float64)


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


def _table(
    num: int,
    order: npt.NDArray[np.int64],
    cols: dict[str, Column],
    developer: dict[str, Column],
    *,
    converted: bool,
) -> MessageTable:
    """Convert date_time fields to datetime64[ms] (unless done) and wrap the columns."""
    if not converted:
        for name in TIME_FIELDS[num] & cols.keys():
            cols[name] = to_datetime64(cols[name])
    return MessageTable(MESSAGES[num].name, order, cols, developer)


_NONE: dict[str, Column] = {}


def to_datetime64(seconds: Column) -> Column:
    """FIT seconds (float, NaN = missing) as datetime64[ms] UTC (NaT = missing)."""
    if seconds.dtype == object:
        return seconds
    if fit_native.CORE is not None:  # the same conversion in one compiled step
        ms = fit_native.CORE.times(seconds, FIT_EPOCH_S, MAX_FIT_SECONDS)
        if ms is not None:
            return ms.view("datetime64[ms]")  # type: ignore[no-any-return]
    values = np.asarray(seconds, dtype=np.float64)
    missing = ~np.isfinite(values) | (np.abs(values) > MAX_FIT_SECONDS)
    ms = np.where(missing, 0, (values + FIT_EPOCH_S) * 1000.0).astype(np.int64)
    out = ms.view("datetime64[ms]")
    out[missing] = np.datetime64("NaT")
    return out

"""Second FIT pass: decode every field of every data message, one definition at a time.

All data messages sharing a definition are viewed as one 2-D uint8 array (rows = messages,
columns = bytes); each field is a column slice reinterpreted with numpy at the file's
endianness. Invalid-value sentinels become NaN, profile scale and offset are applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from backstride.ingest.fit_profile import FieldProfile
from backstride.ingest.fit_scan import Definition, Scan

#: a decoded field: float64, 2-D float64 (arrays), object (strings) or datetime64[ms]
Column = npt.NDArray[Any]
Block = npt.NDArray[np.uint8]

STRING_TYPE = 0x07
BYTE_TYPE = 0x0D
#: base type number (low 5 bits) -> (numpy code, invalid raw value or None for floats)
BASE_TYPES: dict[int, tuple[str, int | None]] = {
    0x00: ("u1", 0xFF),  # enum
    0x01: ("i1", 0x7F),
    0x02: ("u1", 0xFF),
    0x03: ("i2", 0x7FFF),
    0x04: ("u2", 0xFFFF),
    0x05: ("i4", 0x7FFFFFFF),
    0x06: ("u4", 0xFFFFFFFF),
    0x08: ("f4", None),  # invalid is all ones, which is a NaN already
    0x09: ("f8", None),
    0x0A: ("u1", 0),  # uint8z
    0x0B: ("u2", 0),
    0x0C: ("u4", 0),
    0x0D: ("u1", 0xFF),  # byte
    0x0E: ("i8", 0x7FFFFFFFFFFFFFFF),
    0x0F: ("u8", 0xFFFFFFFFFFFFFFFF),
    0x10: ("u8", 0),
}


@dataclass(frozen=True, slots=True)
class Rows:
    """The data messages of one definition: their bytes (header byte dropped) and order."""

    definition: Definition
    block: Block
    order: npt.NDArray[np.int64]


def message_rows(data: bytes, found: Scan) -> list[Rows]:
    """Group every data message by definition, as 2-D byte blocks in file order."""
    if not found.run_start:
        return []
    starts = np.array(found.run_start, dtype=np.int64)
    counts = np.array(found.run_count, dtype=np.int64)
    run_defs = np.array(found.run_def, dtype=np.int64)
    sizes = np.array([d.size for d in found.definitions], dtype=np.int64)
    run_of = np.repeat(np.arange(len(starts)), counts)
    first = np.cumsum(counts) - counts
    within = np.arange(len(run_of), dtype=np.int64) - first[run_of]
    positions = (starts[run_of] + within * sizes[run_defs][run_of]).astype(np.int64)
    msg_defs = run_defs[run_of]
    by_def = np.argsort(msg_defs, kind="stable")
    bounds = np.searchsorted(msg_defs[by_def], np.arange(len(sizes) + 1))
    arr = np.frombuffer(data, dtype=np.uint8)
    out = []
    for def_id, definition in enumerate(found.definitions):
        order = by_def[bounds[def_id] : bounds[def_id + 1]]
        if len(order):
            block = _block(arr, positions[order] + 1, definition.size - 1)
            out.append(Rows(definition, block, order))
    return out


def _block(arr: Block, starts: npt.NDArray[np.int64], width: int) -> Block:
    """Rows of `width` bytes at `starts`: a zero-copy strided view when they are contiguous."""
    n = len(starts)
    stride = width + 1
    if n == 1 or int(starts[-1] - starts[0]) == (n - 1) * stride:
        view: Block = np.lib.stride_tricks.as_strided(
            arr[int(starts[0]) :], shape=(n, width), strides=(stride, 1), writeable=False
        )
        return view
    gathered: Block = arr[starts[:, None] + np.arange(width, dtype=np.int64)]
    return gathered


def decode_field(
    block: Block, *, offset: int, size: int, base_type: int, big_endian: bool
) -> Column | None:
    """One field of every row: float64 (NaN = invalid), 2-D for arrays, str for strings."""
    raw = block[:, offset : offset + size]
    kind = base_type & 0x1F
    if kind == STRING_TYPE:
        return _strings(raw)
    spec = BASE_TYPES.get(kind)
    if spec is None or size == 0:
        return None
    code, invalid = spec
    dtype = np.dtype(("<" if not big_endian else ">") + code)
    if size % dtype.itemsize:
        return None  # field size is not a whole number of values: skipped, as the SDK does
    values = np.ascontiguousarray(raw).view(dtype)
    out = values.astype(np.float64)
    if kind == BYTE_TYPE:  # a byte array is invalid only when every byte is 0xFF
        out[(values == invalid).all(axis=1)] = np.nan
    elif invalid is not None:
        out[values == invalid] = np.nan
    return out[:, 0] if out.shape[1] == 1 else out


def _strings(raw: Block) -> npt.NDArray[np.object_]:
    """NUL-terminated UTF-8 strings, None where empty."""
    texts = [bytes(row).split(b"\x00", 1)[0].decode("utf-8", "replace") or None for row in raw]
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def scaled(values: Column, profile: FieldProfile) -> Column:
    """Apply the profile's scale and offset (value = raw / scale - offset)."""
    if values.dtype == object or (profile.scale == 1.0 and profile.offset == 0.0):
        return values
    return values / profile.scale - profile.offset


def merge(
    parts: list[tuple[npt.NDArray[np.int64], dict[str, Column]]],
) -> tuple[npt.NDArray[np.int64], dict[str, Column]]:
    """Concatenate per-definition tables of one message in file order, filling gaps."""
    if len(parts) == 1:
        return parts[0]
    order = np.concatenate([p[0] for p in parts])
    names = list(dict.fromkeys(name for _, cols in parts for name in cols))
    fields = {name: _concat([(len(o), cols.get(name)) for o, cols in parts]) for name in names}
    sort = np.argsort(order, kind="stable")
    return order[sort], {name: column[sort] for name, column in fields.items()}


def _concat(pieces: list[tuple[int, Column | None]]) -> Column:
    present = [c for _, c in pieces if c is not None]
    is_text = any(c.dtype == object for c in present)
    width = max(c.shape[1] if c.ndim == 2 else 1 for c in present)
    filled = []
    for n, column in pieces:
        if column is None or (column.dtype == object) != is_text:
            column = np.full(n, None, dtype=object) if is_text else np.full(n, np.nan)
        if not is_text and width > 1:
            column = _widen(column, width)
        filled.append(column)
    return np.concatenate(filled)


def _widen(column: Column, width: int) -> Column:
    out = np.full((len(column), width), np.nan)
    values = column if column.ndim == 2 else column[:, None]
    out[:, : values.shape[1]] = values
    return out

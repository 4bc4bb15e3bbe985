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

from backstride.ingest import fit_native
from backstride.ingest.fit_profile import FieldProfile
from backstride.ingest.fit_scan import Definition, Scan

#: a decoded field: float64, 2-D float64 (arrays), object (strings) or datetime64[ms]
Column = npt.NDArray[Any]
Block = npt.NDArray[np.uint8]
Ints = npt.NDArray[np.int64]

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


def message_rows(data: bytes, found: Scan) -> tuple[list[Rows], Ints]:
    """Every data message grouped by definition as 2-D byte blocks in file order, and the
    byte position of every message (its index there is its file order)."""
    positions, defs = _expand(found)
    arr = np.frombuffer(data, dtype=np.uint8)
    by_def = np.argsort(defs, kind="stable")
    bounds = np.searchsorted(defs[by_def], np.arange(len(found.definitions) + 1))
    out = []
    for def_id, definition in enumerate(found.definitions):
        rows = by_def[bounds[def_id] : bounds[def_id + 1]]
        if len(rows):
            block = row_block(arr, positions[rows] + 1, definition.size - 1)
            out.append(Rows(definition, block, rows.astype(np.int64)))
    return out, positions


def _expand(found: Scan) -> tuple[Ints, Ints]:
    """(byte position, definition) of every data message, sorted by position."""
    positions = np.array(found.single_pos, dtype=np.int64)
    defs = np.array(found.single_def, dtype=np.int64)
    if found.blocks:
        start, count, def_id, stride = np.array(found.blocks, dtype=np.int64).T
        block_of = np.repeat(np.arange(len(count)), count)
        within = np.arange(len(block_of), dtype=np.int64) - (np.cumsum(count) - count)[block_of]
        positions = np.concatenate([positions, start[block_of] + within * stride[block_of]])
        defs = np.concatenate([defs, def_id[block_of]])
        order = np.argsort(positions, kind="stable")
        positions, defs = positions[order], defs[order]
    return positions, defs


def row_block(arr: Block, starts: Ints, width: int) -> Block:
    """Rows of `width` bytes at `starts`: a zero-copy strided view when evenly spaced."""
    n = len(starts)
    stride = int(starts[1] - starts[0]) if n > 1 else width + 1
    if (
        stride > 0
        and (n < 3 or int(starts[-1] - starts[0]) == (n - 1) * stride)
        and (n < 3 or bool((np.diff(starts) == stride).all()))
    ):
        # The ndarray constructor directly: as_strided's Python wrapper cost more than the
        # view itself on small files (one per definition).
        view: Block = np.ndarray(
            (n, width), dtype=np.uint8, buffer=arr, offset=int(starts[0]), strides=(stride, 1)
        )
        return view
    if width == 0:
        return np.zeros((n, 0), dtype=np.uint8)
    if arr.ndim == 1 and arr.flags.c_contiguous and len(arr) >= width:
        # every window of the bytes as a view (what sliding_window_view gives, without
        # its Python wrapper), then the rows gathered
        windows: Block = np.ndarray(
            (len(arr) - width + 1, width), dtype=np.uint8, buffer=arr, strides=(1, 1)
        )
        return windows[starts]
    gathered: Block = np.lib.stride_tricks.sliding_window_view(arr, width)[starts]
    return gathered


#: (key, byte offset in the row, size, base type) of one field to decode
FieldAt = tuple[str, int, int, int]


def decode_fields(block: Block, fields: list[FieldAt], *, big_endian: bool) -> dict[str, Column]:
    """Several fields of every row at once: float64 (NaN = invalid), 2-D for arrays, str
    for strings. Numbers are read through one structured view of the rows, no copies.
    Fields whose size is not a whole number of values are skipped, as the SDK does.
    The compiled core (when built) gives the same columns in one call."""
    core = fit_native.CORE
    if core is not None:
        found: dict[str, Any] | None = core.fields(block, fields, big_endian)
        if found is not None:
            for key, column in found.items():
                if type(column) is list:
                    found[key] = object_array(column)
            return found
    out: dict[str, Column] = {}
    names, formats, offsets, kinds = [], [], [], []
    for key, offset, size, base_type in fields:
        if key in out or key in names:
            continue  # a field number defined twice: the first one counts
        kind = base_type & 0x1F
        spec = BASE_TYPES.get(kind)
        if kind == STRING_TYPE:
            out[key] = _strings(block[:, offset : offset + size])
        elif spec is not None and size:
            dtype = np.dtype(("<" if not big_endian else ">") + spec[0])
            if size % dtype.itemsize == 0:
                count = size // dtype.itemsize
                names.append(key)
                formats.append((dtype, (count,)) if count > 1 else dtype)
                offsets.append(offset)
                kinds.append(kind)
    if not names or not len(block):
        return out | {key: np.zeros(0) for key in names}
    layout = np.dtype(
        {"names": names, "formats": formats, "offsets": offsets, "itemsize": block.shape[1]}
    )
    rows = block.view(layout)[:, 0]
    for key, kind in zip(names, kinds, strict=True):
        out[key] = _numbers(rows[key], kind)
    return out


def _numbers(values: npt.NDArray[Any], kind: int) -> Column:
    """Typed raw values as float64 with the base type's invalid value as NaN."""
    invalid = BASE_TYPES[kind][1]
    out = values.astype(np.float64)
    if kind == BYTE_TYPE and out.ndim == 2:  # a byte array is invalid only when all 0xFF
        out[(values == invalid).all(axis=1)] = np.nan
    elif invalid is not None:
        out[values == invalid] = np.nan
    return out


def _strings(raw: Block) -> npt.NDArray[np.object_]:
    """NUL-terminated UTF-8 strings, None where empty."""
    texts = [bytes(row).split(b"\x00", 1)[0].decode("utf-8", "replace") or None for row in raw]
    return object_array(texts)


def object_array(items: list[Any]) -> npt.NDArray[np.object_]:
    """A 1-D object array of the items (strings or None)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def scaled(values: Column, profile: FieldProfile) -> Column:
    """Apply the profile's scale and offset (value = raw / scale - offset)."""
    return scaled_by(values, profile.scale, profile.offset)


def scaled_by(values: Column, scale: float, offset: float) -> Column:
    """value = raw / scale - offset (strings and unscaled values unchanged)."""
    if values.dtype == object or (scale == 1.0 and offset == 0.0):
        return values
    return values / scale - offset


def merge(
    parts: list[tuple[Ints, dict[str, Column]]],
) -> tuple[Ints, dict[str, Column]]:
    """Interleave per-definition tables of one message into file order, filling gaps."""
    if len(parts) == 1:
        return parts[0]
    order = np.concatenate([p[0] for p in parts])
    sort = np.argsort(order, kind="stable")
    destination = np.empty(len(order), dtype=np.int64)
    destination[sort] = np.arange(len(order))
    bounds = np.cumsum([0] + [len(p[0]) for p in parts])
    slots = [destination[bounds[i] : bounds[i + 1]] for i in range(len(parts))]
    fields: dict[str, Column] = {}
    for name in dict.fromkeys(name for _, cols in parts for name in cols):
        pieces = [
            (slot, cols[name]) for slot, (_, cols) in zip(slots, parts, strict=True) if name in cols
        ]
        fields[name] = _scatter(len(order), pieces)
    return order[sort], fields


def _scatter(n: int, pieces: list[tuple[Ints, Column]]) -> Column:
    """One column of n rows from per-definition pieces (NaN/None where a piece is absent)."""
    if any(column.dtype == object for _, column in pieces):
        out: Column = np.full(n, None, dtype=object)
        for slot, column in pieces:
            if column.dtype == object:
                out[slot] = column
        return out
    width = max(column.shape[1] if column.ndim == 2 else 1 for _, column in pieces)
    covered = sum(len(slot) for slot, _ in pieces) == n and all(
        (column.shape[1] if column.ndim == 2 else 1) == width for _, column in pieces
    )
    shape = (n, width) if width > 1 else (n,)
    out = np.empty(shape) if covered else np.full(shape, np.nan)
    for slot, column in pieces:
        if width == 1:
            out[slot] = column
        else:
            values = column if column.ndim == 2 else column[:, None]
            out[slot, : values.shape[1]] = values
    return out

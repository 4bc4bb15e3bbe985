"""First FIT pass: file headers, CRCs and the byte position of every message.

The loop touches message headers only. A run of data messages with the same header byte
(the usual stream of `record`s) is measured with one numpy comparison over every
`size`-th byte instead of one Python step per message; field bytes are decoded later,
per definition, all rows at once (see fit_columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from backstride.errors import CorruptFileError, NotActivityFileError
from backstride.ingest.fit_crc import crc16

SIGNATURE = b".FIT"


@dataclass(frozen=True, slots=True)
class Definition:
    """A definition message: layout of the data messages that follow for one local type."""

    global_num: int
    big_endian: bool
    #: (field number, byte offset after the record header, size, base type)
    fields: tuple[tuple[int, int, int, int], ...]
    #: (developer field number, byte offset, size, developer data index)
    dev_fields: tuple[tuple[int, int, int, int], ...]
    #: bytes of one data message, header byte included
    size: int
    #: which FIT file of a chain it belongs to (developer descriptions are per file)
    file_index: int


@dataclass(slots=True)
class Scan:
    """Where every data message is: runs of equal-layout messages in file order."""

    definitions: list[Definition] = field(default_factory=list)
    run_start: list[int] = field(default_factory=list)
    run_count: list[int] = field(default_factory=list)
    run_def: list[int] = field(default_factory=list)
    #: (message order index, 5-bit time offset) of compressed-timestamp messages
    compressed: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    n_messages: int = 0
    n_files: int = 0


class _StopError(Exception):
    """Internal: the message stream cannot continue; carries the reason."""


def scan(data: bytes) -> Scan:
    """Locate every message of a (possibly chained, truncated or damaged) FIT file."""
    if not data:
        raise NotActivityFileError("not a FIT file: it is empty")
    result = Scan()
    arr = np.frombuffer(data, dtype=np.uint8)
    pos = 0
    while pos < len(data):
        if result.n_files and _is_padding(data, pos):
            break
        header_size, end, bad = _file_header(data, pos, first=not result.n_files)
        if bad:
            result.warnings.append(bad)
            break
        result.n_files += 1
        stopped = _scan_file(data, arr, pos, header_size, end, result)
        if stopped:
            break
        pos = end + 2
    return result


def _is_padding(data: bytes, pos: int) -> bool:
    """True for trailing zero bytes after a complete file (some devices pad to a block)."""
    return not data[pos:].strip(b"\x00")


def _file_header(data: bytes, pos: int, *, first: bool) -> tuple[int, int, str]:
    """(header size, end of the data section, problem) for the FIT file starting at `pos`."""
    where = f"at byte {pos}" if pos else "at the start"
    if len(data) - pos < 12 or data[pos + 8 : pos + 12] != SIGNATURE or data[pos] < 12:
        if first:
            raise NotActivityFileError("not a FIT file: no '.FIT' header signature")
        return 0, 0, f"{len(data) - pos} bytes {where} are not a FIT file header; ignored them"
    header_size = data[pos]
    if len(data) - pos < header_size:
        if first:
            raise CorruptFileError(f"FIT header is cut short: {len(data)} bytes in the file")
        return 0, 0, f"FIT header {where} is cut short; ignored the last {len(data) - pos} bytes"
    data_size = int.from_bytes(data[pos + 4 : pos + 8], "little")
    return header_size, pos + header_size + data_size, ""


def _scan_file(
    data: bytes, arr: npt.NDArray[np.uint8], pos: int, header_size: int, end: int, result: Scan
) -> bool:
    """Scan one FIT file of the chain; True when the chain cannot continue after it."""
    _check_header_crc(data, pos, header_size, result)
    declared_end = end
    if end == pos + header_size:  # data size 0: the writer never finalised the header
        end = len(data)
        result.warnings.append(
            "FIT header declares no data (recording not finalised); read the messages present"
        )
    elif end + 2 > len(data):
        end = len(data)
        result.warnings.append(
            f"FIT file is truncated: the header declares {declared_end + 2 - pos} bytes, "
            f"{len(data) - pos} are present; kept the complete messages"
        )
    try:
        _scan_messages(data, arr, pos + header_size, end, result)
    except _StopError as stop:
        result.warnings.append(f"{stop}; kept the {result.n_messages} messages before it")
        return True
    if end != declared_end:
        return True
    stored = int.from_bytes(data[end : end + 2], "little")
    if stored != crc16(memoryview(data)[pos:end]):
        result.warnings.append(f"FIT file CRC mismatch at byte {end}; values may be damaged")
    return False


def _check_header_crc(data: bytes, pos: int, header_size: int, result: Scan) -> None:
    if header_size < 14:
        return
    stored = int.from_bytes(data[pos + 12 : pos + 14], "little")
    if stored and stored != crc16(memoryview(data)[pos : pos + 12]):
        result.warnings.append(f"FIT header CRC mismatch at byte {pos}")


def _scan_messages(
    data: bytes, arr: npt.NDArray[np.uint8], pos: int, end: int, result: Scan
) -> None:
    """Walk the message headers of one file's data section (the hot loop)."""
    sizes = [0] * 16  # bytes per data message by local type; 0 = not defined yet
    def_ids = [0] * 16
    run_start, run_count, run_def = result.run_start, result.run_count, result.run_def
    compressed = result.compressed
    order = result.n_messages
    try:
        while pos < end:
            header = data[pos]
            if header & 0x80:  # compressed timestamp header: local type 0-3
                local = (header >> 5) & 3
                size = sizes[local]
                if not size or pos + size > end:
                    _raise_bad_data(pos, local, size)
                compressed.append((order, header & 0x1F))
                count = 1
            elif header & 0x40:
                local = header & 0x0F
                definition, pos = _read_definition(data, pos, end, result.n_files - 1)
                def_ids[local] = len(result.definitions)
                result.definitions.append(definition)
                sizes[local] = definition.size
                continue
            else:
                local = header & 0x0F
                size = sizes[local]
                if not size or pos + size > end:
                    _raise_bad_data(pos, local, size)
                nxt = pos + size
                count = 1
                if nxt < end and data[nxt] == header:
                    count = _run_length(arr, pos, size, header, end)
            run_start.append(pos)
            run_count.append(count)
            run_def.append(def_ids[local])
            order += count
            pos += count * size
    finally:
        result.n_messages = order


def _raise_bad_data(pos: int, local: int, size: int) -> None:
    if not size:
        raise _StopError(
            f"data message at byte {pos} uses local type {local}, which has no definition"
        )
    raise _StopError(f"message at byte {pos} is cut short")


def _run_length(arr: npt.NDArray[np.uint8], pos: int, size: int, header: int, end: int) -> int:
    """How many consecutive `size`-byte messages from `pos` start with the same header byte."""
    limit = (end - pos) // size
    count, chunk = 0, 16
    while count < limit:
        take = min(chunk, limit - count)
        stop = pos + (count + take) * size
        differs = np.flatnonzero(arr[pos + count * size : stop : size] != header)
        if len(differs):
            return count + int(differs[0])
        count += take
        chunk *= 4
    return count


def _read_definition(data: bytes, pos: int, end: int, file_index: int) -> tuple[Definition, int]:
    """Parse the definition message at `pos`; returns it and the next message position."""
    if pos + 6 > end:
        raise _StopError(f"definition message at byte {pos} is cut short")
    architecture = data[pos + 2]
    if architecture > 1:
        raise _StopError(
            f"definition at byte {pos} has architecture {architecture}, expected 0 or 1"
        )
    big = architecture == 1
    global_num = int.from_bytes(data[pos + 3 : pos + 5], "big" if big else "little")
    fields, cursor, offset = _field_triples(data, pos + 5, end, 0)
    dev_fields: tuple[tuple[int, int, int, int], ...] = ()
    if data[pos] & 0x20:
        dev_fields, cursor, offset = _field_triples(data, cursor, end, offset)
    return Definition(global_num, big, fields, dev_fields, offset + 1, file_index), cursor


def _field_triples(
    data: bytes, pos: int, end: int, offset: int
) -> tuple[tuple[tuple[int, int, int, int], ...], int, int]:
    """Read a count byte and that many (number, size, type-or-index) triples."""
    if pos >= end:
        raise _StopError(f"definition field list at byte {pos} is cut short")
    count = data[pos]
    stop = pos + 1 + 3 * count
    if stop > end:
        raise _StopError(f"definition field list at byte {pos} is cut short")
    raw = data[pos + 1 : stop]
    triples = []
    for i in range(0, 3 * count, 3):
        size = raw[i + 1]
        triples.append((raw[i], offset, size, raw[i + 2]))
        offset += size
    return tuple(triples), stop, offset

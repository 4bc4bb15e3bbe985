"""First FIT pass: file headers, CRCs and the byte position of every message.

The loop touches message headers only. A run of data messages with the same header byte
(the usual stream of `record`s) is measured with one numpy comparison over every
`size`-th byte instead of one Python step per message; field bytes are decoded later,
per definition, all rows at once (see fit_columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import numpy.typing as npt

from backstride.errors import CorruptFileError, NotActivityFileError
from backstride.ingest.fit_crc import crc16

SIGNATURE = b".FIT"
CYCLE_WINDOW = 12  # single messages looked back on for a repeating pattern (up to 6 long)


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
    #: one data message each: byte position and definition index
    single_pos: list[int] = field(default_factory=list)
    single_def: list[int] = field(default_factory=list)
    #: runs and cycles of messages: (first position, count, definition, byte stride)
    blocks: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: (byte position, 5-bit time offset) of compressed-timestamp messages
    compressed: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    n_files: int = 0
    #: (definition bytes after the header, file number) -> index in `definitions`
    known_definitions: dict[tuple[bytes, int], int] = field(default_factory=dict)

    @property
    def n_messages(self) -> int:
        """Data messages found so far."""
        return len(self.single_pos) + sum(block[1] for block in self.blocks)


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
    """Walk the message headers of one file's data section (the hot loop).

    `size_of[header byte]` is the size of a data message with that normal header, 0 for
    anything needing the slow path (definitions, compressed headers, undefined types).
    Longer than house style on purpose: a helper call per message would cost as much as
    the work it does.
    """
    size_of = [0] * 256
    def_of = [0] * 256
    local_size, local_def = [0] * 16, [0] * 16
    add_pos, add_def = result.single_pos.append, result.single_def.append
    blocks = result.blocks
    streak = 0  # consecutive single messages since the last definition, block or cycle
    wait = CYCLE_WINDOW  # singles to see before looking for a repeating pattern
    while pos < end:
        header = data[pos]
        size = size_of[header]
        if size:
            nxt = pos + size
            if nxt < end and data[nxt] == header:
                count = _run_length(data, arr, pos, size, header, end)
                blocks.append((pos, count, def_of[header], size))
                pos += count * size
                streak = 0
                continue
            if nxt > end:
                raise _StopError(f"message at byte {pos} is cut short")
            add_pos(pos)
            add_def(def_of[header])
            pos = nxt
            streak += 1
            if streak >= wait:
                streak = 0
                pos, cycles = _cycle(data, arr, pos, end, result)
                # a pattern that breaks quickly costs more than it saves: look less often
                wait = CYCLE_WINDOW if cycles >= 16 else min(2 * wait, 1024)
            continue
        streak = 0
        local = header & 0x0F
        if header & 0x80:  # compressed timestamp header: local type 0-3
            local = (header >> 5) & 3
        elif header & 0x40:
            local_def[local], pos = _definition_id(data, pos, end, result)
            definition = result.definitions[local_def[local]]
            local_size[local] = definition.size
            for variant in (local, local | 0x10, local | 0x20, local | 0x30):  # reserved bits
                size_of[variant], def_of[variant] = definition.size, local_def[local]
            continue
        size = local_size[local]
        if not size:
            raise _StopError(
                f"data message at byte {pos} uses local type {local}, which has no definition"
            )
        if pos + size > end:
            raise _StopError(f"message at byte {pos} is cut short")
        result.compressed.append((pos, header & 0x1F))
        add_pos(pos)
        add_def(local_def[local])
        pos += size


def _cycle(
    data: bytes, arr: npt.NDArray[np.uint8], pos: int, end: int, result: Scan
) -> tuple[int, int]:
    """Take a repeating pattern of messages (record, hrv, ...) in one step.

    Returns the new position and how many times the pattern repeated.

    The last CYCLE_WINDOW single messages had no definition between them. When their
    header bytes end in a pattern of m messages seen twice with the same period, the
    pattern recurs wherever all m header bytes recur at the same offsets one period
    later: those messages are counted with numpy, cycle after cycle, until one differs.
    """
    starts = result.single_pos[-CYCLE_WINDOW:]
    heads = [data[start] for start in starts]
    for m in range(2, CYCLE_WINDOW // 2 + 1):
        period = pos - starts[-m]
        if heads[-m:] != heads[-2 * m : -m] or starts[-m] - starts[-2 * m] != period:
            continue
        if any(h & 0x80 for h in heads[-m:]):
            return pos, 0
        offsets = [start - starts[-m] for start in starts[-m:]]
        pattern = list(zip(offsets, heads[-m:], strict=True))
        count = _cycles(data, arr, pos, (end - pos) // period, period, pattern)
        if count:
            for offset, definition in zip(offsets, result.single_def[-m:], strict=True):
                result.blocks.append((pos + offset, count, definition, period))
        return pos + count * period, count
    return pos, 0


def _cycles(
    data: bytes,
    arr: npt.NDArray[np.uint8],
    pos: int,
    limit: int,
    period: int,
    pattern: list[tuple[int, int]],
) -> int:
    """How many whole periods from `pos` repeat every (offset, header byte) of the pattern."""
    count = 0
    while count < min(limit, 4):  # most patterns break soon: check a few in plain Python
        base = pos + count * period
        if any(data[base + offset] != head for offset, head in pattern):
            return count
        count += 1
    chunk = 64
    while count < limit:
        take = min(chunk, limit - count)
        base = pos + count * period
        same = np.ones(take, dtype=bool)
        for offset, head in pattern:
            start = base + offset
            same &= arr[start : start + take * period : period] == head
        if not same.all():
            return count + int(np.argmin(same))
        count += take
        chunk *= 4
    return count


def _run_length(
    data: bytes, arr: npt.NDArray[np.uint8], pos: int, size: int, header: int, end: int
) -> int:
    """How many consecutive `size`-byte messages from `pos` start with the same header byte."""
    limit = (end - pos) // size
    count = 0
    while count < min(limit, 8):  # most runs are short: a few in plain Python, then numpy
        if data[pos + count * size] != header:
            return count
        count += 1
    chunk = 16
    while count < limit:
        take = min(chunk, limit - count)
        stop = pos + (count + take) * size
        differs = np.flatnonzero(arr[pos + count * size : stop : size] != header)
        if len(differs):
            return count + int(differs[0])
        count += take
        chunk *= 4
    return count


def _definition_id(data: bytes, pos: int, end: int, result: Scan) -> tuple[int, int]:
    """Index of the definition at `pos` (identical ones share it) and the next position.

    Some writers repeat a definition before every message; sharing the index keeps all
    those messages in one block, decoded together.
    """
    stop = pos + 6 + 3 * data[pos + 5] if pos + 6 <= end else end + 1
    if data[pos] & 0x20 and stop < end:
        stop += 1 + 3 * data[stop]
    if stop <= end:
        key = (data[pos + 1 : stop], result.n_files)
        known = result.known_definitions.get(key)
        if known is not None:
            return known, stop
    definition, stop = _read_definition(data, pos, end, result.n_files - 1)
    result.definitions.append(definition)
    result.known_definitions[(data[pos + 1 : stop], result.n_files)] = len(result.definitions) - 1
    return len(result.definitions) - 1, stop


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
    sizes = raw[1::3]
    offsets = list(accumulate(sizes, initial=offset))
    triples = tuple(zip(raw[0::3], offsets[:-1], sizes, raw[2::3], strict=True))
    return triples, stop, offsets[-1]

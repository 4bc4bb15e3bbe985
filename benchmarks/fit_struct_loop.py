"""The baseline a vectorised FIT decoder has to beat: a plain `struct` loop (about 80
lines) that walks every message, unpacks each data message with a precompiled Struct
and keeps the record fields. No CRC, no developer fields, no compressed timestamps."""

from __future__ import annotations

import struct

RECORD = 20
#: record field number -> name (the channels every reader in the benchmark extracts)
FIELDS = {
    253: "timestamp",
    0: "position_lat",
    1: "position_long",
    5: "distance",
    6: "speed",
    73: "enhanced_speed",
    2: "altitude",
    78: "enhanced_altitude",
    3: "heart_rate",
    4: "cadence",
    53: "fractional_cadence",
    39: "vertical_oscillation",
    41: "stance_time",
    85: "step_length",
    83: "vertical_ratio",
    7: "power",
}
CODES = {
    0: "B",
    1: "b",
    2: "B",
    3: "h",
    4: "H",
    5: "i",
    6: "I",
    8: "f",
    9: "d",
    10: "B",
    11: "H",
    12: "I",
    14: "q",
    15: "Q",
    16: "Q",
}


def _layout(fields: list[tuple[int, int, int]], big: bool) -> tuple[struct.Struct, list[int]]:
    """A Struct for one definition and, per unpacked value, its field number (-1 = skip)."""
    fmt, numbers = ">" if big else "<", []
    for num, size, base in fields:
        code = CODES.get(base & 0x1F)
        if code and size == struct.calcsize(code):
            fmt += code
            numbers.append(num)
        else:
            fmt += f"{size}x"
    return struct.Struct(fmt), numbers


def read_records(data: bytes) -> dict[str, list[float]]:
    """Every record field value, by name, for the whole (possibly chained) file."""
    out: dict[str, list[float]] = {name: [] for name in FIELDS.values()}
    pos = 0
    while pos + 12 <= len(data) and data[pos + 8 : pos + 12] == b".FIT":
        header_size = data[pos]
        end = pos + header_size + int.from_bytes(data[pos + 4 : pos + 8], "little")
        pos += header_size
        layouts: dict[int, tuple[int, struct.Struct, list[int]]] = {}
        while pos < end:
            header = data[pos]
            if header & 0x80:
                local, pos = (header >> 5) & 3, pos + 1
            elif header & 0x40:
                big = data[pos + 2] == 1
                glob = int.from_bytes(data[pos + 3 : pos + 5], "big" if big else "little")
                count, p = data[pos + 5], pos + 6
                fields = [
                    (data[p + 3 * i], data[p + 3 * i + 1], data[p + 3 * i + 2])
                    for i in range(count)
                ]
                p += 3 * count
                dev = 0
                if header & 0x20:  # developer fields: skipped, only their sizes matter
                    dev = sum(data[p + 2 + 3 * i] for i in range(data[p]))
                    p += 1 + 3 * data[p]
                packer, numbers = _layout(fields, big)
                layouts[header & 0x0F] = (glob, struct.Struct(packer.format + f"{dev}x"), numbers)
                pos = p
                continue
            else:
                local, pos = header & 0x0F, pos + 1
            glob, packer, numbers = layouts[local]
            if glob == RECORD:
                for num, value in zip(numbers, packer.unpack_from(data, pos), strict=True):
                    name = FIELDS.get(num)
                    if name is not None:
                        out[name].append(value)
            pos += packer.size
        pos = end + 2
    return out

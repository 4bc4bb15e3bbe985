"""A small FIT encoder for self-contained test files (both endiannesses, compressed
timestamps, developer fields, chaining, bad CRCs, truncation), and byte-level mutations
for fuzzing (shared by the Hypothesis test and the long fuzz run under benchmarks/)."""

from __future__ import annotations

import random
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

from backstride.ingest.fit_crc import crc16_loop

FIT_EPOCH_S = 631065600
#: base type -> (struct code, invalid raw value)
BASE: dict[int, tuple[str, int | float]] = {
    0x00: ("B", 0xFF),
    0x01: ("b", 0x7F),
    0x02: ("B", 0xFF),
    0x83: ("h", 0x7FFF),
    0x84: ("H", 0xFFFF),
    0x85: ("i", 0x7FFFFFFF),
    0x86: ("I", 0xFFFFFFFF),
    0x88: ("f", float("nan")),
    0x89: ("d", float("nan")),
    0x8C: ("I", 0),
    0x0D: ("B", 0xFF),
}
STRING = 0x07
ENUM, SINT8, UINT8, SINT16, UINT16, SINT32, UINT32, FLOAT32 = (
    0x00,
    0x01,
    0x02,
    0x83,
    0x84,
    0x85,
    0x86,
    0x88,
)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a definition: number, base type, and size (a multiple for arrays)."""

    num: int
    base_type: int
    size: int = 0

    @property
    def nbytes(self) -> int:
        if self.size:
            return self.size
        return 1 if self.base_type == STRING else struct.calcsize(BASE[self.base_type][0])


@dataclass
class FitWriter:
    """Build one FIT file message by message; `to_bytes()` adds header and CRC."""

    big_endian: bool = False
    header_size: int = 14
    body: bytearray = field(default_factory=bytearray)
    layouts: dict[int, tuple[list[FieldSpec], list[tuple[int, int, int]]]] = field(
        default_factory=dict
    )

    def define(
        self,
        local: int,
        global_num: int,
        fields: Sequence[FieldSpec],
        dev_fields: Sequence[tuple[int, int, int]] = (),
    ) -> FitWriter:
        """A definition message; dev_fields are (field number, size, developer index)."""
        header = 0x40 | local | (0x20 if dev_fields else 0)
        order = ">" if self.big_endian else "<"
        self.body += bytes([header, 0, int(self.big_endian)])
        self.body += struct.pack(order + "H", global_num) + bytes([len(fields)])
        for spec in fields:
            self.body += bytes([spec.num, spec.nbytes, spec.base_type])
        if dev_fields:
            self.body += bytes([len(dev_fields)])
            for num, size, index in dev_fields:
                self.body += bytes([num, size, index])
        self.layouts[local] = (list(fields), list(dev_fields))
        return self

    def message(
        self, local: int, *values: object, dev: Sequence[bytes] = (), time_offset: int | None = None
    ) -> FitWriter:
        """A data message (None = invalid); `time_offset` makes a compressed-timestamp header."""
        specs, dev_specs = self.layouts[local]
        if time_offset is None:
            self.body.append(local)
        else:
            self.body.append(0x80 | (local & 3) << 5 | (time_offset & 0x1F))
        for spec, value in zip(specs, values, strict=True):
            self.body += self.encode(spec, value)
        for (_, size, _), raw in zip(dev_specs, dev, strict=True):
            assert len(raw) == size
            self.body += raw
        return self

    def encode(self, spec: FieldSpec, value: object) -> bytes:
        """One field's bytes at this file's endianness."""
        if spec.base_type == STRING:
            text = (value or "").encode() if not isinstance(value, bytes) else value  # type: ignore[attr-defined]
            return text[: spec.nbytes].ljust(spec.nbytes, b"\x00")
        code, invalid = BASE[spec.base_type]
        count = spec.nbytes // struct.calcsize(code)
        items = list(value) if isinstance(value, list | tuple) else [value] * count
        items = [invalid if v is None else v for v in items]
        return struct.pack((">" if self.big_endian else "<") + code * count, *items)

    def to_bytes(self, *, bad_crc: bool = False, bad_header_crc: bool = False) -> bytes:
        """The complete file: header (with CRC when 14 bytes), messages, file CRC."""
        header = bytes([self.header_size, 0x20]) + struct.pack("<HI", 2132, len(self.body))
        header += b".FIT"
        if self.header_size == 14:
            crc = crc16_loop(header) ^ (1 if bad_header_crc else 0)
            header += struct.pack("<H", crc)
        out = header + bytes(self.body)
        crc = crc16_loop(out) ^ (0x5A5A if bad_crc else 0)
        return out + struct.pack("<H", crc)


def fit_seconds(unix_s: int) -> int:
    """Unix seconds as FIT seconds (since 1989-12-31 UTC)."""
    return unix_s - FIT_EPOCH_S


def semicircles(degrees: float) -> int:
    """Degrees as FIT semicircles."""
    return round(degrees * 2**31 / 180.0)


FILE_ID = [FieldSpec(0, ENUM), FieldSpec(1, UINT16), FieldSpec(2, UINT16), FieldSpec(4, UINT32)]
RECORD = [
    FieldSpec(253, UINT32),
    FieldSpec(0, SINT32),
    FieldSpec(1, SINT32),
    FieldSpec(5, UINT32),  # distance, scale 100
    FieldSpec(73, UINT32),  # enhanced_speed, scale 1000
    FieldSpec(78, UINT32),  # enhanced_altitude, scale 5 offset 500
    FieldSpec(3, UINT8),  # heart_rate
    FieldSpec(4, UINT8),  # cadence
    FieldSpec(53, UINT8),  # fractional_cadence, scale 128
    FieldSpec(39, UINT16),  # vertical_oscillation, scale 10
    FieldSpec(41, UINT16),  # stance_time, scale 10
    FieldSpec(85, UINT16),  # step_length, scale 10
    FieldSpec(83, UINT16),  # vertical_ratio, scale 100
    FieldSpec(7, UINT16),  # power
]
SESSION = [
    FieldSpec(253, UINT32),
    FieldSpec(2, UINT32),  # start_time
    FieldSpec(5, ENUM),  # sport
    FieldSpec(6, ENUM),  # sub_sport
    FieldSpec(7, UINT32),  # total_elapsed_time, scale 1000
    FieldSpec(8, UINT32),  # total_timer_time, scale 1000
    FieldSpec(9, UINT32),  # total_distance, scale 100
]
LAP = [FieldSpec(253, UINT32), FieldSpec(2, UINT32), FieldSpec(7, UINT32), FieldSpec(9, UINT32)]
START_UNIX = 1_700_000_000  # 2023-11-14T22:13:20Z


def record_values(i: int, *, start: int = START_UNIX) -> tuple[object, ...]:
    """Raw values of the i-th record of the standard test run (one record a second)."""
    return (
        fit_seconds(start + i),
        semicircles(51.5 + i * 1e-5),
        semicircles(-0.12 - i * 1e-5),
        i * 310,  # 3.10 m a second
        3100,
        (20 + 500) * 5 + i,
        140 + i % 20,
        85,
        64,  # + 0.5 stride/min
        85 + i % 5,
        2400,
        1150,
        780,
        250 + i,
    )


def activity_writer(
    n: int = 30,
    *,
    sport: int = 1,
    sub_sport: int = 0,
    big_endian: bool = False,
    start: int = START_UNIX,
) -> FitWriter:
    """A complete small running activity: file_id, n records, one lap, one session."""
    writer = FitWriter(big_endian=big_endian)
    writer.define(0, 0, FILE_ID).message(0, 4, 1, 3113, fit_seconds(start))  # garmin fr945
    writer.define(1, 20, RECORD)
    for i in range(n):
        writer.message(1, *record_values(i, start=start))
    end = fit_seconds(start + n)
    writer.define(2, 19, LAP).message(2, end, fit_seconds(start), n * 1000, n * 310)
    writer.define(3, 18, SESSION)
    writer.message(3, end, fit_seconds(start), sport, sub_sport, n * 1000, (n - 2) * 1000, n * 310)
    return writer


# --- mutations for fuzzing ------------------------------------------------------------

#: (kind, position fraction 0-1, value) — positions scale to the file's length
Mutation = tuple[str, float, int]
KINDS = ("flip", "truncate", "insert", "delete", "byte", "size", "header_size", "u32")


def apply(data: bytes, mutations: list[Mutation]) -> bytes:
    """Apply mutations in turn; every kind is defined for any input length."""
    out = bytearray(data)
    for kind, where, value in mutations:
        pos = min(int(where * len(out)), max(len(out) - 1, 0))
        if kind == "truncate":
            del out[pos:]
        elif kind == "insert":
            out[pos:pos] = value.to_bytes(4, "little")[: 1 + value % 4]
        elif kind == "delete":
            del out[pos : pos + 1 + value % 8]
        elif not out:
            continue
        elif kind == "flip":
            out[pos] ^= 1 << (value % 8)
        elif kind == "byte":
            out[pos] = value & 0xFF
        elif kind == "size" and len(out) >= 8:
            out[4:8] = struct.pack("<I", value & 0xFFFFFFFF)
        elif kind == "header_size":
            out[0] = value & 0xFF
        elif kind == "u32" and pos + 4 <= len(out):
            out[pos : pos + 4] = struct.pack("<I", value & 0xFFFFFFFF)
    return bytes(out)


def random_mutations(rng: random.Random) -> list[Mutation]:
    """One to four random mutations."""
    return [
        (rng.choice(KINDS), rng.random(), rng.getrandbits(32)) for _ in range(rng.randint(1, 4))
    ]


def self_made_seeds() -> list[bytes]:
    """Small valid files covering the decoder's paths: both endiannesses, compressed
    timestamps, developer fields, chaining."""
    seeds = [activity_writer(12).to_bytes(), activity_writer(12, big_endian=True).to_bytes()]
    seeds.append(seeds[0] + activity_writer(5, start=1_700_000_100).to_bytes())
    compressed = FitWriter().define(0, 20, [FieldSpec(253, UINT32), FieldSpec(3, UINT8)])
    compressed.message(0, fit_seconds(1_700_000_000), 120)
    compressed.define(1, 20, [FieldSpec(3, UINT8)])
    for step in range(1, 40, 3):
        compressed.message(1, 120 + step, time_offset=(fit_seconds(1_700_000_000) + step) & 31)
    seeds.append(compressed.to_bytes())
    dev = FitWriter().define(0, 207, [FieldSpec(3, UINT8)]).message(0, 0)
    dev.define(
        1,
        206,
        [
            FieldSpec(0, UINT8),
            FieldSpec(1, UINT8),
            FieldSpec(2, UINT8),
            FieldSpec(3, STRING, 12),
            FieldSpec(8, STRING, 4),
        ],
    )
    dev.message(1, 0, 1, FLOAT32, "Power", "W").message(1, 0, 2, UINT16, "Ground Time", "ms")
    dev.define(2, 20, [FieldSpec(253, UINT32)], dev_fields=[(1, 4, 0), (2, 2, 0)])
    for i in range(8):
        dev.message(
            2,
            fit_seconds(1_700_000_000 + i),
            dev=[struct.pack("<f", 250.0 + i), struct.pack("<H", 230)],
        )
    seeds.append(dev.to_bytes())
    return seeds


#: small corpus FIT files covering compressed timestamps, chaining and developer data
CORPUS_SEEDS = (
    "python-fitparse__Activity.fit",
    "python-fitparse__activity-settings.fit",
    "python-fitparse__DeveloperData.fit",
    "Runalyze__FR70-intervals.fit",
    "python-fitparse__garmin-fenix-5-run.fit",
    "tormoder-fit__unterminated-strings.fit",
    "python-fitparse__elemnt-bolt-no-application-id-inside-developer-data-id.fit",
    "muktihari-fit__activity_multisport.fit",
)

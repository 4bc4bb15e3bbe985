"""Invariants of the FIT decoder on generated files: whatever the message pattern (runs,
repeating cycles, interleaved types, repeated definitions), every value comes back."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.ingest.fit import decode_fit, read_fit
from tests.ingest.fit_encoder import (
    UINT8,
    UINT16,
    UINT32,
    FieldSpec,
    FitWriter,
    fit_seconds,
)

START = fit_seconds(1_700_000_000)
#: local type -> (global message, field layout): records, hrv-like events and device info
LAYOUTS = {
    0: (20, [FieldSpec(253, UINT32), FieldSpec(3, UINT8), FieldSpec(7, UINT16)]),
    1: (
        20,
        [FieldSpec(253, UINT32), FieldSpec(7, UINT16), FieldSpec(3, UINT8), FieldSpec(4, UINT8)],
    ),
    2: (21, [FieldSpec(253, UINT32), FieldSpec(0, UINT8)]),
    3: (23, [FieldSpec(253, UINT32), FieldSpec(2, UINT16), FieldSpec(4, UINT16)]),
}
PATTERNS = st.lists(st.sampled_from([0, 1, 2, 3]), min_size=1, max_size=6)


def _build(
    pattern_runs: list[tuple[list[int], int]], *, big_endian: bool, redefine: bool
) -> tuple[bytes, list[tuple[int, int, int]]]:
    """A file of the given (pattern, repeats) blocks; expected (time, hr, power) records."""
    writer = FitWriter(big_endian=big_endian)
    for local, (global_num, fields) in LAYOUTS.items():
        writer.define(local, global_num, fields)
    expected, t = [], START
    for pattern, repeats in pattern_runs:
        for _ in range(repeats):
            for local in pattern:
                if redefine:
                    writer.define(local, *LAYOUTS[local])
                t += 1
                hr, power = 60 + t % 150, t % 1000
                values = {0: (t, hr, power), 1: (t, power, hr, 80), 2: (t, 3), 3: (t, 7, 9)}
                writer.message(local, *values[local])
                if LAYOUTS[local][0] == 20:
                    expected.append((t, hr, power))
    return writer.to_bytes(), expected


@settings(max_examples=150, deadline=None)
@given(
    pattern_runs=st.lists(st.tuples(PATTERNS, st.integers(1, 40)), min_size=1, max_size=5),
    big_endian=st.booleans(),
    redefine=st.booleans(),
)
def test_every_record_value_comes_back_whatever_the_message_pattern(
    pattern_runs: list[tuple[list[int], int]], big_endian: bool, redefine: bool
) -> None:
    data, expected = _build(pattern_runs, big_endian=big_endian, redefine=redefine)
    record = decode_fit(data).table("record")
    if not expected:
        assert record is None
        return
    assert record is not None
    seconds = record.fields["timestamp"].astype("datetime64[s]").astype(np.int64) - 631065600
    assert seconds.tolist() == [t for t, _, _ in expected]
    assert record.fields["heart_rate"].tolist() == [hr for _, hr, _ in expected]
    assert record.fields["power"].tolist() == [p for _, _, p in expected]


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(
        st.tuples(st.integers(0, 254), st.integers(0, 65534), st.integers(-(2**31) + 2, 2**31 - 2)),
        min_size=1,
        max_size=50,
    ),
    big_endian=st.booleans(),
)
def test_raw_values_round_trip_through_the_encoder_in_either_byte_order(
    values: list[tuple[int, int, int]], big_endian: bool
) -> None:
    fields = [
        FieldSpec(253, UINT32),
        FieldSpec(3, UINT8),
        FieldSpec(7, UINT16),
        FieldSpec(0, 0x85),
        FieldSpec(1, 0x85),
    ]
    writer = FitWriter(big_endian=big_endian).define(0, 20, fields)
    for i, (hr, power, lat) in enumerate(values):
        writer.message(0, START + i, hr, power, lat, -lat)
    samples = read_fit(writer.to_bytes()).samples
    assert samples.channels["hr_bpm"].tolist() == [float(v[0]) for v in values]
    assert samples.channels["power_w"].tolist() == [float(v[1]) for v in values]
    np.testing.assert_allclose(samples.channels["lat_deg"], [v[2] * 180 / 2**31 for v in values])
    np.testing.assert_allclose(samples.channels["lon_deg"], [-v[2] * 180 / 2**31 for v in values])

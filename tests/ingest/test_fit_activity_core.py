"""The compiled core's Activity path (one call from bytes to Activity) on self-made files
that reach each of its steps: it must build the Activity itself, and that Activity must
equal the pure-Python steps' in every field, channel and warning."""

from __future__ import annotations

import hashlib
import os
import struct

import numpy as np
import pytest

from backstride.domain.activity import Activity
from backstride.errors import IngestError
from backstride.ingest import fit_native
from backstride.ingest.fit import activity_core_serves, read_fit
from tests.ingest.fit_encoder import (
    ENUM,
    FILE_ID,
    FLOAT32,
    RECORD,
    SESSION,
    STRING,
    UINT8,
    UINT16,
    UINT32,
    FieldSpec,
    FitWriter,
    activity_writer,
    fit_seconds,
    record_values,
)

pytestmark = pytest.mark.skipif(
    fit_native.CORE is None, reason="the compiled FIT core was not built (no C compiler)"
)
START = 1_700_000_000
DESCRIPTION = [
    FieldSpec(0, UINT8),  # developer_data_index
    FieldSpec(1, UINT8),  # field_definition_number
    FieldSpec(2, UINT8),  # fit_base_type_id
    FieldSpec(3, STRING, 24),  # field_name
    FieldSpec(8, STRING, 8),  # units
    FieldSpec(15, UINT8),  # native_field_num
]


def _read(data: bytes) -> object:
    try:
        return read_fit(data)
    except IngestError as err:
        return (type(err), str(err))


def _both(monkeypatch: pytest.MonkeyPatch, data: bytes) -> tuple[Activity, Activity]:
    mine = _read(data)
    with monkeypatch.context() as patch:
        patch.setattr(fit_native, "CORE", None)
        theirs = _read(data)
    assert isinstance(mine, Activity), mine
    assert isinstance(theirs, Activity), theirs
    for field in Activity.__dataclass_fields__:
        if field != "samples":
            assert getattr(mine, field) == getattr(theirs, field), field
            assert type(getattr(mine, field)) is type(getattr(theirs, field)), field
    assert list(mine.samples.channels) == list(theirs.samples.channels)
    assert mine.samples.timestamp.dtype == theirs.samples.timestamp.dtype
    np.testing.assert_array_equal(mine.samples.timestamp, theirs.samples.timestamp)
    for name, values in theirs.samples.channels.items():
        assert mine.samples.channels[name].dtype == values.dtype, name
        np.testing.assert_array_equal(mine.samples.channels[name], values, err_msg=name)
    return mine, theirs


def _served(data: bytes) -> bytes:
    assert activity_core_serves(data), "the compiled path declined this file"
    return data


def test_a_plain_run_is_built_by_the_core(monkeypatch: pytest.MonkeyPatch) -> None:
    mine, _ = _both(monkeypatch, _served(activity_writer(30).to_bytes()))
    assert mine.sport == "running"
    assert mine.device == "garmin fr945"
    assert set(mine.samples.channels) >= {"lat_deg", "hr_bpm", "cadence_spm", "power_w"}
    assert len(mine.laps) == 1


def test_big_endian_and_long_files_are_built_by_the_core(monkeypatch: pytest.MonkeyPatch) -> None:
    _both(monkeypatch, _served(activity_writer(12, big_endian=True).to_bytes()))
    long_run, _ = _both(monkeypatch, _served(activity_writer(400).to_bytes()))  # numpy-held
    assert len(long_run.samples) == 400


def test_records_without_a_time_are_dropped_with_the_same_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writer = activity_writer(6)
    writer.message(1, None, *record_values(7)[1:])
    mine, _ = _both(monkeypatch, _served(writer.to_bytes()))
    assert "1 record messages without a timestamp were dropped" in mine.warnings
    assert len(mine.samples) == 6


def _developer_file(*, describe_first: bool, undescribed: bool, vo_units: str) -> bytes:
    writer = FitWriter().define(0, 0, FILE_ID).message(0, 4, 1, 3113, fit_seconds(START))
    writer.define(1, 206, DESCRIPTION)
    writer.define(
        2, 20, [FieldSpec(253, UINT32)], dev_fields=[(4, 4, 0), (7, 2, 0), (9, 2, 1), (5, 2, 1)]
    )

    def records(first: int, n: int) -> None:
        for i in range(first, first + n):
            values = [struct.pack("<f", 7.5), struct.pack("<H", 300 + i)]
            values += [struct.pack("<H", 40 + i), struct.pack("<H", 500 + i)]
            writer.message(2, fit_seconds(START + i), dev=values)

    if not describe_first:
        records(0, 3)
    writer.message(1, 0, 4, FLOAT32, "Vertical Oscillation", vo_units, None)
    writer.message(1, 0, 7, UINT16, "Power", "W", 7)
    writer.message(1, 1, 5, UINT16, "Power", "W", None)  # the same name, another developer
    if not undescribed:
        writer.message(1, 1, 9, UINT16, "ground time", "ms", None)
    records(3, 4)
    writer.define(3, 18, SESSION)
    writer.message(3, fit_seconds(START + 7), fit_seconds(START), 1, 0, 7000, 7000, 2100)
    return writer.to_bytes()


@pytest.mark.parametrize("describe_first", [True, False])
@pytest.mark.parametrize("undescribed", [False, True])
@pytest.mark.parametrize("vo_units", ["cm", " Millimeters ", "furlongs"])
def test_developer_fields_are_built_by_the_core(
    monkeypatch: pytest.MonkeyPatch, describe_first: bool, undescribed: bool, vo_units: str
) -> None:
    data = _developer_file(
        describe_first=describe_first, undescribed=undescribed, vo_units=vo_units
    )
    mine, _ = _both(monkeypatch, _served(data))
    assert "power_w" in mine.samples.channels
    assert "vertical_oscillation_mm" in mine.samples.channels
    if not describe_first:
        assert (
            "developer field 'Vertical Oscillation' is used before its field_description; "
            "skipped those values"
        ) in mine.warnings
    if undescribed:
        assert (
            "developer field 9 of developer 1 is used without a preceding field_description; "
            "skipped it"
        ) in mine.warnings
    else:
        assert "stance_time_ms" in mine.samples.channels


def test_compressed_timestamps_are_placed_by_the_core(monkeypatch: pytest.MonkeyPatch) -> None:
    writer = FitWriter().define(0, 20, [FieldSpec(3, UINT8)])
    writer.message(0, 119, time_offset=3)  # before any full timestamp: left empty
    writer.define(1, 20, [FieldSpec(253, UINT32), FieldSpec(3, UINT8)])
    writer.message(1, fit_seconds(START), 120)
    for step in range(1, 70, 3):  # over the 5-bit rollover
        writer.message(0, 120 + step % 9, time_offset=(fit_seconds(START) + step) & 31)
    writer.define(2, 18, SESSION)
    writer.message(2, fit_seconds(START + 70), fit_seconds(START), 1, 0, 70000, 70000, 21000)
    mine, _ = _both(monkeypatch, _served(writer.to_bytes()))
    assert "compressed timestamps before any full timestamp were left empty" in mine.warnings
    seconds = np.diff(mine.samples.timestamp.astype("datetime64[s]").astype(np.int64))
    assert seconds.tolist() == [1] + [3] * 22


@pytest.mark.parametrize("clock", ["correlation", "local", "none"])
def test_power_on_relative_times_are_placed_by_the_core(
    monkeypatch: pytest.MonkeyPatch, clock: str
) -> None:
    writer = FitWriter().define(0, 20, [FieldSpec(253, UINT32), FieldSpec(3, UINT8)])
    for i in range(10):
        writer.message(0, 5000 + i, 130)  # seconds since the watch was switched on
    if clock == "correlation":
        writer.define(1, 162, [FieldSpec(253, UINT32), FieldSpec(1, UINT32)])
        writer.message(1, fit_seconds(START), 5000)
    elif clock == "local":
        writer.define(1, 34, [FieldSpec(253, UINT32), FieldSpec(5, UINT32)])
        writer.message(1, 5009, fit_seconds(START + 3600))
    mine, _ = _both(monkeypatch, _served(writer.to_bytes()))
    assert any("switched on" in w for w in mine.warnings) == (clock != "correlation")
    if clock == "correlation":
        assert mine.start_time.timestamp() == START


def test_compressed_speed_and_distance_are_split_by_the_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writer = FitWriter().define(0, 20, [FieldSpec(253, UINT32), FieldSpec(8, 0x0D, 3)])
    for i in range(40):
        speed, distance = 310 + i, (i * 50) & 0xFFF  # 12-bit distance rolls over
        packed = [speed & 0xFF, (speed >> 8) | (distance & 0x0F) << 4, distance >> 4]
        writer.message(0, fit_seconds(START + i), packed)
    mine, _ = _both(monkeypatch, _served(writer.to_bytes()))
    assert mine.samples.channels["speed_mps"][0] == pytest.approx(3.10)
    assert np.all(np.diff(mine.samples.channels["distance_m"]) > 0)


@pytest.mark.parametrize("sessions", [3, 17])
def test_multisport_legs_and_cadence_per_session(
    monkeypatch: pytest.MonkeyPatch, sessions: int
) -> None:
    writer = FitWriter().define(0, 20, RECORD)
    for i in range(sessions * 4):
        writer.message(0, *record_values(i))
    writer.define(1, 18, SESSION)
    for k in range(sessions):  # swim, bike, run, ... in shuffled start order
        at = (k * 7) % sessions * 4
        sport = (5, 2, 1)[k % 3]
        writer.message(
            1, fit_seconds(START + at + 4), fit_seconds(START + at), sport, 0, 4000, 4000, 900
        )
    data = writer.to_bytes()
    if sessions <= 16:
        _served(data)
    else:  # numpy's argsort is no longer an insertion sort: the Python steps read it
        assert not activity_core_serves(data)
    mine, _ = _both(monkeypatch, data)
    assert mine.sport == "multisport"
    assert len(mine.legs) == sessions
    assert {"cadence_spm", "cadence_rpm"} <= set(mine.samples.channels)


def test_sessions_named_by_sport_messages_and_unknown_enums(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writer = FitWriter().define(0, 0, FILE_ID).message(0, 4, 255, 65000, fit_seconds(START))
    writer.define(1, 12, [FieldSpec(0, ENUM), FieldSpec(1, ENUM)]).message(1, 200, 201)
    writer.define(2, 20, RECORD)
    for i in range(5):
        writer.message(2, *record_values(i))
    mine, _ = _both(monkeypatch, _served(writer.to_bytes()))
    assert (mine.sport, mine.sub_sport) == ("200", "201")
    assert mine.device is not None


def test_strap_heart_rate_is_merged_by_the_core(monkeypatch: pytest.MonkeyPatch) -> None:
    writer = FitWriter().define(0, 20, [FieldSpec(253, UINT32), FieldSpec(3, UINT8)])
    for i in range(20):
        writer.message(0, fit_seconds(START + i), None if 5 <= i < 15 else 120)  # a gap
    hr = [FieldSpec(253, UINT32), FieldSpec(6, UINT8, 8), FieldSpec(9, UINT32, 16)]
    writer.define(1, 132, hr)  # filtered_bpm x8, event_timestamp (1/1024 s) x4
    for k in range(3):
        beats = [130 + k + j for j in range(8)]
        ticks = [round((5 + 4 * k + j) * 1024) for j in range(4)]
        writer.message(1, fit_seconds(START + 5 + 4 * k), beats, ticks)
    mine, _ = _both(monkeypatch, _served(writer.to_bytes()))
    assert any("stored by the strap was merged into" in w for w in mine.warnings)
    assert not np.isnan(mine.samples.channels["hr_bpm"][5:12]).any()


def test_a_given_hash_is_kept_and_a_missing_one_is_the_sha256() -> None:
    data = _served(activity_writer(5).to_bytes())
    assert read_fit(data, source_hash="abc").source_hash == "abc"
    assert read_fit(data).source_hash == hashlib.sha256(data).hexdigest()


def test_the_compiled_sha256_is_hashlib_s_for_every_length() -> None:
    core = fit_native.CORE
    assert core is not None
    for n in [*range(0, 200), 1023, 1024, 1025, 65_536, 1_000_003]:
        data = os.urandom(n)
        want = hashlib.sha256(data).hexdigest()
        assert core.sha256(data, False) == want, n  # the portable code
        extensions = core.sha256(data, True)  # the x86 SHA extensions, where present
        assert extensions in (None, want), n

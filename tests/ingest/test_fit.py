"""read_fit / decode_fit on self-made FIT files: values, units, edge cases, damage."""

from __future__ import annotations

import hashlib
import struct
from datetime import UTC, datetime

import numpy as np
import pytest

from backstride.errors import CorruptFileError, NotActivityFileError
from backstride.ingest.fit import decode_fit, read_fit
from tests.ingest.fit_encoder import (
    ENUM,
    FILE_ID,
    FLOAT32,
    RECORD,
    START_UNIX,
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

N = 30


def _run(big_endian: bool = False, **kwargs: int) -> bytes:
    return activity_writer(N, big_endian=big_endian, **kwargs).to_bytes()


@pytest.mark.parametrize("big_endian", [False, True])
def test_a_running_file_gives_every_channel_in_named_units(big_endian: bool) -> None:
    samples = read_fit(_run(big_endian)).samples
    i = np.arange(N)
    np.testing.assert_array_equal(
        samples.timestamp, np.datetime64(START_UNIX, "s") + i.astype("timedelta64[s]")
    )
    expected = {
        "lat_deg": 51.5 + i * 1e-5,
        "lon_deg": -0.12 - i * 1e-5,
        "distance_m": i * 3.1,
        "speed_mps": np.full(N, 3.1),
        "altitude_m": 20 + i / 5,
        "hr_bpm": 140.0 + i % 20,
        "cadence_spm": np.full(N, 2 * 85.5),
        "vertical_oscillation_mm": 8.5 + (i % 5) / 10,
        "stance_time_ms": np.full(N, 240.0),
        "step_length_mm": np.full(N, 115.0),
        "vertical_ratio_pct": np.full(N, 7.8),
        "power_w": 250.0 + i,
    }
    assert set(samples.channels) == set(expected)
    for channel, values in expected.items():
        np.testing.assert_allclose(samples.channels[channel], values, atol=1e-6, err_msg=channel)


def test_both_endiannesses_decode_to_identical_samples() -> None:
    little, big = read_fit(_run(False)).samples, read_fit(_run(True)).samples
    for channel, values in little.channels.items():
        np.testing.assert_array_equal(values, big.channels[channel])


def test_activity_metadata_comes_from_session_lap_and_file_id() -> None:
    data = _run(sub_sport=1)  # running / treadmill
    activity = read_fit(data, source_name="run.fit")
    assert (activity.sport, activity.sub_sport) == ("running", "treadmill")
    assert activity.start_time == datetime.fromtimestamp(START_UNIX, tz=UTC)
    assert activity.duration_s == N
    assert activity.moving_time_s == N - 2
    assert activity.distance_m == pytest.approx(N * 3.1)
    assert activity.device == "garmin fr945"
    assert activity.source_format == "fit"
    assert activity.source_hash == hashlib.sha256(data).hexdigest()
    assert [(lap.duration_s, lap.distance_m) for lap in activity.laps] == [
        (N, pytest.approx(N * 3.1))
    ]
    assert activity.warnings == ()


@pytest.mark.parametrize(
    ("sport", "name", "channel", "factor"),
    [
        (1, "running", "cadence_spm", 2),
        (11, "walking", "cadence_spm", 2),
        (2, "cycling", "cadence_rpm", 1),
        (15, "rowing", "cadence_rpm", 1),
    ],
)
def test_cadence_is_steps_per_minute_on_foot_and_per_minute_as_recorded_otherwise(
    sport: int, name: str, channel: str, factor: int
) -> None:
    activity = read_fit(_run(sport=sport))
    assert activity.sport == name
    other = "cadence_rpm" if channel == "cadence_spm" else "cadence_spm"
    assert other not in activity.samples.channels
    np.testing.assert_allclose(activity.samples.channels[channel], factor * 85.5)


def test_invalid_sentinels_become_missing_values() -> None:
    writer = FitWriter().define(0, 20, RECORD)
    values = list(record_values(0))
    values[6] = None  # heart rate 0xFF
    values[9] = None  # vertical oscillation 0xFFFF
    writer.message(0, *values).message(0, *record_values(1))
    samples = read_fit(writer.to_bytes()).samples
    assert np.isnan(samples.channels["hr_bpm"][0])
    assert samples.channels["hr_bpm"][1] == 141
    assert np.isnan(samples.channels["vertical_oscillation_mm"][0])


def test_compressed_timestamp_headers_resolve_with_the_five_bit_rollover() -> None:
    fields = [FieldSpec(253, UINT32), FieldSpec(3, UINT8)]
    writer = FitWriter().define(0, 20, fields)
    base = fit_seconds(START_UNIX)  # base % 32 == 16
    writer.message(0, base, 100)
    writer.define(1, 20, [FieldSpec(3, UINT8)])
    expected = [base]
    for step in (5, 20, 30, 40):  # crosses two 32-second boundaries
        writer.message(1, 100 + step, time_offset=(base + step) & 0x1F)
        expected.append(base + step)
    stamps = read_fit(writer.to_bytes()).samples.timestamp
    got = (stamps.astype("datetime64[s]").astype(np.int64) - 631065600).tolist()
    assert got == expected


def _dev_writer(*, native_vo: bool, describe_first: bool = True) -> bytes:
    writer = FitWriter()
    description = [
        FieldSpec(0, UINT8),
        FieldSpec(1, UINT8),
        FieldSpec(2, UINT8),
        FieldSpec(3, STRING, 24),
        FieldSpec(8, STRING, 8),
    ]
    writer.define(0, 207, [FieldSpec(3, UINT8)]).message(0, 0)
    writer.define(1, 206, description)
    record = [FieldSpec(253, UINT32)] + ([FieldSpec(39, UINT16)] if native_vo else [])
    writer.define(2, 20, record, dev_fields=[(4, 4, 0), (7, 2, 0)])

    def records(first: int, count: int) -> None:
        for i in range(first, first + count):
            values = [fit_seconds(START_UNIX + i)] + ([90] if native_vo else [])
            writer.message(2, *values, dev=[struct.pack("<f", 7.5), struct.pack("<H", 300 + i)])

    if not describe_first:
        records(0, 3)
    writer.message(1, 0, 4, FLOAT32, "Vertical Oscillation", "cm")
    writer.message(1, 0, 7, UINT16, "Power", "Watts")
    records(3, 3)
    return writer.to_bytes()


def test_developer_running_dynamics_fill_a_channel_only_when_the_native_field_is_absent() -> None:
    stryd_only = read_fit(_dev_writer(native_vo=False)).samples
    np.testing.assert_allclose(stryd_only.channels["vertical_oscillation_mm"], 75.0)  # 7.5 cm
    np.testing.assert_allclose(stryd_only.channels["power_w"], [303, 304, 305])
    both = read_fit(_dev_writer(native_vo=True)).samples
    np.testing.assert_allclose(both.channels["vertical_oscillation_mm"], 9.0)  # native wins


def test_developer_fields_are_decoded_into_their_own_columns() -> None:
    decoded = decode_fit(_dev_writer(native_vo=True))
    record = decoded.table("record")
    assert record is not None
    assert set(record.developer) == {"Vertical Oscillation", "Power"}
    assert decoded.developer_fields["Vertical Oscillation"].units == "cm"


def test_developer_fields_used_before_their_description_are_skipped_with_a_warning() -> None:
    activity = read_fit(_dev_writer(native_vo=False, describe_first=False))
    assert len(activity.samples) == 6
    power = activity.samples.channels["power_w"]
    assert np.isnan(power[:3]).all()
    assert power[3:].tolist() == [303, 304, 305]
    assert any("before its field_description" in w for w in activity.warnings)


def test_chained_files_are_read_back_to_back() -> None:
    first = activity_writer(10).to_bytes()
    second_writer = FitWriter().define(0, 20, RECORD)
    for i in range(10, 15):
        second_writer.message(0, *record_values(i))
    activity = read_fit(first + second_writer.to_bytes())
    assert len(activity.samples) == 15
    assert activity.device == "garmin fr945"  # only the first file has a file_id
    assert activity.warnings == ()


def test_a_bad_file_crc_keeps_the_values_and_warns() -> None:
    activity = read_fit(activity_writer(N).to_bytes(bad_crc=True))
    assert len(activity.samples) == N
    assert any("CRC mismatch" in w for w in activity.warnings)


def test_a_bad_header_crc_keeps_the_values_and_warns() -> None:
    activity = read_fit(activity_writer(N).to_bytes(bad_header_crc=True))
    assert len(activity.samples) == N
    assert any("header CRC" in w for w in activity.warnings)


@pytest.mark.parametrize("cut", [1, 2, 3, 17, 40])
def test_a_truncated_file_keeps_every_complete_message_and_warns(cut: int) -> None:
    writer = FitWriter()
    writer.define(0, 0, FILE_ID).message(0, 4, 1, 3113, fit_seconds(START_UNIX))
    writer.define(1, 20, RECORD)
    for i in range(N):
        writer.message(1, *record_values(i))
    data = writer.to_bytes()[:-cut]
    activity = read_fit(data)
    record_size = 1 + sum(spec.nbytes for spec in RECORD)
    complete = N - max(0, (cut - 2 + record_size - 1) // record_size)
    assert len(activity.samples) == complete
    assert activity.warnings


def test_a_local_type_redefined_mid_file_switches_layout() -> None:
    writer = FitWriter().define(0, 20, [FieldSpec(253, UINT32), FieldSpec(3, UINT8)])
    writer.message(0, fit_seconds(START_UNIX), 150)
    writer.define(0, 20, [FieldSpec(253, UINT32), FieldSpec(7, UINT16), FieldSpec(3, UINT8)])
    writer.message(0, fit_seconds(START_UNIX + 1), 300, 151)
    samples = read_fit(writer.to_bytes()).samples
    assert samples.channels["hr_bpm"].tolist() == [150, 151]
    assert np.isnan(samples.channels["power_w"][0])
    assert samples.channels["power_w"][1] == 300


def test_unknown_messages_and_fields_are_skipped() -> None:
    writer = FitWriter().define(0, 0xFF00, [FieldSpec(0, UINT32)]).message(0, 7)
    writer.define(1, 20, [FieldSpec(253, UINT32), FieldSpec(250, UINT16), FieldSpec(3, UINT8)])
    writer.message(1, fit_seconds(START_UNIX), 999, 120)
    decoded = decode_fit(writer.to_bytes())
    assert set(decoded.messages) == {20}
    record = decoded.table("record")
    assert record is not None
    assert set(record.fields) == {"timestamp", "heart_rate"}


def test_decode_fit_returns_columnar_tables_for_other_messages() -> None:
    decoded = decode_fit(_run())
    session, file_id = decoded.table("session"), decoded.table("file_id")
    assert session is not None
    assert file_id is not None
    assert session.fields["total_distance"].tolist() == [pytest.approx(N * 3.1)]
    assert session.fields["start_time"][0] == np.datetime64(START_UNIX * 1000, "ms")
    assert file_id.fields["manufacturer"].tolist() == [1]


@pytest.mark.parametrize(
    "data",
    [b"", b"hello world, this is not a FIT file", b"\x0e\x10" + bytes(12), bytes(200)],
)
def test_bytes_that_are_not_fit_raise_not_activity_file_error(data: bytes) -> None:
    with pytest.raises(NotActivityFileError, match="not a FIT file"):
        read_fit(data)


def test_a_fit_header_without_messages_raises_corrupt_file_error() -> None:
    with pytest.raises(CorruptFileError, match="no readable messages"):
        read_fit(FitWriter().to_bytes())


def test_a_fit_file_without_activity_messages_is_not_an_activity() -> None:
    writer = FitWriter().define(0, 0, [FieldSpec(0, ENUM)]).message(0, 5)  # a workout file
    with pytest.raises(NotActivityFileError, match="type 'workout' holds no activity"):
        read_fit(writer.to_bytes())


def test_errors_name_the_source_file() -> None:
    with pytest.raises(NotActivityFileError, match=r"^track\.fit: not a FIT file"):
        read_fit(b"<gpx/>", source_name="track.fit")


def test_a_multisport_file_gives_steps_per_minute_only_in_its_on_foot_sessions() -> None:
    writer = FitWriter().define(0, 20, RECORD)
    for i in range(20):
        writer.message(0, *record_values(i))
    session = [FieldSpec(253, UINT32), FieldSpec(2, UINT32), FieldSpec(5, ENUM)]
    writer.define(1, 18, session)
    writer.message(1, fit_seconds(START_UNIX + 10), fit_seconds(START_UNIX), 2)  # cycling
    writer.message(1, fit_seconds(START_UNIX + 20), fit_seconds(START_UNIX + 10), 1)  # running
    activity = read_fit(writer.to_bytes())
    assert (activity.sport, activity.sub_sport) == ("multisport", None)
    steps, revolutions = (activity.samples.channels[c] for c in ("cadence_spm", "cadence_rpm"))
    np.testing.assert_allclose(revolutions[:10], 85.5)
    np.testing.assert_allclose(steps[10:], 171.0)
    assert np.isnan(steps[:10]).all()
    assert np.isnan(revolutions[10:]).all()

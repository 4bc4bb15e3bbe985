"""Bounded decompression (bombs refused), junk skipped, export layouts found."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.errors import CorruptFileError, InputError, OversizedInputError
from backstride.ingest.archive import Limits, gunzip, read_member, zip_members
from backstride.ingest.sources import expand, load_source, parse_strava_csv

MIB = 1 << 20


def test_a_gzip_bomb_is_refused_by_the_ratio_limit() -> None:
    bomb = gzip.compress(b"\0" * (64 * MIB), compresslevel=9)
    assert len(bomb) < 100_000
    with pytest.raises(OversizedInputError, match="max_compression_ratio"):
        gunzip(bomb, limits=Limits(), name="bomb.gz")


def test_a_gzip_larger_than_max_file_bytes_is_refused_while_streaming() -> None:
    data = gzip.compress(bytes(range(256)) * 20_000)  # about 5 MB, compresses ~100x
    with pytest.raises(OversizedInputError, match="max_file_bytes"):
        gunzip(data, limits=Limits(max_file_bytes=MIB, max_compression_ratio=1e9), name="big.gz")


def test_concatenated_gzip_members_are_all_read() -> None:
    data = gzip.compress(b"abc") + gzip.compress(b"def")
    assert gunzip(data, limits=Limits(), name="two.gz") == b"abcdef"


@pytest.mark.parametrize("cut", [10, -4])
def test_truncated_or_broken_gzip_is_corrupt(cut: int) -> None:
    data = gzip.compress(b"hello world" * 1000)
    with pytest.raises(CorruptFileError, match="gzip"):
        gunzip(data[:cut], limits=Limits(), name="cut.gz")


def test_gzip_whose_checksum_does_not_match_is_corrupt() -> None:
    data = bytearray(gzip.compress(b"hello world" * 1000))
    data[-8] ^= 0xFF  # the CRC-32 of the content, just before its length
    with pytest.raises(CorruptFileError, match="broken gzip"):
        gunzip(bytes(data), limits=Limits(), name="crc.gz")


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_entry_is_refused_from_its_declared_sizes() -> None:
    archive = zipfile.ZipFile(io.BytesIO(_zip_bytes({"bomb.fit": b"\0" * (64 * MIB)})))
    (info,) = zip_members(archive, limits=Limits(), name="bomb.zip")
    with pytest.raises(OversizedInputError, match="max_compression_ratio"):
        read_member(archive, info, limits=Limits(), name="bomb.zip")


def test_a_zip_declaring_more_than_the_archive_total_is_refused() -> None:
    archive = zipfile.ZipFile(io.BytesIO(_zip_bytes({f"{i}.gpx": b"x" * MIB for i in range(5)})))
    with pytest.raises(OversizedInputError, match="max_archive_total_bytes"):
        zip_members(archive, limits=Limits(max_archive_total_bytes=4 * MIB), name="many.zip")


def test_a_zip_entry_that_lies_about_its_size_is_refused_while_streaming() -> None:
    archive = zipfile.ZipFile(io.BytesIO(_zip_bytes({"a.gpx": b"y" * (2 * MIB)})))
    info = archive.getinfo("a.gpx")
    info.file_size = 1000  # the central directory claims a small entry
    with pytest.raises((OversizedInputError, CorruptFileError)):
        read_member(archive, info, limits=Limits(max_compression_ratio=1e9), name="liar.zip")


def test_macos_junk_and_folders_are_skipped() -> None:
    data = _zip_bytes(
        {"__MACOSX/._a.gpx": b"j", "x/._b.tcx": b"j", ".DS_Store": b"j", "a.gpx": b"g"}
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = [i.filename for i in zip_members(archive, limits=Limits(), name="z")]
    assert names == ["a.gpx"]


def test_strava_csv_with_repeated_column_names_uses_the_first_of_each() -> None:
    csv_text = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
        "Activity Gear,Filename,Elapsed Time,Distance\n"
        '1,"Jan 1, 2024",Morning Run,Run,1800,5.01,Pegasus 40,activities/1.fit.gz,1800,5010.0\n'
        "2,x,Ride,Ride,3600,20.0,,activities/2.gpx,3600,20000\n"
        "3,x,Manual,Run,600,1.0,,,600,1000\n"
    ).encode("utf-8-sig")
    rows = parse_strava_csv(csv_text)
    assert set(rows) == {"activities/1.fit.gz", "activities/2.gpx"}
    first = rows["activities/1.fit.gz"]
    assert (first.name, first.sport, first.gear) == ("Morning Run", "Run", "Pegasus 40")
    assert rows["activities/2.gpx"].gear is None


def test_folders_nested_zips_and_strava_metadata_expand_to_sources(tmp_path: Path) -> None:
    export = tmp_path / "export"
    (export / "activities").mkdir(parents=True)
    (export / "activities.csv").write_text(
        "Activity Name,Activity Type,Activity Gear,Filename\nTempo,Run,Clifton,activities/1.gpx\n"
    )
    (export / "activities" / "1.gpx").write_bytes(b"<gpx/>")
    (export / "activities" / "._1.gpx").write_bytes(b"junk")
    (export / "notes.txt").write_text("not an activity")
    inner = _zip_bytes({"a.fit": b"fit", "b.tcx": b"tcx"})
    (tmp_path / "garmin.zip").write_bytes(_zip_bytes({"DI/Uploaded_1.zip": inner, "x.json": b"{}"}))
    expansion = expand([export, tmp_path / "garmin.zip"], limits=Limits())
    labels = [s.label.replace(str(tmp_path), "") for s in expansion.sources]
    assert labels == [
        "/export/activities/1.gpx",
        "/garmin.zip!DI/Uploaded_1.zip!a.fit",
        "/garmin.zip!DI/Uploaded_1.zip!b.tcx",
    ]
    strava = expansion.sources[0]
    assert (strava.name, strava.sport_hint, strava.gear) == ("Tempo", "Run", "Clifton")
    assert load_source(expansion.sources[2], limits=Limits()) == b"tcx"
    assert expansion.failures == []


def test_a_broken_zip_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04" + b"\0" * 50)
    expansion = expand([tmp_path / "broken.zip"], limits=Limits())
    assert expansion.sources == []
    assert "not a readable zip" in expansion.failures[0][1]


def test_a_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        expand([tmp_path / "nope"], limits=Limits())


@settings(max_examples=50, deadline=None)
@given(payload=st.binary(max_size=5000), level=st.integers(min_value=0, max_value=9))
def test_gunzip_returns_exactly_what_was_compressed(payload: bytes, level: int) -> None:
    data = gzip.compress(payload, compresslevel=level)
    assert gunzip(data, limits=Limits(), name="x.gz") == payload


def _read_or_message(data: bytes) -> str:
    from backstride.errors import IngestError
    from backstride.ingest.detect import read_activity

    try:
        read_activity(data, source_name="fuzz")
    except IngestError as exc:
        return str(exc)
    return "read"


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000), prefix=st.sampled_from([b"", b"\x1f\x8b", b"PK\x03\x04"]))
def test_arbitrary_bytes_fail_only_as_a_one_line_ingest_error(data: bytes, prefix: bytes) -> None:
    message = _read_or_message(prefix + data)  # any other exception type fails the test
    assert message == "read" or (message.startswith("fuzz") and "\n" not in message)


def test_a_strava_export_inside_a_larger_folder_still_gets_its_metadata(tmp_path: Path) -> None:
    export = tmp_path / "downloads" / "export_42"
    (export / "activities").mkdir(parents=True)
    (export / "activities.csv").write_text(
        "Activity Name,Activity Type,Activity Gear,Filename\nHills,Run,Novablast,activities/9.tcx\n"
    )
    (export / "activities" / "9.tcx").write_bytes(b"<TrainingCenterDatabase/>")
    (tmp_path / "downloads" / "other.gpx").write_bytes(b"<gpx/>")
    sources = expand([tmp_path / "downloads"], limits=Limits()).sources
    by_name = {Path(s.path).name: s for s in sources}
    assert (by_name["9.tcx"].name, by_name["9.tcx"].gear) == ("Hills", "Novablast")
    assert by_name["other.gpx"].name is None

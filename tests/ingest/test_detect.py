"""Format detection by content, not by name, and reading through gzip/zip layers."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from backstride.errors import NotActivityFileError
from backstride.ingest.detect import detect_format, read_activity
from tests.activity_files import gpx_bytes, straight_run, tcx_bytes

FIT_HEADER = bytes([14, 0x20, 0, 0, 0, 0, 0, 0]) + b".FIT" + b"\0\0"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (FIT_HEADER, "fit"),
        (bytes([12, 0x10, 0, 0, 0, 0, 0, 0]) + b".FIT", "fit"),
        (gzip.compress(b"x", mtime=0), "gzip"),
        (b"PK\x03\x04rest", "zip"),
        (b'<?xml version="1.0"?>\n<gpx version="1.1"/>', "gpx"),
        (b"\xef\xbb\xbf<?xml version='1.0'?><!-- c --><gpx/>", "gpx"),
        (b"  \n<?xml version='1.0'?><TrainingCenterDatabase/>", "tcx"),
        (b"<?xml version='1.0'?><!DOCTYPE x><tcd:TrainingCenterDatabase xmlns:tcd='u'/>", "tcx"),
        (b"<kml/>", None),
        (b"hello", None),
        (b"", None),
        (bytes([14, 0x20, 0, 0, 0, 0, 0, 0]) + b".FTT", None),
    ],
    ids=lambda v: v if isinstance(v, str) or v is None else None,
)
def test_formats_are_recognised_by_their_bytes(data: bytes, expected: str | None) -> None:
    assert detect_format(data) == expected


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_gzipped_and_zipped_files_read_like_the_plain_file() -> None:
    plain = gpx_bytes([straight_run(20)])
    expected = read_activity(plain)
    wrapped = [
        gzip.compress(plain),
        _zip({"run.gpx": plain}),
        _zip({"__MACOSX/._run.gpx": b"junk", "run.gpx.gz": gzip.compress(plain)}),
    ]
    for data in wrapped:
        activity = read_activity(data, source_name="wrapped")
        assert activity.source_hash == expected.source_hash  # hash of the decompressed bytes
        assert len(activity.samples) == 20


def test_a_name_that_lies_does_not_matter() -> None:
    activity = read_activity(tcx_bytes([5]), source_name="looks-like.gpx")
    assert activity.source_format == "tcx"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just text", "not an activity file"),
        (_zip({"a.gpx": b"<gpx/>", "b.gpx": b"<gpx/>"}), "holding 2 files"),
    ],
    ids=["text", "zip-of-two"],
)
def test_unreadable_inputs_name_what_was_expected(data: bytes, message: str) -> None:
    with pytest.raises(NotActivityFileError, match=message):
        read_activity(data, source_name="upload")


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "fit/FitFileParser__running.fit",
        "fit_gz/GoldenCheetah__14582164182.fit.gz",
        "fit_zip/GoldenCheetah__Fr955v19.28andStryd.fit.zip",
        "gpx/sports-lib__garmin.gpx",
        "tcx/sports-lib__garmin.tcx",
    ],
)
def test_corpus_files_of_every_wrapping_are_read(corpus: Path, name: str) -> None:
    activity = read_activity((corpus / name).read_bytes(), source_name=name)
    assert len(activity.samples) > 100
    assert activity.source_format in {"fit", "gpx", "tcx"}

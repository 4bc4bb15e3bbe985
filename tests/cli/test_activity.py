"""`backstride activity summary FILE` through the real CLI: exact keys, never touches the store."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest

from tests.activity_files import gpx_bytes, straight_run, tcx_bytes
from tests.conftest import run_backstride
from tests.ingest.fit_encoder import activity_writer

KEYS = {
    "sport",
    "start_time",
    "duration_s",
    "distance_m",
    "records",
    "avg_hr_bpm",
    "avg_cadence_spm",
    "avg_speed_mps",
    "has_running_dynamics",
    "avg_cadence_rpm",
    "legs",
    "warnings",
}


def _summary(path: Path) -> dict[str, object]:
    result = run_backstride("activity", "summary", str(path), "--format", "json")
    assert result.code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    assert set(data) == KEYS
    return data


def test_gpx_summary_has_exactly_the_documented_keys_and_values(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "run.gpx"
    path.write_bytes(gpx_bytes([straight_run(61)]))
    assert _summary(path) == {
        "sport": "running",
        "start_time": "2021-05-02T06:30:00Z",
        "duration_s": 60.0,
        "distance_m": round(60 * math.radians(0.00003) * 6_371_008.8, 1),  # 60 steps north
        "records": 61,
        "avg_hr_bpm": 140.0,
        "avg_cadence_spm": 170.0,
        "avg_speed_mps": 3.336,
        "has_running_dynamics": False,
        "avg_cadence_rpm": None,
        "legs": [],
        "warnings": [],
    }
    assert not (home / "backstride.sqlite3").exists()  # nothing was stored


def test_gzipped_tcx_summary_is_read_through_the_gzip(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "run.tcx.gz"
    path.write_bytes(gzip.compress(tcx_bytes([30, 30])))
    data = _summary(path)
    assert (data["records"], data["distance_m"], data["avg_cadence_spm"]) == (60, 180.0, 172.0)
    assert data["start_time"] == "2022-09-04T08:00:00Z"


def test_text_format_prints_one_line_per_key(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "run.gpx"
    path.write_bytes(gpx_bytes([straight_run(10)]))
    result = run_backstride("activity", "summary", str(path))
    assert result.code == 0
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "Sport",
        "Start",
        "Duration",
        "Distance",
        "Samples",
        "Average heart rate",
        "Average cadence",
        "Average speed",
        "Running dynamics recorded",
    ]


def test_text_format_shows_a_ride_s_cadence_once_in_its_own_unit(
    home: Path, tmp_path: Path
) -> None:
    ride = tmp_path / "ride.fit"
    ride.write_bytes(activity_writer(20, sport=2).to_bytes())
    assert _summary(ride)["sport"] == "cycling"
    lines = run_backstride("activity", "summary", str(ride)).stdout.splitlines()
    cadence = [line for line in lines if line.startswith("Average cadence")]
    assert [line.rsplit(" ", 1)[-1] for line in cadence] == ["rpm"], lines


def test_summary_reports_the_same_repair_warnings_as_import(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad-crc.fit"
    path.write_bytes(activity_writer(20).to_bytes(bad_crc=True))
    data = _summary(path)
    assert data["records"] == 20
    assert any("CRC" in str(w) for w in data["warnings"])  # type: ignore[attr-defined]
    text = run_backstride("activity", "summary", str(path))
    assert any(line.startswith("warning: ") and "CRC" in line for line in text.stdout.splitlines())
    imported = run_backstride("import", str(path), "--format", "json")
    assert "CRC" in imported.stdout


def test_summary_keeps_a_corrupt_tail_file_and_says_what_was_cut(
    home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "cut.fit"
    path.write_bytes(activity_writer(20).to_bytes()[:-7])  # the last message is cut short
    data = _summary(path)
    assert data["records"] == 20  # what was cut is the closing message after the records
    warnings = [str(w) for w in data["warnings"]]  # type: ignore[attr-defined]
    assert any("truncated" in w for w in warnings)
    assert any("cut short" in w for w in warnings)
    text = run_backstride("activity", "summary", str(path))
    assert any(line.startswith("warning: ") and "cut short" in line
               for line in text.stdout.splitlines())  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "not an activity file"),
        (b"<gpx><trk>", "not well-formed GPX"),
        (gzip.compress(b"\0" * (8 << 20)), "max_compression_ratio"),
        (None, "does not exist"),
    ],
    ids=["text", "broken-gpx", "gzip-bomb", "missing"],
)
def test_bad_files_exit_2_with_one_line_and_empty_stdout(
    home: Path, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "upload.fit"
    if content is not None:
        path.write_bytes(content)
    result = run_backstride("activity", "summary", str(path), "--format", "json")
    assert result.code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("backstride: error: ")
    assert message in lines[0]


@pytest.mark.corpus
def test_fit_summary_matches_the_file(home: Path, corpus: Path) -> None:
    data = _summary(corpus / "fit" / "FitFileParser__running.fit")
    assert data["sport"] == "running"
    assert data["start_time"] == "2018-10-20T14:46:25Z"
    assert data["records"] == 6599  # the MANIFEST's record count
    assert data["has_running_dynamics"] is True
    assert 150 <= data["avg_cadence_spm"] <= 190  # type: ignore[operator]
    assert data["distance_m"] == pytest.approx(18658.6, abs=0.1)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gpx/sports-lib__garmin.gpx", ("running", "2018-04-23T15:54:34Z", 217)),
        ("tcx/sports-lib__20181021_run_3106033902.tcx", ("running", "2018-10-21T13:50:14Z", 422)),
    ],
)
def test_corpus_gpx_and_tcx_summaries(
    home: Path, corpus: Path, name: str, expected: tuple[str, str, int]
) -> None:
    data = _summary(corpus / name)
    assert (data["sport"], data["start_time"], data["records"]) == expected
    assert 100 <= data["avg_cadence_spm"] <= 200  # type: ignore[operator]
    assert data["avg_hr_bpm"] is not None

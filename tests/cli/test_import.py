"""`backstride import` end to end through the real CLI on Strava-export-shaped fixtures."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.activity_files import gpx_bytes, straight_run, tcx_bytes
from tests.conftest import run_backstride

#: Strava's activities.csv repeats column names (distance in km, then in metres).
CSV_HEAD = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
    "Activity Gear,Filename,Elapsed Time,Distance\n"
)


def _export(folder: Path, files: dict[str, tuple[bytes, str, str, str]]) -> Path:
    """A Strava-export folder: {file: (bytes, name, type, gear)} plus activities.csv."""
    (folder / "activities").mkdir(parents=True)
    lines = [CSV_HEAD]
    for i, (name, (data, title, kind, gear)) in enumerate(files.items(), 1):
        (folder / "activities" / name).write_bytes(data)
        lines.append(f'{i},"Jan 1, 2024",{title},{kind},1,1.0,{gear},activities/{name},1,1000\n')
    (folder / "activities.csv").write_text("".join(lines))
    (folder / "profile.csv").write_text("not an activity\n")
    return folder


def _zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        archive.writestr("__MACOSX/activities/._1.gpx", b"\x00\x05\x16\x07junk")
    return target


def _import_json(*paths: Path) -> dict[str, object]:
    result = run_backstride("import", *map(str, paths), "--format", "json")
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def test_a_self_made_strava_export_imports_then_reimports_as_duplicates(
    home: Path, tmp_path: Path
) -> None:
    export = _export(
        tmp_path / "export",
        {
            "1.gpx": (gpx_bytes([straight_run(40)], sport=None), "Easy", "Run", "Ghost 15"),
            "2.tcx.gz": (gzip.compress(b"\n  " + tcx_bytes([20, 20])), "Tempo", "Run", "Ghost 15"),
            "3.gpx.gz": (gzip.compress(b"<gpx><trk>"), "Broken", "Run", ""),
        },
    )
    first = _import_json(export)
    assert (first["imported"], first["duplicates"], first["failed"]) == (2, 0, 1)
    failed = [f for f in first["files"] if f["status"] == "failed"]  # type: ignore[union-attr]
    assert failed[0]["file"].endswith("3.gpx.gz")
    assert "not well-formed GPX" in failed[0]["detail"]
    again = _import_json(_zip_folder(export, tmp_path / "export.zip"))
    assert (again["imported"], again["duplicates"], again["failed"]) == (0, 2, 1)
    assert (home / "samples").is_dir()
    assert len(list((home / "samples").glob("*.npz"))) == 2


def test_text_summary_has_the_counts_then_one_line_per_file(home: Path, tmp_path: Path) -> None:
    good = tmp_path / "run.gpx"
    good.write_bytes(gpx_bytes([straight_run(20)]))
    bad = tmp_path / "bad.tcx"
    bad.write_bytes(b"<TrainingCenterDatabase>")
    result = run_backstride("import", str(good), str(bad))
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == ["imported: 1", "duplicates: 0", "failed: 1"]
    assert re.fullmatch(
        rf"took in {re.escape(str(good))} - \d{{4}}-\d\d-\d\d running \d+\.\d km", lines[3]
    )
    assert lines[4].startswith(f"failed {bad}: not well-formed TCX")
    assert len(lines) == 5


def test_a_file_imported_again_is_listed_as_skipped_with_the_reason(
    home: Path, tmp_path: Path
) -> None:
    good = tmp_path / "run.gpx"
    good.write_bytes(gpx_bytes([straight_run(20)]))
    assert run_backstride("import", str(good)).code == 0
    again = run_backstride("import", str(good))
    assert again.code == 0
    assert again.stdout.splitlines()[3] == (
        f"skipped {good}: already stored (same file already imported)"
    )


def test_a_missing_path_exits_2_with_one_line(home: Path, tmp_path: Path) -> None:
    result = run_backstride("import", str(tmp_path / "nope"))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"backstride: error: path {tmp_path / 'nope'} does not exist (expected a file or folder)"
    ]


def test_nothing_importable_exits_1(home: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_backstride("import", str(tmp_path / "empty"))
    assert result.code == 1
    assert result.stdout.splitlines()[:3] == ["imported: 0", "duplicates: 0", "failed: 0"]


@pytest.mark.corpus
@pytest.mark.slow
def test_a_strava_export_built_from_corpus_files_imports_end_to_end(
    home: Path, tmp_path: Path, corpus: Path
) -> None:
    fit = (corpus / "fit" / "FitFileParser__running.fit").read_bytes()
    export = _export(
        tmp_path / "export",
        {
            "101.fit.gz": (gzip.compress(fit), "Long run", "Run", "Speedgoat 5"),
            "102.gpx": (
                (corpus / "gpx" / "sports-lib__garmin.gpx").read_bytes(),
                "Evening",
                "Run",
                "Speedgoat 5",
            ),
            "103.tcx.gz": (
                gzip.compress(
                    b"   "
                    + (corpus / "tcx" / "sports-lib__20181021_run_3106033902.tcx").read_bytes()
                ),
                "Hills",
                "Run",
                "Pegasus",
            ),
            "104.gpx.gz": (
                gzip.compress(
                    (corpus / "gpx" / "sports-lib__20190721_ride_2551623996.gpx").read_bytes()
                ),
                "Ride",
                "Ride",
                "Bike",
            ),
            "105.tcx": (
                (
                    corpus / "tcx" / "GoldenCheetah__HRM-unbucle-resync__._activity_2677977976.tcx"
                ).read_bytes(),
                "Junk",
                "Swim",
                "",
            ),
        },
    )
    garmin = tmp_path / "garmin"
    garmin.mkdir()
    shutil.copy(corpus / "fit_zip" / "GoldenCheetah__Fr955v19.28andStryd.fit.zip", garmin)
    summary = _import_json(export, garmin)
    assert (summary["imported"], summary["duplicates"], summary["failed"]) == (5, 0, 1)
    assert _import_json(export, garmin)["duplicates"] == 5
    history = run_backstride(
        "activity", "summary", str(export / "activities" / "101.fit.gz"), "--format", "json"
    )
    assert json.loads(history.stdout)["records"] == 6599

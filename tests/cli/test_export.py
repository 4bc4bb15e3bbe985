"""The whole journey through the real commands, then export -> forget -> import-data."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest

from backstride.config import load_settings
from backstride.services import tracking
from backstride.services.assessment import read_case_file
from tests.conftest import run_backstride

CASE = """\
age: 42
sex: female
pain:
  {intensity: 6, worst_24h: 7, started_days_ago: 6, onset: after_run, locations: [low_back_central]}
history: {self_care_weeks: 0, trend: same}
start_back: [true, false, true, false, false, false, false, false, moderately]
rmdq: [2, 5, 9, 14, 18, 21]
running: {weekly_km: 35, weekly_km_prior: 25, runs_per_week: 4}
"""


def gpx(start: datetime, km: float) -> str:
    """A small running GPX track at 3 m/s with a point every 10 s."""
    points = []
    for i in range(int(km * 1000 / 30) + 1):
        moment = start + timedelta(seconds=10 * i)
        points.append(
            f'<trkpt lat="{52.0 + i * 30 / 111_000:.6f}" lon="4.000000">'
            f"<time>{moment:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
        + "".join(points)
        + "</trkseg></trk></gpx>"
    )


def ok(*args: str, input_text: str | None = None) -> str:
    result = run_backstride(*args, input_text=input_text)
    assert result.code == 0, f"{args}: {result.stderr}"
    return result.stdout


def comparable(export_text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(export_text)
    document.pop("exported_at")
    return document


def seed_journey(tmp_path: Path) -> date:
    """Assess, import three runs, plan, log three weeks of stalled pain; returns the last day."""
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    ok("diary", "assessment", "--input", str(case))
    first = datetime.now(UTC).astimezone().date()
    files = []
    for n, (offset, km) in enumerate(((2, 5.0), (9, 8.0), (16, 4.0))):
        path = tmp_path / f"run{n}.gpx"
        day = first + timedelta(days=offset)
        path.write_text(gpx(datetime.combine(day, time(6, 0), tzinfo=UTC), km), encoding="utf-8")
        files.append(str(path))
    assert json.loads(ok("import", *files, "--format", "json"))["imported"] == 3
    ok("plan", "--input", str(case), "--use-store", "--format", "json")
    settings = load_settings()
    for day in range(22):
        on = first + timedelta(days=day)
        form = tracking.parse_diary_form(
            {"on": on, "at_time": time(8, 0), "pain_now": 5 + day % 2, "pain_worst": 7,
             "pain_during_run": 4 if day in (2, 9, 16) else None}
        )  # fmt: skip
        tracking.add_diary_entry(settings, form, now=datetime.now(UTC))
    ok("diary", "rmdq", "--date", (first + timedelta(days=7)).isoformat(), "--items", "2,5,9,14,18")
    ok("diary", "add", "--date", (first + timedelta(days=21)).isoformat(), "--pain", "5",
       "--morning", "5", "--note", "still the same")  # fmt: skip
    return first + timedelta(days=21)


@pytest.mark.slow
def test_a_runner_tracks_recovery_and_the_export_round_trip_loses_nothing(
    database_url: str, tmp_path: Path
) -> None:
    last = seed_journey(tmp_path)
    progress_before = ok("progress", "--format", "json", "--today", last.isoformat())
    escalation = json.loads(progress_before)["escalation"]
    assert (escalation["urgency"], escalation["reason"]) == ("soon", "not_recovering")
    linked = [e for e in json.loads(ok("diary", "list", "--format", "json")) if e["run_keys"]]
    assert len(linked) == 3

    pdf_path = tmp_path / "report.pdf"
    ok("report", "--format", "pdf", "--out", str(pdf_path), "--today", last.isoformat())
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf_path).pages)
    for expected in ("Assessment history", "(soon, not_recovering)", "Training summary", "Sources"):
        assert expected in text

    exported = tmp_path / "export.json"
    ok("export", "--out", str(exported))
    fhir = json.loads(ok("export", "--format", "fhir"))
    assert fhir["resourceType"] == "Bundle"
    ok("forget", input_text="y\n")
    assert json.loads(ok("diary", "list", "--format", "json")) == []
    assert not list((Path(load_settings().samples_dir)).glob("*"))

    ok("import-data", str(exported))
    assert comparable(ok("export")) == comparable(exported.read_text(encoding="utf-8"))
    assert ok("progress", "--format", "json", "--today", last.isoformat()) == progress_before
    restored = json.loads(exported.read_text(encoding="utf-8"))
    assert len(restored["tables"]["diary_entry"]) == 23
    assert len(restored["tables"]["activity"]) == 3
    assert len(restored["files"]) == 3
    assert len(restored["tables"]["plan_snapshot"]) == 1
    # new rows after a restore get fresh ids (PostgreSQL sequences moved past restored ids)
    ok("diary", "add", "--date", last.isoformat(), "--pain", "4")


def test_forget_asks_first_and_keeps_data_when_declined(database_url: str) -> None:
    ok("diary", "add", "--date", "2026-03-02", "--pain", "4")
    declined = run_backstride("forget", input_text="n\n")
    assert declined.code == 0
    assert declined.stdout.endswith("Nothing was deleted.\n")
    assert len(json.loads(ok("diary", "list", "--format", "json"))) == 1
    assert "Deleted" in ok("forget", "--yes")
    assert json.loads(ok("diary", "list", "--format", "json")) == []


def test_import_data_refuses_a_store_with_data_and_files_that_are_not_exports(
    database_url: str, tmp_path: Path
) -> None:
    ok("diary", "add", "--date", "2026-03-02", "--pain", "4")
    exported = tmp_path / "export.json"
    ok("export", "--out", str(exported))
    bundle = tmp_path / "bundle.json"
    bundle.write_text(ok("export", "--format", "fhir"), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    for path, message in (
        (exported, "already holds data"),
        (bundle, "not a backstride JSON export"),
        (broken, "not valid JSON"),
        (tmp_path / "missing.json", "cannot read"),
    ):
        result = run_backstride("import-data", str(path))
        assert result.code == 2, path
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    assert len(json.loads(ok("diary", "list", "--format", "json"))) == 1


def test_the_json_restores_into_a_fresh_store_inside_one_process(
    database_url: str, tmp_path: Path
) -> None:
    settings = load_settings()
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    tracking.store_assessment(settings, read_case_file(str(case)), now=datetime.now(UTC))
    from backstride.services import data_export

    text = data_export.export_data(settings, fmt="json", now=datetime.now(UTC))
    data_export.forget(settings)
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    counts = data_export.import_data(settings, path)
    assert counts.rows["assessment"] == 1
    again = data_export.export_data(settings, fmt="json", now=datetime.now(UTC))
    assert comparable(again) == comparable(text)


def test_import_data_is_all_or_nothing_and_stays_in_the_samples_folder(
    database_url: str, home: Path, tmp_path: Path
) -> None:
    from backstride.errors import InputError
    from backstride.services import data_export

    settings = load_settings()
    document = json.loads(data_export.export_data(settings, fmt="json", now=datetime.now(UTC)))
    document["files"] = {"../escaped.npz": "AAAA"}
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError, match="leaves the samples folder"):
        data_export.import_data(settings, path)
    assert not (home / "escaped.npz").exists()
    document["files"] = {}
    document["tables"]["runner"] = [{"id": 1, "name": "me"}]  # created_at and profile missing
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError, match="the export does not fit this store"):
        data_export.import_data(settings, path)
    exported = json.loads(data_export.export_data(settings, fmt="json", now=datetime.now(UTC)))
    assert all(rows == [] for rows in exported["tables"].values())  # nothing half-restored

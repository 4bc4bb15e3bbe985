"""A LocalCluster run of the cohort gives every runner the numbers the single-user path gives.

The cohort runs through the real command (`backstride cohort analyze --workers 2`: a
LocalCluster of two worker processes); each runner is then imported alone into a fresh
home with `backstride import` and analysed with `backstride analyze --format json` over its
whole history, and the cohort's Parquet rows must equal that JSON exactly (after the same
rounding the JSON applies).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from backstride.config import load_settings
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.cohort import CohortText
from backstride.services.cohort_report import cohort_report
from backstride.services.cohort_tables import TABLES, read_table
from backstride.services.tracking import add_diary_entry, parse_diary_form
from tests.cohort.builders import FIRST_DAY
from tests.cohort.compare import (
    cohort_findings,
    cohort_weeks,
    json_findings,
    last_day_metrics,
)
from tests.cohort.conftest import ENV
from tests.conftest import run_backstride
from tests.provenance import assert_produced

GOOD = ("corpus-runner", "spiky-runner", "steady-runner")
NOW = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)

pytestmark = [pytest.mark.slow, pytest.mark.corpus]


@pytest.fixture(scope="module")
def local_run(cohort_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cohort analysed once by the real command on a LocalCluster of 2 processes."""
    out = tmp_path_factory.mktemp("local") / "out"
    result = run_backstride(
        "cohort", "analyze", str(cohort_source), "--out", str(out), "--workers", "2",
        env=ENV, timeout=180,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return out


def _single_user(folder: Path, home: Path, first: str, last: str) -> dict[str, Any]:
    env = {**ENV, "BACKSTRIDE_HOME": str(home)}
    imported = run_backstride("import", str(folder), "--format", "json", env=env)
    assert imported.code == 0, imported.stderr
    analysed = run_backstride(
        "analyze", "--since", first, "--as-of", last, "--format", "json", env=env
    )
    assert analysed.code == 0, analysed.stderr
    document: dict[str, Any] = json.loads(analysed.stdout)
    return document


@pytest.mark.parametrize("athlete", GOOD)
def test_each_runners_cohort_rows_equal_the_single_user_import_and_analysis(
    local_run: Path, cohort_source: Path, tmp_path: Path, athlete: str
) -> None:
    days = read_table(local_run, "athlete_days", [athlete]).column("day").to_pylist()
    first, last = days[0].isoformat(), days[-1].isoformat()
    document = _single_user(cohort_source / athlete, tmp_path / "home", first, last)
    manifest = {r["athlete"]: r for r in pq.read_table(local_run / "manifest").to_pylist()}

    assert document["history"] == {"first_day": first, "last_day": last}
    assert (manifest[athlete]["activities"], manifest[athlete]["runs"]) == (
        document["activities"],
        document["runs"],
    )
    assert cohort_weeks(local_run, athlete) == document["weeks"]
    assert cohort_findings(local_run, athlete) == json_findings(document)
    metrics = document["metrics"]
    assert last_day_metrics(local_run, athlete) == {
        "last_7_days_km": metrics["last_7_days_km"],
        "ewma": metrics["acwr"]["ewma"],
        "monotony_7_days": metrics["monotony_7_days"],
        "fitness": metrics["fitness"],
        "fatigue": metrics["fatigue"],
    }


def test_the_spiky_runner_has_findings_to_compare(local_run: Path) -> None:
    found = {row["finding"] for row in read_table(local_run, "findings").to_pylist()}
    assert "single_run_spike" in found


def test_the_diary_associations_equal_what_progress_shows_for_the_same_runner(
    local_run: Path, cohort_source: Path, home: Path
) -> None:
    folder = cohort_source / "spiky-runner"
    env = {**ENV, "BACKSTRIDE_HOME": str(home)}
    assert run_backstride("import", str(folder), env=env).code == 0
    settings = load_settings()  # the same home; the diary service `diary add` calls
    for line in (folder / "diary.csv").read_text().splitlines()[1:]:
        on, pain, morning, _ = line.split(",")
        form = parse_diary_form({"on": on, "pain_now": pain, "pain_next_morning": morning})
        add_diary_entry(settings, form, now=NOW)
    today = FIRST_DAY.replace(year=FIRST_DAY.year + 1).isoformat()
    shown = run_backstride("progress", "--format", "json", "--today", today, env=env)
    assert shown.code == 0, shown.stderr
    expected = [
        {k: a[k] for k in ("feature", "lag_days", "correlation", "days")}
        for a in json.loads(shown.stdout)["associations"]
    ]
    rows = read_table(local_run, "pain_load", ["spiky-runner"]).to_pylist()

    assert expected
    assert [{k: r[k] for k in ("feature", "lag_days", "correlation", "days")} for r in rows] == (
        expected
    )


def test_a_local_cluster_run_lists_the_corrupt_runner_and_analyses_the_rest(
    local_run: Path,
) -> None:
    summary = json.loads((local_run / "summary.json").read_text())
    runner_failures = [f for f in summary["failures"] if not f["file"]]
    file_failures = {(f["athlete"], f["file"]) for f in summary["failures"] if f["file"]}

    assert (summary["runners"], summary["analysed"], summary["failed"]) == (4, 3, 1)
    assert [f["athlete"] for f in runner_failures] == ["broken-runner"]
    assert "no readable activity file" in runner_failures[0]["reason"]
    assert ("steady-runner", "broken.fit") in file_failures
    assert summary["versions"]["knowledge_base"]
    assert summary["versions"]["knowledge_base_digest"]


def test_one_runners_rows_are_read_alone_from_its_partition(local_run: Path) -> None:
    for table in TABLES:
        folders = sorted(p.name for p in (local_run / table).iterdir())
        assert folders == [f"athlete={a}" for a in GOOD]
    alone = pq.read_table(local_run / "athlete_weeks" / "athlete=spiky-runner")
    assert alone.num_rows == len(read_table(local_run, "athlete_weeks", ["spiky-runner"]))
    assert not list(local_run.rglob(".tmp-*"))


@pytest.mark.covers(
    "cohort.heading", "cohort.failed-runners", "cohort.weekly-change.heading",
    "cohort.weekly-change.band", "cohort.weekly-change.none", "cohort.weekly-change.no-reference",
    "cohort.spikes.heading", "cohort.spikes.band", "cohort.count-line", "cohort.findings.heading",
    "cohort.finding-line", "cohort.finding.single_run_spike", "cohort.finding.weekly_distance_jump",
    "cohort.finding.high_monotony", "cohort.finding.acwr_rising",
    "cohort.finding.low_cadence_for_speed", "cohort.finding.cadence_drop",
    "cohort.finding.high_vertical_oscillation", "cohort.finding.shoe_inspection_due",
    "cohort.finding.surface_change", "cohort.finding.no_rest_days",
    "cohort.pain-after-spike.heading", "cohort.pain-after-spike.counts",
    "cohort.pain-after-spike.direction", "cohort.association-note",
)  # fmt: skip
def test_the_report_prints_bands_findings_and_the_within_person_pain_comparison(
    local_run: Path, tmp_path: Path
) -> None:
    chart = tmp_path / "cohort.png"
    result = run_backstride("cohort", "report", str(local_run), "--out", str(chart), env=ENV)
    lines = result.stdout.splitlines()

    assert result.code == 0, result.stderr
    assert lines[0].startswith("Cohort: 4 runners")
    assert lines[1].endswith(
        "could not be analysed (every file unreadable or no runs): broken-runner"
    )
    assert "  >100 % longer: 1 in 1 runners" in lines
    assert "  30-100 % longer: 1 in 1 runners" in lines  # 7 km after 5 km (steady runner)
    assert "  a run much longer than the recent longest: 2 of 3 runners (2 times)" in lines
    # Diary days 0-37; the training history (and so the days table) ends on day 35.
    assert any("1 runners kept a diary" in line and "7 diary days after a spike" in line
               and "29 after none" in line for line in lines)  # fmt: skip
    assert any("higher for 1, lower for 0 and the same for 0" in line for line in lines)
    assert any("+3.0 points" in line for line in lines)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", result.stdout)  # no ids for people
    assert "not injury risk figures" in result.stdout
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_cohort_text_is_worded_into_the_report_or_its_chart(
    local_run: Path, tmp_path: Path
) -> None:
    report = cohort_report(local_run, chart=tmp_path / "cohort.svg")
    every = sorted(t.id for t in load_knowledge_base().of(CohortText))
    # The diaryless wording is the one text a cohort with diaries does not use.
    used = [i for i in every if i != "cohort.pain-after-spike.none"]

    assert_produced(report, *used)
    assert not any(line.records for line in report.lines if not line.text)


def test_a_source_without_runner_folders_is_refused_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_backstride(
        "cohort", "analyze", str(tmp_path / "empty"), "--out", str(tmp_path / "out"), env=ENV
    )

    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        f"backstride: error: cohort source {tmp_path / 'empty'} has no runner subfolders"
    ]

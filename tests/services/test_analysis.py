"""The analysis use cases over a real store filled by the real import."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from backstride.config import Settings
from backstride.errors import InputError, NotFoundError
from backstride.services import analysis
from backstride.services.imports import import_paths
from backstride.services.plans import read_findings

RUNS = [
    "fit/GoldenCheetah__GarminFR955v18__14211916346_ACTIVITY.fit",
    "fit/python-fitparse__activity-small-fenix2-run.fit",
    "fit/sports-lib__OutdoorRun20200314145229.fit",
    "fit/sports-lib__TrailRun20200215111630.fit",
    "gpx/sports-lib__20171008_run_2067489619.gpx",
]


@pytest.fixture(autouse=True)
def utc_days(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run days are local days: pin the zone so the expected dates hold anywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings(home=home)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Settings:
    """One store with the corpus runs, shared by the read-only tests of this module."""
    settings = Settings(home=tmp_path_factory.mktemp("home"))
    report = import_paths(settings, [corpus / name for name in RUNS], now=datetime.now(UTC))
    assert report.count("imported") == len(RUNS)
    return settings


@pytest.fixture
def own_store(settings: Settings, corpus: Path) -> Settings:
    """A store of this test's own (for tests that change shoes)."""
    report = import_paths(settings, [corpus / name for name in RUNS], now=datetime.now(UTC))
    assert report.count("imported") == len(RUNS)
    return settings


def test_an_empty_store_gives_an_empty_report_not_an_error(settings):
    report = analysis.analyze(settings, as_of=date(2024, 3, 2))
    assert report.empty
    assert report.findings == []
    assert analysis.report_json(report)["runs"] == 0


def test_the_default_period_is_the_report_spans_records(settings):
    spans = analysis.report_spans()
    assert spans.id == "report.spans"
    report = analysis.analyze(settings, as_of=date(2024, 3, 2))
    assert (date(2024, 3, 2) - report.analysis.since).days + 1 == spans.analysis_days == 28


def test_the_notes_are_the_records_filled_with_the_time_constants_applied(settings):
    from backstride.knowledge import load_knowledge_base
    from backstride.knowledge.texts import screen_text

    kb = load_knowledge_base()
    data = analysis.report_json(analysis.analyze(settings, as_of=date(2024, 3, 2)))
    fit = analysis.analyze(settings, as_of=date(2024, 3, 2)).analysis.fitness
    assert data["note"] == screen_text(kb, "analysis", "note")
    assert data["metrics"]["acwr_note"] == screen_text(kb, "analysis", "acwr_note")
    convention = data["metrics"]["fitness_fatigue_convention"]
    assert convention.endswith(f"N = {fit.fitness_days:g} and {fit.fatigue_days:g} days")
    assert convention.startswith(f"{fit.convention}: ")


def test_a_chart_of_an_empty_history_is_a_user_error(settings, tmp_path):
    with pytest.raises(InputError, match="no running activities"):
        analysis.draw_chart(settings, "load", tmp_path / "load.png", as_of=date(2024, 3, 2))


@pytest.mark.corpus
def test_the_imported_history_is_analysed_with_form_from_stored_samples(imported):
    report = analysis.analyze(imported, since=date(2015, 1, 1), as_of=date(2024, 3, 2))
    assert len(report.analysis.runs.keys) == len(RUNS)
    # Form is read for the 16 weeks the form findings compare (one run here) ...
    assert [f.day for f in report.analysis.forms] == [date(2024, 3, 2)]
    # ... or for the whole period when a chart needs it (every FIT run has cadence).
    charted = analysis.analyze(
        imported, since=date(2015, 1, 1), as_of=date(2024, 3, 2), all_forms=True
    )
    assert len(charted.analysis.forms) >= 4
    assert report.first_day < report.last_day == date(2024, 3, 2)
    data = analysis.report_json(report)
    assert json.dumps(data, sort_keys=True) == json.dumps(
        analysis.report_json(
            analysis.analyze(imported, since=date(2015, 1, 1), as_of=date(2024, 3, 2))
        ),
        sort_keys=True,
    )
    assert sum(w["distance_km"] for w in data["weeks"]) == pytest.approx(
        sum(label.distance_km for label in report.labels.values()), abs=0.01
    )


@pytest.mark.corpus
def test_a_shoe_past_the_inspection_distance_becomes_a_finding_until_retired(own_store):
    imported = own_store
    analysis.add_shoe(imported, name="Trainers", start_km=590.0, today=date(2024, 3, 2))
    count = analysis.assign_shoe(imported, name="trainers", since=date(2015, 1, 1))
    assert count == len(RUNS)
    listing = analysis.list_shoes(imported, today=date(2024, 3, 2))
    assert [s.inspection_due for s in listing.shoes] == [True]
    assert listing.shoes[0].runs == len(RUNS)
    report = analysis.analyze(imported, since=date(2024, 2, 1), as_of=date(2024, 3, 2))
    assert [f.id for f in report.findings if f.id == "shoe_inspection_due"] == [
        "shoe_inspection_due"
    ]
    written = imported.home / "findings.json"
    written.write_text(json.dumps(analysis.report_json(report)), encoding="utf-8")
    assert read_findings(str(written)) == report.findings  # the plan reads what analyze writes
    analysis.retire_shoe(imported, name="Trainers")
    report = analysis.analyze(imported, since=date(2024, 2, 1), as_of=date(2024, 3, 2))
    assert "shoe_inspection_due" not in {f.id for f in report.findings}


def test_shoe_mistakes_are_user_errors(settings):
    analysis.add_shoe(settings, name="Blue", today=date(2024, 3, 2))
    with pytest.raises(InputError, match="already exists"):
        analysis.add_shoe(settings, name="blue", today=date(2024, 3, 2))
    with pytest.raises(NotFoundError, match="no shoe named"):
        analysis.assign_shoe(settings, name="Red", since=date(2020, 1, 1))
    with pytest.raises(InputError, match="activity ids or --since"):
        analysis.assign_shoe(settings, name="Blue")


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("kind", "suffix"), [("load", ".png"), ("load", ".svg"), ("cadence", ".png"), ("form", ".png")]
)
def test_every_chart_is_written_in_the_format_its_suffix_names(imported, tmp_path, kind, suffix):
    out = analysis.draw_chart(
        imported, kind, tmp_path / f"{kind}{suffix}", since=date(2017, 1, 1), as_of=date(2024, 3, 2)
    )
    head = out.read_bytes()[:64]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in out.read_bytes()[:400]
    assert len(head) == 64


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [("pace", "x.png", "chart must be one of"), ("load", "x.pdf", "must end in .png or .svg")],
)
def test_unknown_charts_and_formats_are_refused(settings, tmp_path, kind, name, message):
    with pytest.raises(InputError, match=message):
        analysis.draw_chart(settings, kind, tmp_path / name, as_of=date(2024, 3, 2))


def test_the_analysis_reads_the_same_history_from_postgresql_as_from_sqlite(
    imported: Settings, corpus: Path, database_url: str, home: Path
) -> None:
    """The analysis reads its rows through the database driver: PostgreSQL works too."""
    settings = Settings(home=home, database_url=database_url)
    report = import_paths(settings, [corpus / name for name in RUNS], now=datetime.now(UTC))
    assert report.count("imported") == len(RUNS)
    as_of = date(2026, 12, 1)
    here = analysis.analyze(settings, since=date(2010, 1, 1), as_of=as_of)
    there = analysis.analyze(imported, since=date(2010, 1, 1), as_of=as_of)
    assert len(here.analysis.runs.keys) == len(RUNS)
    assert analysis.report_json(here) == analysis.report_json(there)

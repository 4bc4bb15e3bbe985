"""`backstride shoes` end to end: add, list, assign, retire; gear names from a Strava export."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.conftest import run_backstride


def shoes_json(env: dict[str, str] | None = None) -> dict:
    result = run_backstride("shoes", "list", "--format", "json", env=env)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_new_install_lists_no_shoes_and_says_how_to_add_one(cli):
    result = run_backstride("shoes", "list")
    assert result.code == 0
    assert "backstride shoes add NAME" in result.stdout


def test_shoes_are_added_listed_and_retired(cli):
    assert run_backstride("shoes", "add", "Daily", "--brand", "Acme", "--start-km", "650").code == 0
    assert run_backstride("shoes", "add", "Race").code == 0
    listing = shoes_json()
    assert listing["inspection_km"] == 600.0
    assert [(s["name"], s["distance_km"], s["inspection_due"]) for s in listing["shoes"]] == [
        ("Daily", 650.0, True),
        ("Race", 0.0, False),
    ]
    assert run_backstride("shoes", "retire", "daily").stdout.strip() == "Retired shoe 'daily'."
    shoes = shoes_json()["shoes"]
    assert (shoes[0]["retired"], shoes[0]["inspection_due"]) == (True, False)


def test_the_inspection_distance_comes_from_the_settings(cli):
    env = {"BACKSTRIDE_SHOE_INSPECTION_KM": "700"}
    assert run_backstride("shoes", "add", "Daily", "--start-km", "650", env=env).code == 0
    listing = shoes_json(env)
    assert listing["inspection_km"] == 700.0
    assert listing["shoes"][0]["inspection_due"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("assign", "Ghost", "--since", "2020-01-01"), "no shoe named 'Ghost'"),
        (("assign", "Daily"), "needs activity ids or --since/--until"),
        (("add", "Daily"), "a shoe named 'Daily' already exists"),
        (("assign", "Daily", "999"), "activity id 999 does not exist"),
    ],
)
def test_shoe_mistakes_are_one_line_errors(cli, args, message):
    assert run_backstride("shoes", "add", "Daily").code == 0
    result = run_backstride("shoes", *args)
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


@pytest.mark.corpus
def test_gear_named_in_a_strava_export_becomes_a_shoe_with_its_distance(cli, tmp_path, corpus):
    export = tmp_path / "export"
    (export / "activities").mkdir(parents=True)
    fit = corpus / "fit" / "sports-lib__OutdoorRun20200314145229.fit"
    (export / "activities" / "101.fit.gz").write_bytes(gzip.compress(fit.read_bytes()))
    (export / "activities.csv").write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
        "Activity Gear,Filename,Elapsed Time,Distance\n"
        '101,"Mar 14, 2020",Morning Run,Run,3000,10.7,Trail shoes,'
        "activities/101.fit.gz,3000,10744\n",
        encoding="utf-8",
    )
    assert run_backstride("import", str(export)).code == 0
    shoes = shoes_json()["shoes"]
    assert [(s["name"], s["runs"]) for s in shoes] == [("Trail shoes", 1)]
    assert shoes[0]["distance_km"] == pytest.approx(10.7, abs=0.1)
    listed = run_backstride("shoes", "list").stdout
    assert "Trail shoes" in listed
    assert "Pairs used in the last 8 weeks" in listed

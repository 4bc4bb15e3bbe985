"""`backstride diary` through the real entry point, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_backstride

CASE = """\
age: 38
pain: {intensity: 6, started_days_ago: 10, onset: after_run, locations: [low_back_central]}
history: {self_care_weeks: 1}
rmdq: [2, 5, 9, 14]
start_back: [true, false, false, false, false, false, false, false, slightly]
"""


def test_the_scripted_form_of_diary_add_stores_the_entry(database_url: str) -> None:
    added = run_backstride(
        "diary", "add", "--date", "2026-03-02", "--pain", "4", "--worst", "6", "--morning", "3",
        "--note", "stiff after intervals",
    )  # fmt: skip
    assert added.code == 0, added.stderr
    assert "Saved diary entry" in added.stdout
    listed = run_backstride("diary", "list", "--format", "json")
    (entry,) = json.loads(listed.stdout)
    assert entry["at"].startswith("2026-03-02T")
    assert (entry["pain_now"], entry["pain_worst"], entry["pain_next_morning"]) == (4, 6, 3)
    assert entry["note"] == "stiff after intervals"


def test_every_diary_field_can_be_given_as_a_flag(database_url: str) -> None:
    added = run_backstride(
        "diary", "add", "--date", "2026-03-03", "--time", "19:30", "--pain", "3",
        "--during-run", "4", "--stiffness", "2", "--where", "spine_centre", "--where",
        "buttock_left", "--leg-symptoms", "--exercise", "bird dog", "--sleep", "7.5",
        "--steps", "6400", "--rmdq", "3,7", "--format", "json",
    )  # fmt: skip
    assert added.code == 0, added.stderr
    assert json.loads(added.stdout)["escalation"] is None
    (entry,) = json.loads(run_backstride("diary", "list", "--format", "json").stdout)
    assert entry["at"] == "2026-03-03T19:30:00"
    assert entry["locations"] == ["spine_centre", "buttock_left"]
    assert entry["leg_symptoms"] is True
    assert entry["exercises_done"] == ["bird dog"]
    assert (entry["pain_during_run"], entry["stiffness"], entry["sleep_hours"]) == (4, 2, 7.5)
    assert entry["rmdq_score"] == 2
    assert entry["steps"] == 6400


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pain", "11"), "pain_now"),
        (("--pain", "3", "--worst", "-1"), "pain_worst"),
        (("--pain", "3", "--where", "knee"), "unknown location 'knee'"),
        (("--pain", "3", "--red-flag", "headache"), "unknown question 'headache'"),
        (("--pain", "3", "--date", "2026-13-01"), "--date must be YYYY-MM-DD"),
        (("--pain", "3", "--rmdq", "3,x"), "--rmdq"),
        (("--pain", "3", "--run", "nope"), "no imported activity with key 'nope'"),
        (("--pain", "3", "--format", "xml"), "--format must be text or json"),
    ],
)
def test_bad_diary_input_is_one_clear_line_and_exit_2(
    home: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_backstride("diary", "add", *args)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_diary_add_without_flags_asks_the_questions(database_url: str) -> None:
    answers = "2026-03-04\n5\n7\n\n\n\ny\n\nfelt tight\n"
    result = run_backstride("diary", "add", input_text=answers)
    assert result.code == 0, result.stderr
    assert "Are any of these NEW" in result.stderr
    (entry,) = json.loads(run_backstride("diary", "list", "--format", "json").stdout)
    assert (entry["pain_now"], entry["pain_worst"], entry["note"]) == (5, 7, "felt tight")
    assert entry["new_red_flags"] == []
    assert entry["leg_symptoms"] is True


@pytest.mark.covers("cauda_equina")
def test_a_new_red_flag_reruns_triage_and_shows_the_emergency_first(
    database_url: str, tmp_path: Path
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    stored = run_backstride("diary", "assessment", "--input", str(case))
    assert stored.code == 0, stored.stderr
    assert "(You can look after this yourself)" in stored.stdout
    assert "self_care" not in stored.stdout
    result = run_backstride("diary", "add", "--pain", "5", "--red-flag", "bladder_change")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("GET EMERGENCY CARE NOW: Go to an emergency department now")
    assert "Trouble starting or stopping urine" in lines[1]
    assert "bladder_change" not in result.stdout
    listed = run_backstride("diary", "list")
    assert "NEW: Trouble starting or stopping urine" in listed.stdout  # the sign, in plain words
    assert "bladder_change" not in listed.stdout


def test_the_weekly_rmdq_is_stored_with_its_score(database_url: str) -> None:
    result = run_backstride("diary", "rmdq", "--date", "2026-03-09", "--items", "1,4,9,16")
    assert result.code == 0, result.stderr
    assert "4/24" in result.stdout
    progress = json.loads(run_backstride("progress", "--format", "json").stdout)
    assert progress["rmdq"]["history"] == [{"date": "2026-03-09", "score": 4}]


def test_an_entry_can_be_deleted(database_url: str) -> None:
    run_backstride("diary", "add", "--date", "2026-03-02", "--pain", "4")
    (entry,) = json.loads(run_backstride("diary", "list", "--format", "json").stdout)
    assert run_backstride("diary", "delete", str(entry["id"])).code == 0
    assert json.loads(run_backstride("diary", "list", "--format", "json").stdout) == []
    missing = run_backstride("diary", "delete", "999")
    assert missing.code == 2
    assert "diary entry id 999 does not exist" in missing.stderr

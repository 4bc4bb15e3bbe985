"""`backstride plan` through the real entry point: formats, files, findings and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.conftest import run_backstride

CASES = Path(__file__).resolve().parents[1] / "plan" / "data"
SELF_CARE = str(CASES / "self_care_runner.yaml")
FIXED = ("--start", "2026-11-23", "--as-of", "2026-11-23")


def test_json_plan_is_deterministic_and_stamped_with_the_knowledge_base(home: Path) -> None:
    first = run_backstride("plan", "--input", SELF_CARE, "--format", "json", *FIXED)
    second = run_backstride("plan", "--input", SELF_CARE, "--format", "json", *FIXED)
    assert first.code == 0, first.stderr
    assert first.stdout == second.stdout
    plan = json.loads(first.stdout)
    assert plan["status"] == "self_care"
    assert plan["start"] == "2026-11-23"
    assert len(plan["days"]) == 42
    assert len(plan["kb_digest"]) == 64


def test_terminal_view_shows_the_plan_for_a_person(home: Path) -> None:
    result = run_backstride("plan", "--input", SELF_CARE, *FIXED)
    assert result.code == 0, result.stderr
    for text in ("Your back and running plan", "Settle", "Day by day", "Made for you", "How to do"):
        assert text in result.stdout
    assert "not a diagnosis" in result.stdout
    assert "What to read this week" in result.stdout
    words = " ".join(result.stdout.replace("│", " ").split())
    assert "Pain is usually worst in the first days" in words  # a topic's body, not its title


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [("pdf", b"%PDF-"), ("ics", b"BEGIN:VCALENDAR"), ("html", b"<!DOCTYPE html>"), ("md", b"# ")],
)
def test_each_file_format_is_written_with_out(
    home: Path, tmp_path: Path, fmt: str, magic: bytes
) -> None:
    target = tmp_path / f"plan.{fmt}"
    result = run_backstride(
        "plan", "--input", SELF_CARE, "--format", fmt, "--out", str(target), *FIXED
    )
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_bytes().startswith(magic)


def test_weeks_option_sets_the_schedule_length_in_the_calendar(home: Path) -> None:
    args = ("--format", "ics", "--weeks", "2", "--reminders", *FIXED)
    result = run_backstride("plan", "--input", SELF_CARE, *args)
    assert result.code == 0, result.stderr
    calendar = Calendar.from_ical(result.stdout)
    events = list(calendar.walk("VEVENT"))
    assert 0 < len(events) <= 14
    assert len(list(calendar.walk("VALARM"))) == len(events)


def test_emergency_case_prints_the_action_and_no_schedule(home: Path) -> None:
    case = str(CASES / "emergency_cauda_equina.yaml")
    result = run_backstride("plan", "--input", case, "--format", "json", *FIXED)
    assert result.code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["status"] == "no_self_care"
    assert plan["days"] == []
    assert plan["top"][0]["kind"] == "action"


def test_findings_file_adds_the_matching_personal_item(home: Path, tmp_path: Path) -> None:
    findings = tmp_path / "findings.json"
    findings.write_text(
        json.dumps(
            {
                "findings": [
                    {
                        "id": "surface_change",
                        "severity": "consider",
                        "title": "New surface",
                        "evidence": "Half of last week's running was on trail, new for you.",
                        "runs": [{"key": "abc", "activity_id": 1}],
                        "metrics": {"share": 0.5},
                        "sources": ["nice-cks-lbp"],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    args = ("--format", "json", "--findings", str(findings), *FIXED)
    result = run_backstride("plan", "--input", SELF_CARE, *args)
    assert result.code == 0, result.stderr
    keys = {i["key"]: i for i in json.loads(result.stdout)["personal"]}
    assert "trail, new for you" in keys["personal.surface_change"]["text"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--input", "no-such-file.yaml"), "file not found"),
        (("--input", SELF_CARE, "--format", "docx"), "--format"),
        (("--input", SELF_CARE, "--start", "23/11/2026"), "--start"),
        (("--input", SELF_CARE, "--weeks", "0"), "--weeks"),
        (("--input", SELF_CARE, "--findings", "missing.json"), "--findings"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(
    home: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_backstride("plan", *args)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.slow
def test_use_store_reads_the_pain_diary_and_adapts_the_plan(home: Path) -> None:
    for day in range(17, 21):
        logged = run_backstride(
            "diary", "add", "--date", f"2026-11-{day}", "--pain", "2",
            "--exercise", "glute-bridge", "--exercise", "front-plank", "--no-link-runs",
        )  # fmt: skip
        assert logged.code == 0, logged.stderr
    args = ("--format", "json", "--use-store", "--start", "2026-11-21", "--as-of", "2026-11-20")
    result = run_backstride("plan", "--input", SELF_CARE, *args)
    assert result.code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["decision"]["decision"] == "advance"
    assert plan["decision"]["to_phase"] == "return_to_run"
    assert plan["phases"][0]["phase"] == "return_to_run"


def test_a_weekly_check_in_is_saved_and_re_tailors_the_stored_plan(home: Path) -> None:
    for week_end, pain in (("2026-11-15", 2), ("2026-11-22", 5)):
        saved = run_backstride(
            "checkin", "--pain", str(pain), "--function", "7", "--sessions", "4",
            "--runs", "2", "--steps", "6000", "--goal", "Run 5 km", "--week-end", week_end,
        )  # fmt: skip
        assert saved.code == 0, saved.stderr
    assert "ease off" in saved.stdout
    args = ("--format", "json", "--use-store", *FIXED)
    plan = json.loads(run_backstride("plan", "--input", SELF_CARE, *args).stdout)
    checkin = next(i for i in plan["top"] if i["key"] == "top.checkin")
    assert "5/10" in checkin["text"]
    assert "Run 5 km" in checkin["text"]
    bad = run_backstride("checkin", "--pain", "14", "--function", "7", "--sessions", "4")
    assert bad.code == 2
    assert "pain: expected 0–10, got 14" in bad.stderr

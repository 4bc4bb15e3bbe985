"""A warning sign logged later (diary question or answers) re-runs the real triage and leads
plan, progress and the report in that level's words until a clinician review is recorded."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.conftest import run_backstride

SCIATICA = """\
age: 38
pain: {intensity: 5, started_days_ago: 10, onset: lifting,
       locations: [low_back_left, below_knee_left], leg_pain_worse_than_back: true}
neuro: {numbness_or_tingling: [below_knee_left]}
"""
CLAUDICATION = """\
age: 68
pain: {intensity: 4, started_days_ago: 395, onset: gradual,
       locations: [low_back_central, below_knee_left, below_knee_right], worse_with: [standing]}
history: {trend: same}
"""
BANNED = "emergency services if it is one of the emergency signs"


def _store(tmp_path: Path, text: str) -> Path:
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    stored = run_backstride("diary", "assessment", "--input", str(case))
    assert stored.code == 0, stored.stderr
    return case


def _today() -> str:
    return datetime.now().astimezone().date().isoformat()


def _progress() -> dict[str, object]:
    result = run_backstride("progress", "--today", _today(), "--format", "json")
    assert result.code == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def _plan_md(case: Path) -> str:
    result = run_backstride("plan", "--input", str(case), "--use-store", "--format", "md")
    assert result.code == 0, result.stderr
    assert BANNED not in result.stdout
    return result.stdout


@pytest.mark.covers("cauda_equina", "progressive_neuro_deficit")
@pytest.mark.parametrize(
    ("diary_args", "sign"),
    [
        (["--where", "below_knee_left", "--where", "below_knee_right"], "both legs"),
        (["--red-flag", "leg_weakness_progressive"], "New or worsening weakness in a leg"),
        (["--red-flag", "bladder_change"], "Trouble starting or stopping urine"),
    ],
    ids=["pain_below_both_knees", "new_weakness", "bladder_change"],
)
def test_a_warning_sign_in_the_diary_leads_everything_until_a_review(
    home: Path, tmp_path: Path, diary_args: list[str], sign: str
) -> None:
    case = _store(tmp_path, SCIATICA)
    before = _plan_md(case)
    assert "Book an appointment with a GP or physiotherapist" in before  # sciatica: soon
    added = run_backstride("diary", "add", "--date", _today(), "--pain", "6", *diary_args)
    assert added.code == 0, added.stderr
    assert added.stdout.startswith("GET EMERGENCY CARE NOW: Go to an emergency department now")
    assert sign.lower() in added.stdout.lower()
    escalation = _progress()["escalation"]
    assert isinstance(escalation, dict)
    assert (escalation["urgency"], escalation["reason"]) == ("emergency", "new_red_flag")
    text = run_backstride("progress", "--today", _today()).stdout
    assert text.startswith("GET EMERGENCY CARE NOW: Go to an emergency department now")
    plan = _plan_md(case)
    first = plan.split("## First", 1)[1]
    assert first.lstrip().startswith("- **Get emergency care now**: Go to an emergency department")
    assert "Book an appointment with a GP or physiotherapist" not in plan
    assert "Day by day" not in plan
    assert "How to do the exercises" not in plan
    report = run_backstride("report", "--format", "html", "--out", str(tmp_path / "r.html"))
    assert report.code == 0, report.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.index("Get emergency care now") < html.index("Assessment history")
    # a day later the sign still leads (it stands until a review, not for a day)
    later = run_backstride("diary", "add", "--date", _today(), "--pain", "3")
    assert later.stdout.startswith("GET EMERGENCY CARE NOW")
    reviewed = run_backstride(
        "review", "add", "--note", "Seen in the emergency department; MRI normal"
    )
    assert reviewed.code == 0, reviewed.stderr
    assert "Recorded the review" in reviewed.stdout
    after = _progress()["escalation"]
    assert after is None or after["reason"] != "new_red_flag"  # type: ignore[index]
    assert (
        _plan_md(case).split("## First", 1)[1].lstrip().startswith("- **Book an appointment soon**")
    )


@pytest.mark.covers("referral.neurogenic_claudication")
def test_long_standing_two_leg_claudication_logged_again_is_not_an_emergency(
    home: Path, tmp_path: Path
) -> None:
    case = _store(tmp_path, CLAUDICATION)
    added = run_backstride(
        "diary", "add", "--date", _today(), "--pain", "4",
        "--where", "below_knee_left", "--where", "below_knee_right",
    )  # fmt: skip
    assert added.code == 0, added.stderr
    assert "EMERGENCY" not in added.stdout
    assert _progress()["escalation"] is None or _progress()["escalation"]["urgency"] == "soon"  # type: ignore[index]
    plan = _plan_md(case)
    assert "Go to an emergency department now if you notice any of these" in plan


def test_pain_newly_in_the_other_leg_is_read_as_both_legs(home: Path, tmp_path: Path) -> None:
    _store(tmp_path, SCIATICA)  # left leg only
    added = run_backstride("diary", "add", "--date", _today(), "--pain", "5",
                           "--where", "below_knee_right")  # fmt: skip
    assert added.code == 0, added.stderr
    assert added.stdout.startswith("GET EMERGENCY CARE NOW")
    assert "both legs" in added.stdout


def test_a_re_check_that_finds_a_red_flag_leads_until_a_review(home: Path, tmp_path: Path) -> None:
    case = _store(tmp_path, SCIATICA)
    recheck = tmp_path / "recheck.yaml"
    recheck.write_text(SCIATICA + "general: {fever: true}\n", encoding="utf-8")
    assert run_backstride("diary", "assessment", "--input", str(recheck)).code == 0
    escalation = _progress()["escalation"]
    assert escalation["urgency"] == "urgent"  # type: ignore[index]
    plan = _plan_md(case)  # built from the older case file, still led by the re-check
    assert plan.split("## First", 1)[1].lstrip().startswith("- **See a doctor today**")
    assert run_backstride("review", "add", "--note", "GP saw me: viral illness").code == 0
    assert _progress()["escalation"] is None


def test_no_stored_check_still_screens_the_diary(home: Path) -> None:
    added = run_backstride("diary", "add", "--date", date.today().isoformat(), "--pain", "5",
                           "--red-flag", "saddle_numbness")  # fmt: skip
    assert added.code == 0, added.stderr
    assert added.stdout.startswith("GET EMERGENCY CARE NOW")

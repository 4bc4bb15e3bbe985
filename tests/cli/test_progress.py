"""`backstride progress`: meaningful change, trend and escalation through the real command."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from backstride.config import load_settings
from backstride.services import tracking
from backstride.services.assessment import read_case_file
from tests.conftest import run_backstride

CASE = """\
age: 35
pain: {intensity: 6, started_days_ago: 5, onset: after_run}
history: {self_care_weeks: 0}
rmdq: [1, 2, 3, 4, 5, 6, 7, 8]
"""
REQUIRED = {
    "baseline_pain",
    "current_pain",
    "change",
    "meaningful_improvement",
    "recovered",
    "trend",
    "escalation",
}


def assess_and_log(tmp_path: Path, pains: list[int], *, red_flag_on: int | None = None) -> date:
    """Store today's assessment, then one diary entry a day from today; returns the last day."""
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    settings = load_settings()
    now = datetime.now(UTC)
    tracking.store_assessment(settings, read_case_file(str(case)), now=now)
    first = now.astimezone().date()
    for day, pain in enumerate(pains):
        form = tracking.parse_diary_form(
            {
                "on": first + timedelta(days=day),
                "at_time": time(8, 0),
                "pain_now": pain,
                "red_flags": ("gait_disturbance",) if day == red_flag_on else (),
            }
        )
        tracking.add_diary_entry(settings, form, now=now)
    return first + timedelta(days=len(pains) - 1)


def progress_json(today: date) -> dict[str, object]:
    result = run_backstride("progress", "--format", "json", "--today", today.isoformat())
    assert result.code == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    assert document.keys() >= REQUIRED
    return document


@pytest.mark.covers("referral.not_recovering")
def test_three_weeks_without_meaningful_improvement_escalates_to_soon(
    database_url: str, tmp_path: Path
) -> None:
    last = assess_and_log(tmp_path, [6, 5, 6, 6, 5, 6, 5] * 3 + [5])
    document = progress_json(last)
    assert document["baseline_pain"] == 6.0
    assert document["meaningful_improvement"] is False
    assert document["recovered"] is False
    assert document["escalation"] == {
        "urgency": "soon",
        "reason": "not_recovering",
        "text": document["escalation"]["text"],  # type: ignore[index]
        "action": document["escalation"]["action"],  # type: ignore[index]
        "label": "Book an appointment soon",
        "sources": ["nice-cks-lbp", "ostelo-2008"],
    }


def test_steady_recovery_is_meaningful_and_needs_no_escalation(
    database_url: str, tmp_path: Path
) -> None:
    last = assess_and_log(tmp_path, [6] * 7 + [4] * 7 + [2] * 8)
    document = progress_json(last)
    assert document["current_pain"] == 2.0
    assert document["change"] == -4.0
    assert document["meaningful_improvement"] is True
    assert document["trend"] == "improving"
    assert document["escalation"] is None
    text = run_backstride("progress", "--today", last.isoformat())
    assert "a meaningful improvement" in text.stdout
    assert "Trend: getting better" in text.stdout  # the trend label the web shows too


@pytest.mark.covers("progressive_neuro_deficit")
def test_a_new_red_flag_leads_the_text_output(database_url: str, tmp_path: Path) -> None:
    last = assess_and_log(tmp_path, [6, 6, 6, 6], red_flag_on=2)
    document = progress_json(last)
    assert document["escalation"]["reason"] == "new_red_flag"  # type: ignore[index]
    assert document["escalation"]["urgency"] == "emergency"  # type: ignore[index]
    text = run_backstride("progress", "--today", last.isoformat())
    assert text.stdout.splitlines()[0].startswith("GET EMERGENCY CARE NOW: Go to an emergency")


def test_an_empty_diary_reports_nulls_not_errors(home: Path) -> None:
    document = progress_json(date(2026, 3, 1))
    assert document["baseline_pain"] is None
    assert document["escalation"] is None
    assert document["trend"] == "same"


@pytest.mark.covers("rmdq")
def test_no_pain_and_a_low_rmdq_is_recovered(database_url: str, tmp_path: Path) -> None:
    last = assess_and_log(tmp_path, [6] * 7 + [2] * 7 + [0] * 8)
    tracking.add_rmdq(load_settings(), on=last, items=(3,), now=datetime.now(UTC))
    document = progress_json(last)
    assert document["recovered"] is True
    assert document["rmdq"] == {
        "baseline": 8,
        "current": 1,
        "meaningful_improvement": True,
        "history": [{"date": last.isoformat(), "score": 1}],
    }
    assert document["escalation"] is None

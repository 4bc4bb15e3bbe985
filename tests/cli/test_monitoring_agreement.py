"""`plan --use-store` and `progress` give the same pain-monitoring verdict on one diary."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from backstride.config import load_settings
from backstride.services import tracking
from tests.conftest import run_backstride
from tests.provenance import assert_produced

SELF_CARE = str(Path(__file__).resolve().parents[1] / "plan" / "data" / "self_care_runner.yaml")
TODAY = date(2026, 11, 20)


def _log_issue_diary() -> None:
    """Pain 6 every day for two weeks; a run every other day with 4 during and 6 next morning."""
    settings = load_settings()
    for back in range(14):
        run = back % 2 == 0
        values = {"on": TODAY - timedelta(days=back), "at_time": time(20), "pain_now": 6}
        if run:
            values |= {"pain_during_run": 4, "pain_next_morning": 6, "link_runs": False}
        form = tracking.parse_diary_form(values)
        tracking.add_diary_entry(settings, form, now=datetime(2026, 11, 20, 21, tzinfo=UTC))


@pytest.mark.slow
@pytest.mark.covers("rule.pain_monitoring")
def test_the_plan_and_progress_both_step_back_on_the_issue_diary(home: Path) -> None:
    _log_issue_diary()
    plan_run = run_backstride(
        "plan", "--input", SELF_CARE, "--format", "json", "--use-store",
        "--as-of", TODAY.isoformat(), "--start", (TODAY + timedelta(days=1)).isoformat(),
    )  # fmt: skip
    progress_run = run_backstride("progress", "--format", "json", "--today", TODAY.isoformat())
    assert plan_run.code == 0, plan_run.stderr
    assert progress_run.code == 0, progress_run.stderr
    decision = json.loads(plan_run.stdout)["decision"]
    progress = json.loads(progress_run.stdout)
    assert decision["decision"] == progress["monitoring"]["advice"] == "step_back"
    assert_produced(decision, "rule.pain_monitoring")
    assert_produced(progress["runs"], "rule.pain_monitoring")
    assert {r["advice"] for r in progress["runs"]} == {"step_back"}
    assert "not_recovering" in {e["reason"] for e in progress["escalations"]}

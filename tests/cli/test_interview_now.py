"""The check asks what the person can do now (still running, minutes of walking) and the
answers reach the saved case and the plan's start, through the real terminal questionnaire."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from backstride.knowledge import load_knowledge_base
from tests.cli.interview_driver import interview
from tests.conftest import run_backstride

KEEP_RUNNING = "keep running, a little less and easier"


def _case(running: dict[str, Any]) -> dict[str, Any]:
    return {
        "age": 35,
        "pain": {"intensity": 2, "worst_24h": 3, "started_days_ago": 4, "onset": "after_run",
                 "locations": ["low_back_central"], "worse_with": ["running"]},
        "history": {"trend": "improving"},
        "start_back": [False] * 8 + ["slightly"],
        "running": running,
    }  # fmt: skip


def _typed(case: dict[str, Any], *, bad: dict[str, str] | None = None) -> str:
    """The replies, with a refused reply typed first where `bad` says (question key: reply)."""
    lines = []
    for turn in interview(case, load_knowledge_base()):
        if bad and turn.question.key in bad:
            lines.append(bad[turn.question.key])
        lines.append(turn.typed)
    return "\n".join(lines) + "\n"


def _check_and_plan(home: Path, typed: str) -> tuple[dict[str, Any], str, str]:
    saved = home / "answers.yaml"
    result = run_backstride("assess", "--save", str(saved), input_text=typed)
    assert result.code == 0, result.stderr
    plan = run_backstride("plan", "--input", str(saved))
    assert plan.code == 0, plan.stderr
    return yaml.safe_load(saved.read_text(encoding="utf-8")), plan.stdout, result.stderr


def test_still_running_reaches_the_case_and_the_plan_keeps_reduced_running(home: Path) -> None:
    case, plan, _ = _check_and_plan(home, _typed(_case({"running_now": True, "weekly_km": 20})))
    assert case["running"]["running_now"] is True
    assert "walk_minutes_now" not in case["running"]  # only asked when not running now
    assert KEEP_RUNNING in plan


def test_not_running_asks_walking_minutes_refuses_a_bad_answer_and_changes_the_start(
    home: Path,
) -> None:
    answers = _case({"running_now": False, "walk_minutes_now": 20, "weekly_km": 20})
    typed = _typed(answers, bad={"running.walk_minutes_now": "lots"})
    case, plan, shown = _check_and_plan(home, typed)
    assert "Please enter a whole number" in shown  # "lots" refused, then asked again
    assert "comfortably now" in shown
    assert case["running"]["running_now"] is False
    assert case["running"]["walk_minutes_now"] == 20
    assert KEEP_RUNNING not in plan
    assert "Where you start" in plan

"""The weekly check-in re-tailors next week: ease, repeat or advance, with the reason shown."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backstride.domain.checkin import CheckIn
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.plan_rules import CheckInRule
from backstride.plan import build_plan
from backstride.plan.checkin import retailor
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import START, case, result

KB = load_knowledge_base()
LAST_WEEK = START - timedelta(days=8)
THIS_WEEK = START - timedelta(days=1)


def _week(day: date, pain: int, function: int, sessions: int, **more: object) -> CheckIn:
    return CheckIn(day, pain, function, sessions, 2, **more)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("previous", "latest", "verdict", "reason"),
    [
        (_week(LAST_WEEK, 3, 7, 4), _week(THIS_WEEK, 5, 7, 4), "ease", "pain_rose"),
        (_week(LAST_WEEK, 3, 7, 4), _week(THIS_WEEK, 3, 5, 4), "ease", "function_dropped"),
        (_week(LAST_WEEK, 3, 7, 4), _week(THIS_WEEK, 3, 7, 1), "repeat", "few_sessions"),
        (_week(LAST_WEEK, 3, 7, 4), _week(THIS_WEEK, 4, 6, 3), "advance", "steady"),
        (None, _week(THIS_WEEK, 6, 4, 3), "advance", "first"),
    ],
    ids=["pain up 2", "function down 2", "too few sessions", "small changes", "first check-in"],
)
def test_the_latest_check_in_sets_next_week_with_its_reason(
    previous: CheckIn | None, latest: CheckIn, verdict: str, reason: str
) -> None:
    done = retailor([c for c in (previous, latest) if c], today=START, kb=KB)
    assert done is not None
    assert (done.verdict, done.reason_id) == (verdict, reason)
    template = KB.one(CheckInRule, "plan.checkin").reasons[reason]
    assert template.split("{")[0].strip() in done.item.text
    assert done.item.records == ("plan.checkin",)


def test_an_old_check_in_is_not_used() -> None:
    assert retailor([_week(START - timedelta(days=30), 3, 7, 4)], today=START, kb=KB) is None


def test_the_step_goal_rises_on_advance_and_holds_otherwise_and_the_own_goal_is_shown() -> None:
    steady = [_week(LAST_WEEK, 3, 7, 4), _week(THIS_WEEK, 3, 7, 4, steps_per_day=6000,
                                                goal="Run 5 km without pain")]  # fmt: skip
    done = retailor(steady, today=START, kb=KB)
    assert done is not None
    assert done.goal_steps == 6600
    assert "6600" in done.item.text
    assert "Run 5 km without pain" in done.item.text
    eased = [steady[0], _week(THIS_WEEK, 6, 7, 4, steps_per_day=6000)]
    assert retailor(eased, today=START, kb=KB).goal_steps == 6000  # type: ignore[union-attr]


def test_an_eased_check_in_leads_the_plan_and_deloads_the_running() -> None:
    runner = case(
        pain={"intensity": 2, "started_days_ago": 20},
        running={"weekly_km": 30, "runs_per_week": 3, "longest_run_km": 12},
    )
    weeks = [_week(LAST_WEEK, 1, 8, 4), _week(THIS_WEEK, 3, 8, 4)]
    plain = build_plan(result(KB), runner, [], [], START, KB, shoe_inspection_km=SHOE_INSPECTION_KM)
    eased = build_plan(
        result(KB), runner, [], [], START, KB, checkins=weeks, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    item = next(i for i in eased.top if i.key == "top.checkin")
    assert item.kind == "warning"
    assert "step back" in item.text

    def week_km(plan: object) -> float:
        return sum(d.run.distance_km_max for d in plan.days[:7] if d.run)  # type: ignore[attr-defined]

    assert week_km(eased) < week_km(plain)

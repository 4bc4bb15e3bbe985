"""Adapting to the diary: advance, hold or step back by the pain-monitoring rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backstride.domain.diary import DiaryEntry
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.plan_texts import PlanText
from backstride.plan import build_plan
from backstride.plan.adapt import decide
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import case, entry, result
from tests.provenance import assert_produced

KB = load_knowledge_base()
TODAY = date(2026, 12, 14)


def _days(n: int, *, back: int = 0) -> list[date]:
    """n consecutive days ending `back` days before TODAY."""
    return [TODAY - timedelta(days=back + i) for i in reversed(range(n))]


def _strength_weeks(pain_before: int, pain_now: int, **extra: object) -> list[DiaryEntry]:
    before = [entry(d, pain_before, exercises_done=("glute-bridge",)) for d in _days(5, back=7)]
    week = [entry(d, pain_now, exercises_done=("front-plank",), **extra) for d in _days(5)]
    return before + week


def _runs(n: int, *, during: int = 3, morning: int | None = 2, pain: int = 2) -> list[DiaryEntry]:
    """n runs every other day up to TODAY, plus daily pain entries for two weeks."""
    days = [TODAY - timedelta(days=2 * i) for i in reversed(range(n))]
    runs = [entry(d, pain, pain_during_run=during, pain_next_morning=morning) for d in days]
    others = [entry(d, pain) for d in _days(14) if d not in days]
    return sorted(runs + others, key=lambda e: e.at)


def test_no_diary_means_no_decision_and_the_plan_starts_at_settle() -> None:
    assert decide([], today=TODAY, kb=KB, leg_symptoms_at_start=False) is None
    plan = build_plan(result(KB), case(), [], [], TODAY, KB, shoe_inspection_km=SHOE_INSPECTION_KM)
    assert plan.phases[0].phase == "settle"
    assert plan.decision is None


@pytest.mark.covers("front-plank", "glute-bridge")
def test_a_calm_week_of_strength_work_advances_to_return_to_run() -> None:
    decision = decide(_strength_weeks(3, 2), today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert (decision.decision, decision.from_phase, decision.to_phase) == (
        "advance",
        "strengthen",
        "return_to_run",
    )
    assert decision.run_stage == 1
    assert "silbernagel-2007" in decision.sources


def test_rising_weekly_pain_holds_the_phase_and_says_why() -> None:
    decision = decide(_strength_weeks(2, 4), today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert decision.decision == "hold"
    assert decision.to_phase == "strengthen"
    assert any("rose" in r for r in decision.reasons)


def test_two_calm_runs_at_a_step_advance_one_step_only() -> None:
    decision = decide(_runs(4), today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert decision.decision == "advance"
    assert (decision.to_phase, decision.run_stage) == ("return_to_run", 3)


def test_a_step_done_only_once_is_held_to_do_it_twice() -> None:
    decision = decide(_runs(3), today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert decision.decision == "hold"
    assert decision.run_stage == 2
    assert any("at least 2 times" in r for r in decision.reasons)


def test_pain_above_five_during_a_run_steps_back_one_walk_run_step() -> None:
    decision = decide(_runs(4, during=7), today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert decision.decision == "step_back"
    assert (decision.to_phase, decision.run_stage) == ("return_to_run", 1)
    assert any("7/10" in r for r in decision.reasons)


def test_pain_not_settled_by_next_morning_holds_progression() -> None:
    decision = decide(_runs(4, morning=5), today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert decision.decision == "hold"
    assert any("next morning" in r for r in decision.reasons)


def test_new_leg_symptoms_stop_progression_at_once() -> None:
    entries = _runs(4)
    entries[-1] = entry(TODAY, 2, pain_during_run=3, pain_next_morning=2, leg_symptoms=True)
    decision = decide(entries, today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert decision.decision == "step_back"
    assert any("leg or nerve" in r for r in decision.reasons)


def test_a_new_red_flag_in_the_diary_stops_the_plan() -> None:
    entries = [*_runs(2), entry(TODAY, 6, new_red_flags=("saddle_numbness",))]
    decision = decide(entries, today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert decision.decision == "stop"
    plan = build_plan(
        result(KB), case(), [], entries, TODAY, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    assert plan.status == "no_self_care"
    assert not plan.has_exercise_content
    assert plan.assessment.urgency == "emergency"
    assert plan.top[0].title == "Get emergency care now"
    assert plan.top[0].text.startswith("Go to an emergency department now")
    assert plan.top[1].key == "top.diary_flag"
    assert_produced(plan.top[1], "safety.diary_flag")
    assert_produced(plan.top[2:], "text.top.clinician", "text.top.reported", "text.top.no_plan")
    assert "Numbness around the back passage" in plan.top[1].text
    assert "emergency services if" not in plan.to_json()


def test_too_few_entries_hold_the_step() -> None:
    entries = [entry(TODAY, 2, exercises_done=("front-plank",))]
    decision = decide(entries, today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert decision.decision == "hold"
    assert any("not enough" in r for r in decision.reasons)


def test_the_plan_starts_where_the_diary_decision_points_and_says_why() -> None:
    plan = build_plan(
        result(KB), case(), [], _runs(4), TODAY, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    assert plan.phases[0].phase == "return_to_run"
    first_run = next(d.run for d in plan.days if d.run)
    assert first_run is not None
    assert first_run.stage == 3
    assert plan.top[-1].key == "top.progress"
    assert "walk-run step 3" in plan.top[-1].title


@pytest.mark.parametrize(
    ("entries", "decision"),
    [(_runs(4), "advance"), (_runs(4, morning=5), "hold"), (_runs(4, during=7), "step_back")],
)
def test_the_progress_item_is_titled_from_its_decisions_words(
    entries: list[DiaryEntry], decision: str
) -> None:
    plan = build_plan(
        result(KB), case(), [], entries, TODAY, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    item = plan.top[-1]
    assert (item.key, plan.decision and plan.decision.decision) == ("top.progress", decision)
    assert_produced(
        item, f"text.decision.{decision}", "text.decision.titles", "rule.pain_monitoring"
    )
    assert KB.one(PlanText, f"text.decision.{decision}").title in item.title


def test_eight_calm_runs_move_on_to_prevention() -> None:
    decision = decide(_runs(8), today=TODAY, kb=KB, leg_symptoms_at_start=False)
    assert decision is not None
    assert decision.to_phase == "prevent"

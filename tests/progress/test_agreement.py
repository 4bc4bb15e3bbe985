"""The plan and progress apply one pain-monitoring decision, so they never disagree."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.diary import DiaryEntry
from backstride.knowledge import load_knowledge_base
from backstride.plan import build_plan
from backstride.progress.escalation import escalations
from backstride.progress.monitoring import check_runs, monitoring_rule, recent_runs, week_verdict
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import case, result
from tests.progress.limits import CHANGE, summarise
from tests.provenance import assert_produced

KB = load_knowledge_base()
RULE = monitoring_rule(KB)
TODAY = date(2026, 12, 14)
EXERCISES = ("glute-bridge", "front-plank", "cat-cow")


def _issue_diary() -> list[DiaryEntry]:
    """Pain 6 every day for two weeks; a run every other day with 4 during and 6 next morning."""
    out = []
    for back in range(14):
        day = TODAY - timedelta(days=back)
        run = back % 2 == 0
        out.append(
            DiaryEntry(
                at=datetime.combine(day, time(20)),
                pain_now=6,
                pain_during_run=4 if run else None,
                pain_next_morning=6 if run else None,
            )
        )
    return sorted(out, key=lambda e: e.at)


def _progress(entries: list[DiaryEntry], *, leg_at_start: bool = False) -> tuple[str | None, bool]:
    """Progress's verdict for the week and whether it escalates "pain flares after every run"."""
    verdict = week_verdict(entries, RULE, today=TODAY, leg_symptoms_at_start=leg_at_start)
    checks = check_runs(entries, RULE, leg_symptoms_at_start=leg_at_start)
    found = escalations(
        summarise(entries, [], today=TODAY),
        retriage_urgency=None,
        new_red_flags=(),
        self_care_days=None,
        pain_days=None,
        run_advice=tuple(c.advice for c in recent_runs(checks, today=TODAY, days=28)),
        week_advice=verdict.advice if verdict else None,
        rule=CHANGE,
        kb=KB,
    )
    flaring = [e for e in found if e.reason == "not_recovering"]
    for escalation in flaring:  # raised by the change rule, in the words of its level
        assert {CHANGE.id, f"urgency.{escalation.urgency}"} <= set(escalation.records)
    return (verdict.advice if verdict else None), bool(flaring)


@pytest.mark.covers("rule.pain_monitoring")
def test_the_issue_diary_steps_back_in_the_plan_and_in_progress_with_the_same_reason() -> None:
    entries = _issue_diary()
    plan = build_plan(
        result(KB), case(), [], entries, TODAY, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    advice, flaring = _progress(entries)
    assert plan.decision is not None
    assert (plan.decision.decision, advice, flaring) == ("step_back", "step_back", True)
    assert_produced(plan.decision, "rule.pain_monitoring")
    assert any("6/10, above the 5/10 limit" in r for r in plan.decision.reasons)


diary_day = st.tuples(
    st.integers(0, 10),  # pain now
    st.none() | st.tuples(st.integers(0, 10), st.none() | st.integers(0, 10)),  # a run
    st.booleans() | st.just(False),  # leg symptoms (rarer)
    st.lists(st.sampled_from(EXERCISES), max_size=2, unique=True),
    st.booleans(),  # entry logged that day at all
)


@settings(max_examples=80, deadline=None)
@given(st.lists(diary_day, min_size=1, max_size=24), st.booleans())
def test_random_diaries_never_advance_in_one_and_step_back_in_the_other(
    days: list[tuple[int, tuple[int, int | None] | None, bool, list[str], bool]],
    leg_at_start: bool,
) -> None:
    entries = [
        DiaryEntry(
            at=datetime.combine(TODAY - timedelta(days=len(days) - 1 - i), time(19)),
            pain_now=pain,
            pain_during_run=run[0] if run else None,
            pain_next_morning=run[1] if run else None,
            leg_symptoms=leg,
            exercises_done=tuple(done),
        )
        for i, (pain, run, leg, done, logged) in enumerate(days)
        if logged
    ]
    legs = {"neuro": {"leg_weakness": "stable_one_side"}} if leg_at_start else {}
    plan = build_plan(
        result(KB), case(**legs), [], entries, TODAY, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    verdict = week_verdict(entries, RULE, today=TODAY, leg_symptoms_at_start=leg_at_start)
    decision = plan.decision.decision if plan.decision else None
    advice = verdict.advice if verdict else None
    assert (decision is None) == (advice is None)
    assert (decision == "step_back") == (advice == "step_back")
    checks = check_runs(entries, RULE, leg_symptoms_at_start=leg_at_start)
    if plan.decision is not None:
        assert RULE.id in plan.decision.records  # decided by the one monitoring record
    if decision == "advance":
        assert advice == "advance"
        assert all(c.advice != "step_back" for c in checks if c.on > TODAY - timedelta(days=7))
    recent = [c.advice for c in recent_runs(checks, today=TODAY, days=28)]
    flares_every_run = len(recent) >= CHANGE.flaring_runs and set(
        recent[-CHANGE.flaring_runs :]
    ) == {"step_back"}
    # escalation follows from the same decision: flaring exactly when the plan steps back
    # and each of the last runs stepped back too
    flaring = _progress(entries, leg_at_start=leg_at_start)[1]
    assert flaring == (decision == "step_back" and flares_every_run)

"""The plan obeys its own rules, and starts where the person is (stage-matched start).

Rest days, the one spike rule and the weekly-jump rule are checked with analytics' own
functions on every vignette and on random profiles, starting days and diaries.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.analytics.rules import FindingRules
from backstride.analytics.spikes import is_spike, percent_increase, week_totals
from backstride.assess.casefile import case_from_data
from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult
from backstride.assess.triage import assess
from backstride.domain.diary import DiaryEntry
from backstride.plan import Plan, build_plan
from backstride.plan.stage import running_now
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import START, entry
from tests.plan.test_properties import KB, SETTINGS, assessments, cases, diaries

RULES = FindingRules.from_kb(KB)
VIGNETTES = Path(__file__).parent.parent / "assess" / "vignettes.yaml"


def _vignette_cases() -> list[Any]:
    listed = yaml.safe_load(VIGNETTES.read_text(encoding="utf-8"))["vignettes"]
    return [pytest.param(v["case"], id=str(v["id"])) for v in listed]


def assert_obeys_its_rules(plan: Plan, case: Case) -> None:
    """At least one full rest day in every plan week; no spike; no weekly jump."""
    for week in range(0, len(plan.days), 7):
        days = plan.days[week : week + 7]
        if len(days) == 7:
            assert any(d.kind == "rest" for d in days), f"week {week // 7 + 1} has no rest day"
    runs = [(d.on, d.run.distance_km_max) for d in plan.days if d.run is not None]
    profile = case.running
    now = running_now(profile)
    longest = [(plan.start - timedelta(days=1), profile.longest_run_km)]
    history = longest if now and profile.longest_run_km else []
    for on, km in runs:
        before = [k for d, k in [*history, *runs] if on - timedelta(days=30) <= d < on]
        if before:
            pct = percent_increase(km, max(before))
            assert not is_spike(pct, RULES.spike), f"{on}: {km} km after {max(before)} km"
    _assert_no_weekly_jump(plan, runs, profile.weekly_km if now else None)


def _assert_no_weekly_jump(
    plan: Plan, runs: list[tuple[date, float]], usual_week_km: float | None
) -> None:
    """Calendar weeks by analytics' weekly sums, the weeks before at the profile's rate."""
    if not runs:
        return
    before = [
        (plan.start - timedelta(days=n), usual_week_km / 7) for n in range(1, 36) if usual_week_km
    ]
    end = plan.days[-1].on
    totals = week_totals([*before, *runs], end=end, weeks=(end - plan.start).days // 7 + 3)
    limit = RULES.value("weekly_distance_jump", "max_rise_pct")
    for prev, cur in itertools.pairwise(totals):
        if cur.week_start + timedelta(days=7) <= plan.start or prev.distance_km <= 0:
            continue
        rise = percent_increase(cur.distance_km, prev.distance_km)
        assert rise <= limit + 1e-6, f"week of {cur.week_start}: +{rise:.0f} %"


@pytest.mark.parametrize("data", _vignette_cases())
def test_every_vignette_plan_has_rest_days_and_no_spike_or_weekly_jump(
    data: dict[str, Any],
) -> None:
    case = case_from_data(data)
    plan = build_plan(
        assess(case, KB), case, [], [], START, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    assert_obeys_its_rules(plan, case)


@settings(**SETTINGS)
@given(assessments, cases, diaries(), st.integers(0, 6), st.integers(1, 8))
def test_random_plans_obey_rest_spike_and_weekly_rules(
    assessment: AssessmentResult, case: Case, diary: list[DiaryEntry], shift: int, weeks: int
) -> None:
    start = START + timedelta(days=shift)  # any weekday
    plan = build_plan(
        assessment, case, [], diary, start, KB, weeks=weeks, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    assert_obeys_its_rules(plan, case)


def _case(**running: Any) -> dict[str, Any]:
    return {"age": 34, "running": running}


STRAIN = {
    **_case(weekly_km=45, runs_per_week=4, longest_run_km=16),
    "pain": {"intensity": 4, "worst_24h": 5, "started_days_ago": 3, "onset": "after_run"},
}
SETTLING = {
    **_case(weekly_km=30, runs_per_week=3, longest_run_km=12),
    "pain": {"intensity": 2, "worst_24h": 3, "started_days_ago": 42},
    "history": {"trend": "improving"},
}


@pytest.mark.parametrize(
    ("data", "latest_first_run"),
    [(STRAIN, 3), (SETTLING, 1)],
    ids=["3-day 4/10 strain, 45 km a week", "6-week 2/10 improving"],
)
def test_a_mild_settling_runner_keeps_running_at_a_reduced_volume_and_effort(
    data: dict[str, Any], latest_first_run: int
) -> None:
    case = case_from_data(data)
    plan = build_plan(
        assess(case, KB), case, [], [], START, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    runs = [d for d in plan.days if d.run is not None]
    first = (runs[0].on - START).days
    assert first < latest_first_run, "relative rest lasts days"
    usual_run = data["running"]["weekly_km"] / data["running"]["runs_per_week"]
    first_week = [d.run for d in plan.days[:7] if d.run is not None]
    assert all(r.distance_km_max < usual_run and r.rpe_max <= 4 for r in first_week)
    assert plan.top[1].records[0].startswith("start.")


def test_a_severe_or_worsening_case_rests_from_running_for_days_not_weeks() -> None:
    case = case_from_data(
        {"age": 40, "pain": {"intensity": 8, "started_days_ago": 2}, "running": {"weekly_km": 20}}
    )
    plan = build_plan(
        assess(case, KB), case, [], [], START, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    settle = [d for d in plan.days if d.phase == "settle"]
    assert 0 < len(settle) <= 7
    assert all(d.run is None for d in settle)


def test_after_a_flare_doses_step_back_before_rising_again() -> None:
    case = case_from_data({"age": 40, "pain": {"intensity": 3, "started_days_ago": 40}})
    assessment = assess(case, KB)
    runs = [START - timedelta(days=n) for n in (12, 10, 8, 6, 4)]
    good = [entry(d, 2, pain_during_run=2, pain_next_morning=2) for d in runs]
    good += [entry(START - timedelta(days=n), 2) for n in (3, 2, 1)]
    flare = [*good[:-1], entry(START - timedelta(days=1), 7, pain_during_run=7)]
    steady = build_plan(
        assessment, case, [], good, START, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    flared = build_plan(
        assessment, case, [], flare, START, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    assert flared.decision is not None
    assert flared.decision.decision == "step_back"

    def doses(plan: Plan, first: int, last: int) -> dict[str, tuple[int, int | None, int | None]]:
        return {
            p.exercise_id: (p.sets, p.reps, p.hold_s)
            for d in plan.days[first:last]
            for p in d.exercises
        }

    before, after = doses(steady, 0, 7), doses(flared, 0, 7)
    shared = set(before) & set(after)
    assert shared
    assert all(after[x] <= before[x] for x in shared)
    assert any(after[x] < before[x] for x in shared), "the dose steps back"
    later = doses(flared, 14, 21)
    assert any(later[x] > after[x] for x in set(later) & set(after)), "then rises again"
    steady_runs = [d.run.distance_km_max for d in steady.days[:14] if d.run]
    flared_runs = [d.run.distance_km_max for d in flared.days[:14] if d.run]
    assert sum(flared_runs) < sum(steady_runs)

"""Personal items from the running profile: load, cadence, shoes, surfaces and habits."""

from __future__ import annotations

import re

import pytest

from backstride.assess.intake import Running
from backstride.knowledge import load_knowledge_base
from backstride.plan import build_plan
from backstride.plan.personal import personal_items, profile_signals
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import START, case, result
from tests.provenance import assert_produced

KB = load_knowledge_base()


def _keys(
    running: dict[str, object], *, shoe_inspection_km: float = SHOE_INSPECTION_KM
) -> list[str]:
    profile = Running.model_validate(running)
    signals = profile_signals(profile, KB, shoe_inspection_km=shoe_inspection_km)
    return [k.removeprefix("signal.") for k, _ in signals]


@pytest.mark.parametrize(
    ("running", "key", "present"),
    [
        ({"weekly_km": 40, "weekly_km_prior": 28}, "weekly_distance_jump", True),
        ({"weekly_km": 36, "weekly_km_prior": 28}, "weekly_distance_jump", False),
        ({"longest_run_km": 16, "longest_run_prior_30d_km": 14}, "single_run_spike", True),
        ({"longest_run_km": 15, "longest_run_prior_30d_km": 14}, "single_run_spike", False),
        ({"longest_run_km": 11, "longest_run_prior_30d_km": 10}, "single_run_spike", True),
        ({"cadence_spm": 163.9}, "cadence", True),
        ({"cadence_spm": 164}, "cadence", False),  # the analytics cadence rule, not 170
        ({"cadence_spm": 158}, "cadence", True),
        ({"cadence_spm": 178}, "cadence", False),
        ({"shoe_pairs_in_rotation": 1}, "shoe_rotation", True),
        ({"shoe_pairs_in_rotation": 2}, "shoe_rotation", False),
        ({"surface_changed_recently": True}, "surface_change", True),
        ({"surfaces": ["asphalt", "concrete"]}, "surface_variety", True),
        ({"surfaces": ["asphalt", "trail"]}, "surface_variety", False),
        ({"warm_up": False}, "warm_up", True),
        ({"warm_up": True}, "warm_up", False),
        ({"cool_down": False}, "cool_down", True),
        ({"strength_sessions_per_week": 0}, "strength", True),
        ({"strength_sessions_per_week": 2}, "strength", False),
        ({"sitting_hours_per_day": 9}, "sitting", True),
        ({"sitting_hours_per_day": 3}, "sitting", False),
        ({"standing_hours_per_day": 8}, "standing", True),
        ({"deadlifts": True}, "deadlift", True),
        ({"deadlifts": False}, "deadlift", False),
        ({"cross_training": ["swimming"]}, "cross_training", True),
    ],
)
def test_running_profile_raises_the_matching_personal_item(
    running: dict[str, object], key: str, present: bool
) -> None:
    assert (key in _keys(running)) is present


@pytest.mark.parametrize(("shoe_km", "threshold", "due"), [(550, 500, True), (550, 800, False)])
def test_shoe_inspection_uses_the_configured_distance(
    shoe_km: float, threshold: float, due: bool
) -> None:
    assert ("shoe_inspection" in _keys({"shoe_km": shoe_km}, shoe_inspection_km=threshold)) is due


@pytest.mark.parametrize(("baseline", "low", "high"), [(158, 166, 174), (150, 158, 165)])
def test_cadence_target_is_five_to_ten_percent_above_own_baseline_never_180(
    baseline: float, low: int, high: int
) -> None:
    profile = Running.model_validate({"cadence_spm": baseline})
    text = dict(profile_signals(profile, KB, shoe_inspection_km=600))["signal.cadence"]
    assert f"{low}–{high}" in text
    assert "metronome" in text
    assert "180" not in re.sub(r"\d{3}–\d{3}", "", text)


def test_personal_items_cite_the_matching_prevention_record_and_its_sources() -> None:
    running = Running.model_validate({"deadlifts": True, "warm_up": False})
    items = {i.key: i for i in personal_items(running, [], KB, shoe_inspection_km=600)}
    assert_produced(list(items.values()), "signal.deadlift", "signal.warm_up", "lifting-hinge")
    for key in ("personal.deadlift", "personal.warm_up"):
        item = items[key]
        assert item.records, key
        record = KB.records[item.records[0]]
        assert set(record.sources) <= set(item.sources)


def test_cross_training_is_chosen_from_what_they_already_do() -> None:
    plan = build_plan(
        result(KB),
        case(running={"cross_training": ["swimming"]}),
        [],
        [],
        START,
        KB,
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )
    offers = [d.activity for d in plan.days if d.activity and "minutes of easy" in d.activity]
    assert offers
    assert all("swimming" in a for a in offers)


def test_sitting_heavy_cross_training_is_dropped_when_sitting_hurts() -> None:
    the_case = case(
        pain={"intensity": 4, "worse_with": ["sitting"]},
        running={"cross_training": ["cycling", "swimming"]},
    )
    plan = build_plan(
        result(KB), the_case, [], [], START, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    activities = " ".join(d.activity or "" for d in plan.days)
    assert "swimming" in activities
    assert "cycling" not in activities

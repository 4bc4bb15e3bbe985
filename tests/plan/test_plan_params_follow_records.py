"""The plan's lengths and windows are fields of the dosing record: change it, the plan follows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from backstride.errors import BackstrideError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.plan_rules import DOSING_ID, plan_dosing
from backstride.plan import build_plan
from backstride.plan.adapt import decide
from backstride.plan.stage import start_item, start_rule
from tests.defaults import SHOE_INSPECTION_KM
from tests.kb_copy import edited, setting
from tests.plan.builders import START, case, entry, result

KB = load_knowledge_base()


def _days(kb: Any) -> int:
    plan = build_plan(result(kb), case(), [], [], START, kb, shoe_inspection_km=SHOE_INSPECTION_KM)
    return len(plan.days)


def test_a_plan_without_a_length_is_as_long_as_the_dosing_record_says(tmp_path: Path) -> None:
    assert _days(KB) == 7 * plan_dosing(KB).default_weeks
    three = edited(tmp_path, "plan_dosing.yaml", DOSING_ID, setting(default_weeks=3))
    assert _days(three) == 21


@pytest.mark.covers("front-plank")
def test_the_exercises_that_place_the_phase_are_those_of_the_records_window(
    tmp_path: Path,
) -> None:
    earlier = [
        entry(START - timedelta(days=d), 2, exercises_done=("front-plank",)) for d in range(8, 13)
    ]
    this_week = [entry(START - timedelta(days=d), 2) for d in range(5)]
    diary = earlier + this_week
    wide = decide(diary, today=START, kb=KB, leg_symptoms_at_start=False)
    week = edited(tmp_path, "plan_dosing.yaml", DOSING_ID, setting(exercise_recent_days=7))
    narrow = decide(diary, today=START, kb=week, leg_symptoms_at_start=False)
    assert wide is not None
    assert narrow is not None
    assert (wide.from_phase, narrow.from_phase) == ("strengthen", "settle")


def test_every_phase_before_running_needs_its_length_in_the_dosing_record(
    tmp_path: Path,
) -> None:
    def without_restore(record: dict[str, Any]) -> None:
        del record["phase_min_days"]["restore"]

    with pytest.raises(BackstrideError, match="phase_min_days: missing restore"):
        edited(tmp_path, "plan_dosing.yaml", DOSING_ID, without_restore)


def test_the_phase_lengths_follow_the_dosing_record_and_the_last_phase_fills_the_plan(
    tmp_path: Path,
) -> None:
    def longer_strengthen(record: dict[str, Any]) -> None:
        record["phase_min_days"]["strengthen"] += 7

    def lengths(kb: Any) -> dict[str, int]:
        plan = build_plan(
            result(kb), case(), [], [], START, kb, shoe_inspection_km=SHOE_INSPECTION_KM
        )
        return {p.phase: len([d for d in plan.days if d.phase == p.phase]) for p in plan.phases}

    before = lengths(KB)
    after = lengths(edited(tmp_path, "plan_dosing.yaml", DOSING_ID, longer_strengthen))
    assert after["strengthen"] == before["strengthen"] + 7
    assert sum(after.values()) == sum(before.values()) == 7 * plan_dosing(KB).default_weeks


def test_a_plan_without_a_case_starts_from_the_dosing_records_pain(tmp_path: Path) -> None:
    def start(kb: Any) -> str:
        assessment = result(kb)
        return start_rule(None, assessment, kb).id

    severe = edited(tmp_path, "plan_dosing.yaml", DOSING_ID, setting(caseless_pain=8))
    assert start(KB) != "start.severe_or_worsening"
    assert start(severe) == "start.severe_or_worsening"
    item = start_item(start_rule(None, result(severe), severe), None, result(severe), severe)
    assert "8/10" in item.text

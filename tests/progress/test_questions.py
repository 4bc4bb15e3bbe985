"""The diary's quick red-flag check maps onto the case file and re-runs the real triage."""

from __future__ import annotations

import pytest

from backstride.assess.intake import Case
from backstride.assess.result import urgency_rank
from backstride.assess.triage import assess
from backstride.errors import InputError
from backstride.knowledge import load_knowledge_base
from backstride.progress.questions import (
    RED_FLAG_QUESTIONS,
    apply_red_flag_answers,
    case_locations,
    check_locations,
    fallback_urgency,
)

BASE_CASE = {"age": 38, "pain": {"intensity": 4, "started_days_ago": 10, "onset": "after_run"}}

#: question id -> (urgency the triage must reach at least, red flag it must name)
EXPECTED = {
    "saddle_numbness": ("emergency", "cauda_equina"),
    "bladder_change": ("emergency", "cauda_equina"),
    "bowel_change": ("emergency", "cauda_equina"),
    "sexual_dysfunction_new": ("emergency", "cauda_equina"),
    "leg_weakness_progressive": ("emergency", "progressive_neuro_deficit"),
    "leg_weakness_both_legs": ("emergency", "cauda_equina"),
    "gait_disturbance": ("emergency", "progressive_neuro_deficit"),
    "fever": ("urgent", "infection"),
    "chest_pain": ("emergency", "vascular_or_visceral_mimic"),
    "collapse_or_pulsatile_mass": ("emergency", "vascular_or_visceral_mimic"),
    "urinary_symptoms_with_flank_pain": ("urgent", "renal_mimic"),
}


def test_every_question_sets_a_field_the_case_file_accepts() -> None:
    for question in RED_FLAG_QUESTIONS:
        case = Case.model_validate(apply_red_flag_answers(BASE_CASE, [question.id]))
        section = getattr(case, question.section)
        assert getattr(section, question.field) == question.value


@pytest.mark.parametrize("question_id", sorted(EXPECTED))
@pytest.mark.covers(
    "cauda_equina",
    "progressive_neuro_deficit",
    "infection",
    "vascular_or_visceral_mimic",
    "renal_mimic",
)
def test_a_new_answer_raises_the_real_triage(question_id: str) -> None:
    kb = load_knowledge_base()
    before = assess(Case.model_validate(BASE_CASE), kb)
    after = assess(Case.model_validate(apply_red_flag_answers(BASE_CASE, [question_id])), kb)
    least, flag = EXPECTED[question_id]
    assert before.urgency == "self_care"
    assert urgency_rank(after.urgency) >= urgency_rank(least)  # type: ignore[arg-type]
    assert flag in after.red_flags


def test_the_fallback_without_triage_is_never_below_urgent() -> None:
    for question in RED_FLAG_QUESTIONS:
        assert fallback_urgency([question.id]) in ("urgent", "emergency")
    assert fallback_urgency(["fever", "saddle_numbness"]) == "emergency"
    assert fallback_urgency([]) is None


def test_both_legs_is_not_downgraded_by_a_later_progressive_answer() -> None:
    case = apply_red_flag_answers(BASE_CASE, ["leg_weakness_both_legs", "leg_weakness_progressive"])
    assert case["neuro"]["leg_weakness"] == "both_legs"
    assert "neuro" not in BASE_CASE  # the input is not changed


def test_the_spine_centre_is_a_diary_place_and_maps_to_central_low_back() -> None:
    assert check_locations(["spine_centre", "buttock_left", "spine_centre"]) == (
        "spine_centre",
        "buttock_left",
    )
    assert case_locations(["spine_centre", "low_back_central"]) == ("low_back_central",)
    with pytest.raises(InputError, match="locations: unknown location 'knee'"):
        check_locations(["knee"])

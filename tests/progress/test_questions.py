"""The diary's quick red-flag check maps onto the case file and re-runs the real triage."""

from __future__ import annotations

import pytest

from backstride.assess.intake import Case
from backstride.assess.result import urgency_rank
from backstride.assess.triage import assess
from backstride.errors import InputError
from backstride.knowledge import load_knowledge_base
from backstride.progress.questions import (
    apply_diary_locations,
    apply_red_flag_answers,
    case_locations,
    check_locations,
    fallback_urgency,
    red_flag_questions,
)

KB = load_knowledge_base()
RED_FLAG_QUESTIONS = red_flag_questions(KB)

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
    "unexplained_weight_loss": ("urgent", "malignancy"),
    "night_pain_unrelieved": ("urgent", "malignancy"),
}


def test_every_question_sets_a_field_the_case_file_accepts() -> None:
    for question in RED_FLAG_QUESTIONS:
        case = Case.model_validate(apply_red_flag_answers(BASE_CASE, [question.id], KB))
        for dotted, value in question.sets.items():
            section, field = dotted.split(".")
            assert getattr(getattr(case, section), field) == value


def test_every_diary_question_is_attached_to_the_trigger_it_feeds() -> None:
    assert {q.id for q in RED_FLAG_QUESTIONS} == set(EXPECTED)
    for question in RED_FLAG_QUESTIONS:
        assert question.trigger.startswith(question.flag + ".")
        assert question.flag == EXPECTED[question.id][1]


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
    after = assess(Case.model_validate(apply_red_flag_answers(BASE_CASE, [question_id], KB)), kb)
    least, flag = EXPECTED[question_id]
    assert before.urgency == "self_care"
    assert urgency_rank(after.urgency) >= urgency_rank(least)  # type: ignore[arg-type]
    assert flag in after.red_flags


def test_the_fallback_without_triage_is_the_red_flags_own_urgency() -> None:
    for question in RED_FLAG_QUESTIONS:
        assert fallback_urgency([question.id], KB) == EXPECTED[question.id][0]
    assert fallback_urgency(["fever", "saddle_numbness"], KB) == "emergency"
    assert fallback_urgency([], KB) is None


def test_both_legs_is_not_downgraded_by_a_later_progressive_answer() -> None:
    ids = ["leg_weakness_both_legs", "leg_weakness_progressive"]
    case = apply_red_flag_answers(BASE_CASE, ids, KB)
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


@pytest.mark.parametrize(
    ("case_places", "diary_places", "new"),
    [
        ([], ["below_knee_left", "below_knee_right"], True),
        (["below_knee_left"], ["below_knee_right"], True),
        (["below_knee_left"], ["thigh_left"], None),
        (["below_knee_left", "below_knee_right"], ["below_knee_left", "below_knee_right"], None),
        ([], ["spine_centre"], None),
    ],
)
def test_a_leg_newly_painful_in_the_diary_marks_leg_symptoms_new(
    case_places: list[str], diary_places: list[str], new: bool | None
) -> None:
    base = {**BASE_CASE, "pain": {**BASE_CASE["pain"], "locations": case_places}}
    case = Case.model_validate(apply_diary_locations(base, diary_places))
    assert case.neuro.leg_symptoms_new is new
    assert set(case_locations(diary_places)) <= set(case.pain.locations)

"""Records shown at work: each run of an engine carries the ids of the records that made it.

Every row runs the real engine (triage, plan, personal items, diary escalations) and checks
with `assert_produced` that the record is in the output's provenance, so `kb trace` counts
the record as covered by behaviour and a change that stops a record from being used fails.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

import pytest

from backstride.assess.casefile import case_from_data
from backstride.assess.intake import Running
from backstride.assess.result import AssessmentResult
from backstride.assess.triage import assess
from backstride.domain.diary import DiaryEntry
from backstride.domain.finding import Finding
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import Exercise
from backstride.plan import build_plan
from backstride.plan.model import Plan
from backstride.plan.personal import personal_items
from backstride.progress.change import ProgressSummary
from backstride.progress.escalation import escalations, red_flag_escalation
from tests.assess.conftest import load_vignettes
from tests.defaults import SHOE_INSPECTION_KM
from tests.progress.limits import CHANGE, summarise
from tests.provenance import assert_produced

KB = load_knowledge_base()
TODAY = date(2026, 3, 2)
VIGNETTES = {v["id"]: v for v in load_vignettes()} | {
    "mild_pain_worse_standing_and_leaning_back": {
        "case": {
            "age": 35,
            "pain": {
                "intensity": 2,
                "started_days_ago": 5,
                "onset": "after_run",
                "locations": ["low_back_central"],
                "worse_with": ["standing", "bending_backward"],
            },
        }
    },
    "mild_settling_runner": {
        "case": {
            "age": 35,
            "pain": {
                "intensity": 2,
                "worst_24h": 4,
                "started_days_ago": 5,
                "onset": "after_run",
                "locations": ["low_back_central"],
            },
            "history": {"trend": "improving"},
            "running": {"running_now": True, "walk_minutes_now": 40},
        }
    },
    "low_risk_acute_runner": {
        "case": {
            "age": 38,
            "pain": {
                "intensity": 5,
                "worst_24h": 7,
                "started_days_ago": 9,
                "onset": "after_run",
                "locations": ["low_back_central"],
                "worse_with": ["running", "sitting"],
            },
            "start_back": [True, False, False, False, False, False, False, False, "slightly"],
            "running": {"running_now": True, "walk_minutes_now": 40, "weekly_km": 40},
        }
    },
    "strain_lifting_at_the_gym": {
        "case": {
            "age": 38,
            "pain": {
                "intensity": 3,
                "started_days_ago": 6,
                "onset": "lifting",
                "locations": ["low_back_central"],
                "worse_with": ["lifting"],
            },
        }
    },
}


@cache
def _assessed(vignette: str) -> tuple[Any, AssessmentResult]:
    case = case_from_data(VIGNETTES[vignette]["case"])
    return case, assess(case, KB)


@cache
def _plan(vignette: str) -> Plan:
    case, result = _assessed(vignette)
    return build_plan(result, case, [], [], TODAY, KB, shoe_inspection_km=SHOE_INSPECTION_KM)


@pytest.mark.parametrize(
    ("vignette", "record"),
    [
        ("axial_spondyloarthritis_three_features", "note.hla_b27"),
        ("red_flag_not_lowered_by_good_answers", "rmdq"),
        ("start_back_high_risk", "startback"),
        ("simple_mechanical_after_long_run", "urgency.self_care"),
        ("simple_mechanical_after_long_run", "safety_net.emergency"),
        ("simple_mechanical_after_long_run", "safety_net.same_day"),
    ],
)
def test_the_assessment_names_the_record_that_shaped_it(vignette: str, record: str) -> None:
    assert_produced(_assessed(vignette)[1], record)


SIMPLE = "simple_mechanical_after_long_run"


@pytest.mark.parametrize(
    ("vignette", "record"),
    [
        *[
            (SIMPLE, exercise)
            for exercise in (
                "bird-dog", "calf-raise", "cat-cow", "crook-lying-breathing",
                "front-plank", "glute-bridge", "hip-flexor-stretch",
                "hip-hinge-dowel", "prone-back-extension", "walking",
            )
        ],
        ("sacroiliac_one_side", "clamshell"),
        ("sacroiliac_one_side", "side-plank"),
        ("sudden_severe_central_eased_lying", "suitcase-carry"),
        ("mild_pain_worse_standing_and_leaning_back", "piriformis-stretch"),
        (SIMPLE, "phase.return_to_run"),
        (SIMPLE, "phase.prevent"),
        (SIMPLE, "text.settle.relative_rest"),
        (SIMPLE, "text.settle.heat"),
        (SIMPLE, "text.settle.ice"),
        (SIMPLE, "text.settle.medicines"),
        (SIMPLE, "text.restore.movement"),
        (SIMPLE, "text.strengthen.progression"),
        (SIMPLE, "text.return_to_run.rule"),
        ("radicular_sciatica", "text.leg.running_waits"),
        ("radicular_sciatica", "care.radicular"),
        ("strain_lifting_at_the_gym", "care.lifting"),
        ("strain_lifting_at_the_gym", "education.first.lifting"),
        (SIMPLE, "banded-side-step"),
        ("axial_spondyloarthritis_young", "standing-extension"),
        ("radicular_sciatica", "ease-position-90-90"),
        ("radicular_sciatica", "sciatic-nerve-slider"),
        ("axial_spondyloarthritis_young", "care.inflammatory"),
        ("sacroiliac_one_side", "care.sacroiliac"),
        ("start_back_high_risk", "care.start_back_high"),
        ("start_back_medium_risk", "care.start_back_medium"),
        (SIMPLE, "start.moderate"),
        ("radicular_sciatica", "start.leg_symptoms"),
        ("pain_after_every_run", "start.longer_standing"),
        ("sudden_severe_central_eased_lying", "start.severe_or_worsening"),
        ("getting_worse", "start.worsening"),
        ("mild_settling_runner", "start.mild_settling_runner"),
        ("low_risk_acute_runner", "start.moderate_acute_runner"),
        ("low_risk_acute_runner", "care.start_back_low"),
        ("low_risk_acute_runner", "text.care.start_back_low"),
        ("radicular_sciatica", "text.top.referral"),
        ("bilateral_leg_pain_long_standing_and_improving_stays_soon", "text.top.referral_why"),
        *[
            (vignette, f"text.care.{facet}")
            for vignette, facet in (
                ("radicular_sciatica", "radicular"), ("sacroiliac_one_side", "sacroiliac"),
                ("axial_spondyloarthritis_young", "inflammatory"),
                ("strain_lifting_at_the_gym", "lifting"),
                ("start_back_high_risk", "start_back_high"),
                ("start_back_medium_risk", "start_back_medium"),
            )
        ],
    ],
)  # fmt: skip
def test_the_plan_carries_the_exercise_phase_and_text_records_it_used(
    vignette: str, record: str
) -> None:
    assert_produced(_plan(vignette), record)


@pytest.mark.parametrize(
    ("running", "signal"),
    [
        ({"weekly_km": 40, "weekly_km_prior": 28}, "signal.weekly_distance_jump"),
        ({"longest_run_km": 16, "longest_run_prior_30d_km": 14}, "signal.single_run_spike"),
        ({"cadence_spm": 158}, "signal.cadence"),
        ({"shoe_pairs_in_rotation": 1}, "signal.shoe_rotation"),
        ({"shoe_km": 750}, "signal.shoe_inspection"),
        ({"surface_changed_recently": True}, "signal.surface_change"),
        ({"surfaces": ["asphalt", "concrete"]}, "signal.surface_variety"),
        ({"cool_down": False}, "signal.cool_down"),
        ({"strength_sessions_per_week": 0}, "signal.strength"),
        ({"sitting_hours_per_day": 9}, "signal.sitting"),
        ({"standing_hours_per_day": 8}, "signal.standing"),
        ({"cross_training": ["swimming"]}, "signal.cross_training"),
    ],
)
def test_a_profile_factor_gives_a_personal_item_from_its_signal_record(
    running: dict[str, object], signal: str
) -> None:
    items = personal_items(Running.model_validate(running), [], KB, shoe_inspection_km=600)
    assert_produced(list(items), signal)


@pytest.mark.parametrize(
    ("finding", "signal"),
    [
        ("high_monotony", "signal.recovery"),
        ("no_rest_days", "signal.recovery"),
        ("high_vertical_oscillation", "signal.vertical_oscillation"),
        ("shoe_inspection_due", "signal.shoe_inspection"),
    ],
)
def test_a_finding_from_the_runs_gives_its_signals_item_saying_it_comes_from_the_data(
    finding: str, signal: str
) -> None:
    found = Finding(finding, "consider", "A finding", "Seen in your last four weeks.")
    (item,) = personal_items(Running(), [found], KB, shoe_inspection_km=600)
    assert_produced(item, signal, "text.personal.from_data")
    assert "Seen in your last four weeks." in item.text


#: Exercises no phase chooses on its own, each offered beside one the plan prescribes (the
#: prescribed exercise's easier, harder and swap records), and the one matched care adds.
OFFERED = [
    (SIMPLE, "crook-lying-breathing", "harder", "abdominal-drawing-in"),
    (SIMPLE, "crook-lying-breathing", "swap", "heel-slides"),
    (SIMPLE, "glute-bridge", "easier", "pelvic-tilt"),
    (SIMPLE, "glute-bridge", "harder", "single-leg-bridge"),
    (SIMPLE, "glute-bridge", "swap", "donkey-kick"),
    (SIMPLE, "bird-dog", "easier", "dead-bug"),
    (SIMPLE, "bird-dog", "swap", "pilates-leg-circles"),
    (SIMPLE, "childs-pose", "easier", "knee-to-chest"),
    (SIMPLE, "cat-cow", "harder", "yoga-flow"),
    (SIMPLE, "cat-cow", "swap", "lower-trunk-rotation"),
    (SIMPLE, "cat-cow", "swap", "thoracic-open-book"),
    (SIMPLE, "cat-cow", "swap", "prone-press-up"),
    (SIMPLE, "front-plank", "swap", "mcgill-curl-up"),
    (SIMPLE, "hip-hinge-dowel", "harder", "deadlift-neutral-spine"),
    (SIMPLE, "banded-side-step", "harder", "step-up"),
    (SIMPLE, "banded-side-step", "harder", "split-squat"),
    ("sudden_severe_central_eased_lying", "suitcase-carry", "swap", "pallof-press"),
    ("mild_pain_worse_standing_and_leaning_back", "piriformis-stretch", "swap",
     "hamstring-stretch"),
    ("sacroiliac_one_side", "clamshell", "harder", "side-lying-hip-abduction"),
]  # fmt: skip


@pytest.mark.parametrize(("vignette", "prescribed", "kind", "offered"), OFFERED)
def test_the_plan_offers_an_easier_harder_or_swap_exercise_by_the_records_link(
    vignette: str, prescribed: str, kind: str, offered: str
) -> None:
    given = [p for d in _plan(vignette).days for p in d.exercises if p.exercise_id == prescribed]
    assert given, f"{prescribed} is not in the plan"
    assert offered in KB.one(Exercise, prescribed).model_dump()[kind]
    (alternative,) = [a for a in given[0].alternatives if a.exercise_id == offered]
    assert alternative.kind == kind
    assert alternative.steps == KB.one(Exercise, offered).steps
    assert_produced(given, offered, f"label.alternative.{kind}")


def test_an_alternative_the_persons_cautions_rule_out_is_not_offered() -> None:
    # Leaning back hurts: the press-up (an extension exercise) is not offered beside cat-cow.
    plan = _plan("mild_pain_worse_standing_and_leaning_back")
    beside = {a.exercise_id for d in plan.days for p in d.exercises for a in p.alternatives}
    assert "worse_bending_backward" in KB.one(Exercise, "prone-press-up").cautions
    assert "prone-press-up" not in beside
    assert "thoracic-open-book" in beside


def test_matched_care_for_a_lifting_strain_prescribes_the_graded_lift_return() -> None:
    assert_produced(_plan("strain_lifting_at_the_gym").days, "graded-lift-return")


def _summary(pains: list[int]) -> ProgressSummary:
    """The diary's summary after one entry a day with these pains, ending today."""
    first = TODAY - timedelta(days=len(pains) - 1)
    entries = [
        DiaryEntry(at=datetime.combine(first + timedelta(days=i), time(20)), pain_now=pain)
        for i, pain in enumerate(pains)
    ]
    return summarise(entries, [], today=TODAY, assessed_pain=pains[0])


STEADY = [5] * 22


def _diary_escalations(pains: list[int], **given: Any) -> tuple[Any, ...]:
    values: dict[str, Any] = {"self_care_days": None, "pain_days": None} | given
    return escalations(
        _summary(pains), retriage_urgency=None, new_red_flags=(), **values, rule=CHANGE, kb=KB
    )


@pytest.mark.parametrize(
    ("reason", "pains", "given"),
    [
        ("worsening", [3] * 7 + [7] * 7, {}),
        ("not_recovering", STEADY, {"self_care_days": 28}),
        ("not_recovering", STEADY, {"run_advice": ("step_back",) * 3, "week_advice": "step_back"}),
        ("chronic", STEADY, {"pain_days": 120}),
    ],
)
def test_a_diary_escalation_names_the_change_rule_and_its_urgency_level(
    reason: str, pains: list[int], given: dict[str, Any]
) -> None:
    (found,) = [e for e in _diary_escalations(pains, **given) if e.reason == reason]
    assert found.urgency == "soon"
    assert_produced(found, "rule.meaningful_change", "urgency.soon")


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon"])
def test_new_warning_signs_escalate_in_the_words_of_the_level_triage_gave(level: str) -> None:
    found = red_flag_escalation(level, ("New numbness in the saddle area.",), KB)
    assert found is not None
    assert found.text == "New since your assessment: New numbness in the saddle area."
    assert_produced(found, "safety.diary_new_signs", f"urgency.{level}")


@pytest.mark.parametrize(
    ("vignette", "record"),
    [
        ("two_weeks_self_care_same", "question.history.self_care_weeks"),
        (SIMPLE, "question.history.pain_after_every_run"),
        (SIMPLE, "question.neuro.leg_weakness"),  # the last choice of the numbness list
        (SIMPLE, "question.general.psoriasis_or_arthritis_or_enthesitis"),  # in a checklist
    ],
)
def test_the_interview_asks_a_question_from_its_record_when_a_rule_still_reads_it(
    vignette: str, record: str
) -> None:
    from tests.cli.interview_driver import interview

    turns = list(interview(VIGNETTES[vignette]["case"], KB))
    asked = [q for turn in turns for q in (turn.question, *turn.checklist, *turn.pair)]
    assert_produced(asked, record)

"""build_plan: safety gates, phases, personalisation, citations and the schedule."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from backstride.assess.intake import Running
from backstride.assess.result import StartBackScore
from backstride.domain.finding import Finding
from backstride.knowledge import KnowledgeBase, load_knowledge_base
from backstride.knowledge.content import (
    PHASES,
    EducationTopic,
    Exercise,
    PreventionItem,
    Treatment,
)
from backstride.plan import Plan, build_plan
from tests.defaults import SHOE_INSPECTION_KM
from tests.kb_copy import edited
from tests.plan.builders import START, case, result
from tests.provenance import assert_produced

KB = load_knowledge_base()


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KB


def _plan(kb: KnowledgeBase, the_case: object = None, **overrides: object) -> Plan:
    return build_plan(
        result(kb, **overrides),
        the_case or case(),
        [],
        [],
        START,
        kb,  # type: ignore[arg-type]
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )


def _exercise_ids(plan: Plan) -> set[str]:
    return {p.exercise_id for d in plan.days for p in d.exercises}


@pytest.mark.parametrize(
    ("urgency", "flags"),
    [
        ("emergency", ("cauda_equina",)),
        ("emergency", ("progressive_neuro_deficit",)),
        ("urgent", ("infection",)),
        ("urgent", ("fracture", "malignancy")),
    ],
)
def test_emergency_or_urgent_result_gives_no_self_care_plan_only_action_and_flags(
    kb: KnowledgeBase, urgency: str, flags: tuple[str, ...]
) -> None:
    plan = _plan(kb, urgency=urgency, red_flags=flags, action="Go to A&E now.")
    assert plan.status == "no_self_care"
    assert not plan.has_exercise_content
    assert plan.days == ()
    assert plan.phases == ()
    assert plan.treatments == ()
    assert plan.top[0].text == "Go to A&E now."
    clinician = next(i for i in plan.top if i.kind == "clinician")
    assert all(word in clinician.text for word in plan.assessment.red_flag_text)


def test_under_16_gets_no_self_care_plan(kb: KnowledgeBase) -> None:
    plan = _plan(kb, case(age=15), urgency="soon", referral_reasons=("under_16",))
    assert plan.status == "no_self_care"
    assert not plan.has_exercise_content


def test_the_age_a_self_care_plan_needs_is_the_referral_records(tmp_path) -> None:
    def older(record: dict[str, object]) -> None:
        record["when"] = {"field": "age", "lt": 18}

    raised = edited(tmp_path, "triage.yaml", "referral.under_16", older)
    assert _plan(KB, case(age=17)).status == "self_care"
    assert _plan(raised, case(age=17)).status == "no_self_care"


def test_soon_sciatica_gives_interim_plan_with_referral_at_top_and_running_after_the_leg(
    kb: KnowledgeBase,
) -> None:
    plan = _plan(kb, urgency="soon", referral_reasons=("radicular",), patterns=("radicular",))
    assert plan.status == "interim"
    assert plan.top[1].kind == "referral"
    assert "sciatica" in plan.top[1].text
    assert [p.phase for p in plan.phases] == ["settle", "restore", "strengthen"]
    assert all(d.run is None for d in plan.days)
    assert any(i.key == "leg.running_waits" for i in plan.phases[-1].items)


def test_soon_for_persistent_pain_keeps_graded_running_and_never_pauses_it(
    kb: KnowledgeBase,
) -> None:
    plan = _plan(
        kb,
        case(pain={"intensity": 4, "started_days_ago": 200}, history={"trend": "same"}),
        urgency="soon",
        referral_reasons=("chronic", "high_psychosocial_risk"),
        duration="chronic",
        start_back=StartBackScore(7, 5, "high"),
    )
    assert plan.status == "interim"
    assert plan.top[1].kind == "referral"
    assert "paused" not in " ".join(i.text + i.title for i in plan.all_items())
    first_runs = [d for d in plan.days[:14] if d.run is not None]
    assert first_runs, "graded exposure to running starts in the first two weeks"


def test_self_care_plan_runs_through_all_phases_in_order_over_six_weeks(
    kb: KnowledgeBase,
) -> None:
    plan = _plan(kb)
    assert [p.phase for p in plan.phases] == list(PHASES)
    assert len(plan.days) == 42
    assert [d.on for d in plan.days] == [START + timedelta(days=i) for i in range(42)]
    for first, second in zip(plan.phases, plan.phases[1:], strict=False):
        assert second.start == first.end + timedelta(days=1)
        assert first.entry
        assert first.exit


@pytest.mark.covers("superficial-heat", "ice", "nsaids", "bed-rest")
def test_settle_phase_gives_relative_rest_heat_optional_ice_and_general_medicine_advice(
    kb: KnowledgeBase,
) -> None:
    settle = _plan(kb).phases[0]
    assert_produced(settle, "superficial-heat", "ice", "nsaids", "bed-rest", "phase.settle")
    texts = {i.key: i.text for i in settle.items}
    assert "bed" in texts["settle.relative_rest"]
    assert "walking" in texts["settle.relative_rest"]
    assert "heat" in texts["settle.heat"]
    assert "not enough evidence" in texts["settle.ice"]
    assert "pharmacist or doctor" in texts["settle.medicines"]
    cited = {r for i in settle.items for r in i.records}
    assert {"superficial-heat", "ice", "nsaids", "bed-rest"} <= cited
    assert not any(ch.isdigit() and "mg" in texts["settle.medicines"] for ch in "0123456789")


@pytest.mark.parametrize(
    ("sections", "patterns", "excluded"),
    [
        pytest.param(
            {"pain": {"intensity": 4, "worse_with": ["bending_forward"]}},
            (),
            "childs-pose",
            marks=pytest.mark.covers("childs-pose"),
        ),
        pytest.param(
            {"pain": {"intensity": 4, "worse_with": ["bending_backward"]}},
            (),
            "prone-press-up",
            marks=pytest.mark.covers("prone-press-up"),
        ),
        pytest.param(
            {"pain": {"intensity": 8}},
            (),
            "prone-back-extension",
            marks=pytest.mark.covers("prone-back-extension"),
        ),
        pytest.param(
            {"general": {"osteoporosis": True}},
            (),
            "deadlift-neutral-spine",
            marks=pytest.mark.covers("deadlift-neutral-spine"),
        ),
        pytest.param(
            {"neuro": {"numbness_or_tingling": ["below_knee_left"]}},
            (),
            "hamstring-stretch",
            marks=pytest.mark.covers("hamstring-stretch"),
        ),
        pytest.param(
            {}, ("sacroiliac",), "single-leg-bridge", marks=pytest.mark.covers("single-leg-bridge")
        ),
        pytest.param(
            {}, ("radicular",), "knee-to-chest", marks=pytest.mark.covers("knee-to-chest")
        ),
    ],
)
def test_exercise_whose_caution_matches_the_case_is_never_chosen(
    kb: KnowledgeBase, sections: dict[str, object], patterns: tuple[str, ...], excluded: str
) -> None:
    assert excluded in kb.records, "the knowledge base names this exercise"
    plan = _plan(kb, case(**sections), patterns=patterns or ("nonspecific",))
    assert plan.days
    assert excluded not in _exercise_ids(plan)
    assert excluded not in {x for p in plan.phases for x in p.exercise_ids}


@pytest.mark.covers("childs-pose")
def test_the_same_exercise_is_chosen_when_no_caution_applies(kb: KnowledgeBase) -> None:
    plan = _plan(kb)
    assert "childs-pose" in _exercise_ids(plan)
    assert_produced(plan, "childs-pose")


def test_strength_dose_rises_week_by_week_towards_the_top_dose(kb: KnowledgeBase) -> None:
    plan = _plan(kb)
    doses: dict[str, list[tuple[int, int]]] = {}
    for day in plan.days:
        for p in day.exercises:
            if p.category == "strength":
                doses.setdefault(p.exercise_id, []).append((p.sets, p.reps or p.hold_s or 0))
    rising = [ex for ex, seq in doses.items() if seq[-1] > seq[0]]
    assert rising, "at least one strength exercise progresses"
    for ex, seq in doses.items():
        top = kb.one(Exercise, ex).dose_max
        assert all(a <= b for a, b in itertools.pairwise(seq)), ex
        assert seq[-1][0] <= top.sets


def test_return_to_run_follows_the_walk_run_template_with_a_rest_day_between_runs(
    kb: KnowledgeBase,
) -> None:
    days = [d for d in _plan(kb).days if d.phase == "return_to_run" and d.kind != "rest"]
    assert days[0].kind == "walk_check"
    assert "30 minutes" in days[0].title
    runs = [d for d in days if d.run is not None]
    stages = [d.run.stage for d in runs if d.run]
    assert stages == [1, 1, 2, 2, 3, 3, 4, 4]
    assert [(r.run.walk_min, r.run.run_min) for r in runs[::2] if r.run] == [
        (2, 3),
        (2, 4),
        (1, 4),
        (0, None),
    ]
    for run in runs:
        assert run.run is not None
        assert 1.5 <= run.run.distance_km_min <= run.run.distance_km_max <= 3.0
        assert 3 <= run.run.rpe_max <= 5
    run_days = [d.on for d in runs]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(run_days))


def test_every_day_has_one_education_topic_and_six_weeks_cover_every_topic(
    kb: KnowledgeBase,
) -> None:
    plan = _plan(kb)
    assert all(d.education_id for d in plan.days)
    topics = {t.id for t in kb.of(EducationTopic)}
    assert {d.education_id for d in plan.days} == topics


def test_every_treatment_and_prevention_record_is_reachable_in_a_plan(kb: KnowledgeBase) -> None:
    plan = _plan(kb)
    shown = {r for item in plan.all_items() for r in item.records}
    assert {t.id for t in kb.of(Treatment)} <= shown
    assert {p.id for p in kb.of(PreventionItem)} <= shown
    assert {i.status for i in plan.treatments} >= {"recommended", "not_recommended"}


@pytest.mark.parametrize(
    ("risk", "kind", "phrase"),
    [
        ("high", "referral", "psychological support"),
        ("medium", "referral", "physiotherapy"),
        ("low", "advice", "self-management"),
    ],
)
def test_start_back_risk_sets_matched_care_advice(
    kb: KnowledgeBase, risk: str, kind: str, phrase: str
) -> None:
    plan = _plan(kb, start_back=StartBackScore(6, 4, risk))  # type: ignore[arg-type]
    item = next(i for i in plan.personal if f"care.start_back_{risk}" in i.records)
    assert item.kind == kind
    assert phrase in item.text
    assert {"hill-2011-startback", "keele-startback"} <= set(item.sources)


def test_high_start_back_risk_grades_running_and_never_pauses_it(kb: KnowledgeBase) -> None:
    plan = _plan(kb, start_back=StartBackScore(7, 5, "high"))
    care = next(i for i in plan.personal if "care.start_back_high" in i.records)
    assert "edu-graded-exposure" in care.records
    assert "paused" not in care.text
    assert "do not need to stop running" in care.text
    assert any(d.run is not None for d in plan.days)
    assert plan.days[0].education_id == "edu-graded-exposure"


@pytest.mark.parametrize(
    ("overrides", "case_sections", "care_id", "exercises"),
    [
        ({"patterns": ("sacroiliac",)}, {}, "care.sacroiliac",
         {"clamshell", "side-lying-hip-abduction", "banded-side-step"}),
        ({"patterns": ("radicular",), "urgency": "soon", "referral_reasons": ("radicular",)},
         {"pain": {"intensity": 5, "locations": ["below_knee_left"]}}, "care.radicular",
         {"ease-position-90-90", "sciatic-nerve-slider"}),
        ({"patterns": ("inflammatory",)}, {}, "care.inflammatory",
         {"standing-extension", "cat-cow"}),
        ({}, {"pain": {"intensity": 5, "onset": "lifting"}}, "care.lifting",
         {"hip-hinge-dowel", "graded-lift-return"}),
    ],
    ids=["sacroiliac", "radicular", "inflammatory", "lifting strain"],
)  # fmt: skip
def test_each_pattern_gets_its_own_care_text_and_exercises(
    kb: KnowledgeBase,
    overrides: dict[str, object],
    case_sections: dict[str, object],
    care_id: str,
    exercises: set[str],
) -> None:
    plan = _plan(kb, case(**case_sections), **overrides)
    care = [i for i in plan.personal if care_id in i.records]
    assert care, care_id
    assert all(set(i.sources) <= set(kb.sources) for i in care)
    assert exercises <= _exercise_ids(plan)


def test_plan_records_the_knowledge_base_version_and_digest(kb: KnowledgeBase) -> None:
    plan = _plan(kb)
    assert (plan.kb_version, plan.kb_digest) == (kb.version, kb.digest)
    assert plan.to_dict()["kb_digest"] == kb.digest


def test_every_item_and_exercise_cites_existing_records_and_sources(kb: KnowledgeBase) -> None:
    full = case(running={"weekly_km": 50, "weekly_km_prior": 30, "deadlifts": True})
    plan = _plan(kb, full)
    for item in plan.all_items():
        assert item.sources, item.key
        assert set(item.sources) <= set(kb.sources), item.key
        assert set(item.records) <= set(kb.records), item.key
    for day in plan.days:
        for p in day.exercises:
            assert p.exercise_id in kb.records
            assert set(p.sources) <= set(kb.sources)


def test_findings_from_analytics_map_onto_the_same_personal_items(kb: KnowledgeBase) -> None:
    spike = Finding(
        "single_run_spike",
        "attention",
        "Long run spike",
        "Your run on 2 Nov was 45 % longer than your longest in the previous 30 days.",
        sources=("frandsen-2025", "not-a-source"),
    )
    plan = build_plan(
        result(kb), case(), [spike], [], START, kb, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    item = next(i for i in plan.personal if i.key == "personal.single_run_spike")
    assert "45 %" in item.text
    assert "frandsen-2025" in item.sources
    assert "not-a-source" not in item.sources


def test_same_input_gives_the_same_plan(kb: KnowledgeBase) -> None:
    first = _plan(kb, case(running={"cadence_spm": 160}))
    second = _plan(kb, case(running={"cadence_spm": 160}))
    assert first == second
    assert first.to_json() == second.to_json()


def test_a_running_profile_alone_is_enough_to_personalise_the_plan(kb: KnowledgeBase) -> None:
    running = Running.model_validate({"cadence_spm": 160, "warm_up": False})
    plan = build_plan(result(kb), running, [], [], START, kb, shoe_inspection_km=SHOE_INSPECTION_KM)
    keys = {i.key for i in plan.personal}
    assert {"personal.cadence", "personal.warm_up"} <= keys
    assert len(plan.days) == 42


def test_no_profile_still_gives_a_plan_with_default_cross_training(kb: KnowledgeBase) -> None:
    plan = build_plan(
        result(kb), None, [], [], START, kb, weeks=3, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    assert len(plan.days) == 21
    assert any("swimming" in (d.activity or "") for d in plan.days)


def test_every_treatment_prevention_and_education_record_reaches_a_long_plan(
    kb: KnowledgeBase,
) -> None:
    plan = build_plan(
        result(kb), case(), [], [], START, kb, weeks=26, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    records = [r.id for kind in (Treatment, PreventionItem, EducationTopic) for r in kb.of(kind)]
    assert_produced(plan, *records)


def test_care_only_exercises_appear_only_when_matched_care_names_them(kb: KnowledgeBase) -> None:
    plain = _exercise_ids(_plan(kb))
    assert not {"graded-lift-return", "sciatic-nerve-slider", "ease-position-90-90"} & plain

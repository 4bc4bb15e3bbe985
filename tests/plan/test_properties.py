"""Plan invariants over generated cases, assessments and diaries (Hypothesis)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any, get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult, StartBackScore
from backstride.domain.diary import DiaryEntry
from backstride.domain.finding import Finding, FindingId
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import Exercise
from backstride.plan import Plan, build_plan
from backstride.plan.stage import start_rule
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import START, entry, result

KB = load_knowledge_base()
LEG = ["thigh_left", "below_knee_right"]
WORSE = ["running", "sitting", "standing", "bending_forward", "bending_backward", "lifting"]
CROSS = ["cycling", "swimming", "elliptical", "pool_running", "yoga", "rowing"]

cases = st.builds(
    lambda age, pain, worse, osteo, numb, weak, running: Case.model_validate(
        {
            "age": age,
            "pain": {"intensity": pain, "worse_with": worse},
            "general": {"osteoporosis": osteo},
            "neuro": {"numbness_or_tingling": numb, "leg_weakness": weak},
            "running": running,
        }
    ),
    st.integers(16, 90),
    st.integers(0, 10),
    st.lists(st.sampled_from(WORSE), unique=True, max_size=4),
    st.booleans(),
    st.lists(st.sampled_from(LEG), unique=True, max_size=2),
    st.sampled_from(["none", "stable_one_side"]),
    st.fixed_dictionaries(
        {},
        optional={
            "weekly_km": st.floats(0, 120),
            "weekly_km_prior": st.floats(1, 120),
            "longest_run_km": st.floats(0, 42),
            "longest_run_prior_30d_km": st.floats(1, 42),
            "cadence_spm": st.floats(140, 200),
            "shoe_km": st.floats(0, 1500),
            "shoe_pairs_in_rotation": st.integers(0, 4),
            "warm_up": st.booleans(),
            "cool_down": st.booleans(),
            "strength_sessions_per_week": st.integers(0, 5),
            "sitting_hours_per_day": st.floats(0, 14),
            "deadlifts": st.booleans(),
            "cross_training": st.lists(st.sampled_from(CROSS), unique=True, max_size=3),
        },
    ),
)

assessments = st.builds(
    lambda urgency, patterns, risk, duration: result(
        KB,
        urgency=urgency,
        red_flags=("infection",) if urgency in ("urgent", "emergency") else (),
        referral_reasons=("not_recovering",) if urgency == "soon" else (),
        patterns=patterns,
        start_back=None if risk is None else StartBackScore(5, 4 if risk == "high" else 1, risk),
        duration=duration,
    ),
    st.sampled_from(["self_care", "self_care", "soon", "urgent", "emergency"]),
    st.lists(
        st.sampled_from(["nonspecific", "radicular", "sacroiliac", "inflammatory"]),
        unique=True,
        min_size=1,
        max_size=2,
    ).map(tuple),
    st.sampled_from([None, "low", "medium", "high"]),
    st.sampled_from(["acute", "subacute", "chronic", None]),
)


@st.composite
def diaries(draw: st.DrawFn) -> list[DiaryEntry]:
    today = START
    n = draw(st.integers(0, 16))
    out = []
    for i in range(n):
        day = today - timedelta(days=draw(st.integers(0, 27)))
        out.append(
            entry(
                day,
                draw(st.integers(0, 8)),
                pain_during_run=draw(st.none() | st.integers(0, 8)),
                pain_next_morning=draw(st.none() | st.integers(0, 8)),
                leg_symptoms=draw(st.booleans()) if i % 5 == 0 else False,
                new_red_flags=("saddle_numbness",) if i == 7 and draw(st.booleans()) else (),
                exercises_done=tuple(draw(st.lists(st.sampled_from(_EXERCISE_IDS), max_size=2))),
            )
        )
    return out


_EXERCISE_IDS = sorted(e.id for e in KB.of(Exercise))


def _expected_cautions(
    case: Case, assessment: AssessmentResult, diary: list[DiaryEntry]
) -> set[str]:
    """The caution tags a clinician would read off this case, written out independently."""
    tags = {p for p in assessment.patterns if p != "nonspecific"}
    tags |= {f"worse_{w}" for w in case.pain.worse_with if w not in ("running",)}
    if case.pain.intensity >= 7:
        tags.add("acute_severe")
    if case.general.osteoporosis:
        tags.add("osteoporosis")
    if case.neuro.numbness_or_tingling or case.neuro.leg_weakness != "none":
        tags.add("leg_symptoms")
    latest = max(diary, key=lambda e: e.at) if diary else None
    if latest is not None and latest.leg_symptoms:
        tags.add("leg_symptoms")
    if latest is not None and latest.pain_now >= 7:
        tags.add("acute_severe")
    return tags


def _build(assessment: AssessmentResult, case: Case, diary: list[DiaryEntry]) -> Plan:
    return build_plan(
        assessment, case, [], diary, START, KB, weeks=6, shoe_inspection_km=SHOE_INSPECTION_KM
    )


SETTINGS: dict[str, Any] = {
    "max_examples": 60,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
}


@settings(**SETTINGS)
@given(assessments, cases, diaries())
def test_no_exercise_whose_caution_matches_the_case_is_ever_chosen(
    assessment: AssessmentResult, case: Case, diary: list[DiaryEntry]
) -> None:
    plan = _build(assessment, case, diary)
    expected = _expected_cautions(case, assessment, diary)
    for day in plan.days:
        for p in day.exercises:
            cautions = set(KB.one(Exercise, p.exercise_id).cautions)
            assert not cautions & expected, (p.exercise_id, cautions & expected)


@settings(**SETTINGS)
@given(assessments, cases, diaries())
def test_emergency_urgent_or_a_new_diary_red_flag_never_carries_exercise_content(
    assessment: AssessmentResult, case: Case, diary: list[DiaryEntry]
) -> None:
    plan = _build(assessment, case, diary)
    if any(e.new_red_flags for e in diary if e.at.date() <= START):
        assert plan.assessment.urgency in ("emergency", "urgent"), "the diary's flag leads"
    if plan.assessment.urgency in ("emergency", "urgent"):
        assert not plan.has_exercise_content
        assert plan.days == ()
        assert plan.top[0].text == plan.assessment.action
    elif plan.status != "no_self_care":
        assert plan.days


@settings(**SETTINGS)
@given(assessments, cases, diaries())
def test_no_running_in_settle_and_return_to_run_never_skips_a_step(
    assessment: AssessmentResult, case: Case, diary: list[DiaryEntry]
) -> None:
    plan = _build(assessment, case, diary)
    assert all(d.run is None for d in plan.days if d.phase in ("settle", "restore", "strengthen"))
    stages = [d.run.stage for d in plan.days if d.run and d.phase == "return_to_run"]
    assert all(0 <= b - a <= 1 for a, b in itertools.pairwise(stages))
    for stage in set(stages[:-1]):
        assert stages.count(stage) >= 2, "each step at least twice before the next"
    if start_rule(case, assessment, KB).running == "after_leg_symptoms":
        assert all(d.run is None for d in plan.days), "with leg symptoms the diary starts runs"


findings = st.lists(
    st.builds(
        lambda fid, sources: Finding(
            fid, "consider", "A finding", "Seen in your runs.", sources=sources
        ),
        st.sampled_from(list(get_args(FindingId))),
        st.lists(st.sampled_from(["frandsen-2025", "nielsen-2014", "no-such-source"])).map(tuple),
    ),
    max_size=4,
)


@settings(**SETTINGS)
@given(assessments, cases, diaries(), findings)
def test_every_item_cites_a_source_and_record_that_exist(
    assessment: AssessmentResult, case: Case, diary: list[DiaryEntry], found: list[Finding]
) -> None:
    plan = build_plan(
        assessment, case, found, diary, START, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    for item in plan.all_items():
        assert item.sources, item.key
        assert set(item.sources) <= set(KB.sources), item.key
        assert set(item.records) <= set(KB.records), item.key
    for day in plan.days:
        assert all(set(p.sources) <= set(KB.sources) for p in day.exercises)


@settings(**{**SETTINGS, "max_examples": 25})
@given(assessments, cases, diaries(), st.integers(1, 8))
def test_same_input_gives_byte_identical_plan_json(
    assessment: AssessmentResult, case: Case, diary: list[DiaryEntry], weeks: int
) -> None:
    first = build_plan(
        assessment, case, [], diary, START, KB, weeks=weeks, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    second = build_plan(
        assessment,
        case,
        [],
        list(diary),
        START,
        KB,
        weeks=weeks,
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )
    assert first.to_json() == second.to_json()
    if first.days:
        assert len(first.days) == weeks * 7
        assert first.days[-1].on == START + timedelta(days=weeks * 7 - 1)

"""Invariants of the assessment, checked on generated cases (Hypothesis)."""

from __future__ import annotations

import copy
import json
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.assess.casefile import case_from_data
from backstride.assess.intake import (
    BetterWith,
    Bothersomeness,
    LegWeakness,
    Location,
    Onset,
    Trend,
    WorseWith,
)
from backstride.assess.result import urgency_rank
from backstride.assess.triage import assess
from backstride.knowledge import KnowledgeBase, load_knowledge_base
from backstride.knowledge.rules import RedFlag
from tests.conftest import run_backstride

KB = load_knowledge_base()
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _some(values: Any, max_size: int = 4) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(get_args(values)), unique=True, max_size=max_size)


_pain = st.fixed_dictionaries(
    {"intensity": st.integers(0, 10)},
    optional={
        "started_days_ago": st.integers(0, 1500),
        "onset": st.sampled_from(get_args(Onset)),
        "locations": _some(Location),
        "leg_pain_worse_than_back": st.booleans(),
        "worse_with": _some(WorseWith),
        "better_with": _some(BetterWith),
        "night_pain_unrelieved": st.booleans(),
        "wakes_second_half_of_night": st.booleans(),
        "morning_stiffness_minutes": st.integers(0, 240),
        "worst_24h": st.integers(0, 10),
        "point_tenderness": st.booleans(),
    },
)
_neuro = st.fixed_dictionaries(
    {},
    optional={
        "numbness_or_tingling": _some(Location, 3),
        "leg_weakness": st.sampled_from(get_args(LegWeakness)),
        **{k: st.booleans() for k in ("saddle_numbness", "bladder_change", "gait_disturbance")},
        "leg_symptoms_new": st.none() | st.booleans(),
    },
)
_general = st.fixed_dictionaries(
    {},
    optional={
        k: st.booleans()
        for k in (
            "fever", "history_of_cancer", "osteoporosis", "long_term_steroids",
            "unexplained_weight_loss", "urinary_symptoms_with_flank_pain",
            "family_history_spondyloarthritis", "psoriasis_or_arthritis_or_enthesitis",
            "iv_drug_use", "immunosuppressed", "recent_bacterial_infection", "feeling_unwell",
            "spinal_deformity", "psoriasis", "arthritis", "enthesitis",
        )
    },
)  # fmt: skip
_history = st.fixed_dictionaries(
    {},
    optional={
        "self_care_weeks": st.integers(0, 20),
        "trend": st.sampled_from(get_args(Trend)),
        "pain_after_every_run": st.booleans(),
    },
)
_start_back = st.tuples(*[st.booleans()] * 8, st.sampled_from(get_args(Bothersomeness))).map(list)
CASES = st.fixed_dictionaries(
    {"age": st.integers(0, 120), "pain": _pain},
    optional={
        "neuro": _neuro,
        "general": _general,
        "history": _history,
        "sex": st.sampled_from(["female", "male", "other", "unspecified"]),
        "start_back": _start_back,
        "rmdq": st.lists(st.integers(1, 24), unique=True, max_size=24),
    },
)


def _red_flag_answers(kb: KnowledgeBase) -> list[tuple[str, Any]]:
    answers = []
    for flag in kb.of(RedFlag):
        for trigger in (*flag.triggers, *flag.weak_triggers):
            sets = dict(trigger.sets or {})
            if getattr(trigger, "diary", None) is not None:
                sets.update(trigger.diary.sets or {})
            answers += [(k, list(v) if isinstance(v, tuple) else v) for k, v in sets.items()]
    return answers


RED_FLAG_ANSWERS = _red_flag_answers(KB)


def _answered(case: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(case)
    node = changed
    *parents, leaf = field.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    return changed


@pytest.mark.covers("cauda_equina", "infection", "fracture", "malignancy", "renal_mimic")
@PROPERTY
@given(case=CASES, answer=st.sampled_from(RED_FLAG_ANSWERS))
def test_adding_any_red_flag_answer_never_lowers_urgency(
    case: dict[str, Any], answer: tuple[str, Any]
) -> None:
    before = assess(case_from_data(case), KB)
    after = assess(case_from_data(_answered(case, *answer)), KB)
    assert urgency_rank(after.urgency) >= urgency_rank(before.urgency)
    if isinstance(answer[1], bool):  # a yes/no answer only adds; a choice may replace one
        assert set(before.red_flags) <= set(after.red_flags)


@pytest.mark.covers("urgency.self_care", "urgency.soon", "urgency.urgent", "urgency.emergency")
@PROPERTY
@given(case=CASES)
def test_self_care_means_no_flags_and_no_referrals_and_any_flag_means_urgent(
    case: dict[str, Any],
) -> None:
    result = assess(case_from_data(case), KB)
    if result.urgency == "self_care":
        assert result.red_flags == ()
        assert result.referral_reasons == ()
    if result.red_flags:
        assert result.urgency in ("urgent", "emergency")
    if result.referral_reasons:
        assert result.urgency != "self_care"
    assert result.patterns, "there is always a most likely pattern"


@PROPERTY
@given(case=CASES)
def test_any_case_gives_identical_json_twice(case: dict[str, Any]) -> None:
    first = assess(case_from_data(case), KB).to_json()
    second = assess(case_from_data(copy.deepcopy(case)), KB).to_json()
    assert first == second


@pytest.mark.covers("referral.under_16")
@PROPERTY
@given(case=CASES)
def test_under_16s_are_never_given_self_care(case: dict[str, Any]) -> None:
    result = assess(case_from_data(case), KB)
    if case["age"] < 16:
        assert "under_16" in result.referral_reasons
        assert result.urgency != "self_care"


@PROPERTY
@given(case=CASES)
def test_every_reason_cites_a_rule_and_known_sources(case: dict[str, Any]) -> None:
    result = assess(case_from_data(case), KB)
    for reason in result.reasons:
        assert reason.rule
        assert reason.text
        assert reason.sources
        assert set(reason.sources) <= set(KB.sources)
    assert result.to_dict()["knowledge_base"] == KB.stamp


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=CASES)
def test_any_case_gives_identical_json_through_two_real_processes(
    case: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    case_file = tmp_path_factory.mktemp("case") / "case.json"
    case_file.write_text(json.dumps(case), encoding="utf-8")
    runs = [run_backstride("assess", "-i", str(case_file), "-f", "json") for _ in range(2)]
    assert runs[0].code == runs[1].code == 0
    assert runs[0].stdout == runs[1].stdout
    assert json.loads(runs[0].stdout) == assess(case_from_data(case), KB).to_dict()


def test_the_package_exports_assess() -> None:
    from backstride import assess as package

    assert package.assess is assess

"""A shorter check: only questions that can change the answer, and the same answer.

The driver answers the real questionnaire from each vignette of the assessment suite,
following the CLI's own flow (skip logic read from the rules, warning signs as
checklists), so the prompt count is what a person sees.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.assess.interview import case_answers, questions, should_ask, to_case
from backstride.assess.triage import assess
from backstride.knowledge import load_knowledge_base
from backstride.services.assessment import screen_answers
from tests.cli.interview_driver import full_case, interview, value_for

KB = load_knowledge_base()
VIGNETTES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "assess" / "vignettes.yaml").read_text(encoding="utf-8")
)["vignettes"]
SELF_CARE = [v for v in VIGNETTES if v["expect"]["urgency"] == "self_care"]
#: The median number of prompts a self-care runner answers (the issue's target: under 30).
TARGET_MEDIAN = 30


def prompts(case: dict[str, Any]) -> int:
    return len(list(interview(case, KB)))


def test_the_median_self_care_check_takes_fewer_than_thirty_prompts() -> None:
    counts = [prompts(v["case"]) for v in SELF_CARE]
    median = statistics.median(counts)
    print(f"self-care vignettes: {len(counts)}, prompts {sorted(counts)}, median {median}")
    assert median < TARGET_MEDIAN


def _answers_of(case: dict[str, Any]) -> dict[str, Any]:
    from backstride.assess.interview import record

    answers: dict[str, Any] = {}
    for turn in interview(case, KB):
        group = turn.checklist or turn.pair or (turn.question,)
        values = turn.value if turn.checklist or turn.pair else [turn.value]
        for question, value in zip(group, values, strict=True):
            record(answers, question, value)
    return answers


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_the_shorter_check_reaches_the_same_answer_as_the_whole_case(
    vignette: dict[str, Any],
) -> None:
    expected = assess(to_case(_flat(vignette["case"])), KB)
    answers = _answers_of(vignette["case"])
    if expected.urgency == "emergency":
        assert screen_answers(case_answers(answers)).urgency == "emergency"
        return
    got = assess(to_case(answers), KB)
    assert got.urgency == expected.urgency
    assert got.red_flags == expected.red_flags
    assert got.referral_reasons == expected.referral_reasons
    assert got.patterns == expected.patterns
    assert got.duration == expected.duration


def _flat(case: dict[str, Any]) -> dict[str, Any]:
    """Every answer of the case as the questionnaire's dotted keys (nothing skipped)."""
    answers: dict[str, Any] = {}
    filled = full_case(case)
    from backstride.assess.interview import record

    for question in questions(KB):
        record(answers, question, value_for(question, filled))
    return {k: v for k, v in answers.items() if v not in (None, ())}


def test_a_question_no_rule_reads_is_not_asked() -> None:
    asked = {t.question.key for t in interview(SELF_CARE[0]["case"], KB)}
    assert {"sex", "history.previous_episodes"}.isdisjoint(asked)


def test_a_warning_sign_tied_to_age_is_not_asked_once_age_rules_it_out() -> None:
    by_key = {q.key: q for q in questions(KB)}
    young_gate = [
        key for key in by_key
        if key.startswith("general.") and by_key[key].ask_if is None
    ]  # fmt: skip
    for key in young_gate:
        question = by_key[key]
        assert should_ask(question, {"age": 30}, KB) in (True, False)  # decided, no error
    spa = by_key["general.family_history_spondyloarthritis"]
    assert should_ask(spa, {"age": 30}, KB)
    assert not should_ask(spa, {"age": 60}, KB)

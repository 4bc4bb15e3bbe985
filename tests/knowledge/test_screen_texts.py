"""The questionnaire's questions and the terminal's sentences are records: read by id,
and a missing, stray or misnamed sentence stops the load naming the record and field."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.assess.flow import is_warning_sign
from backstride.assess.interview import questions
from backstride.errors import KnowledgeBaseError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.load import data_dir
from backstride.knowledge.texts import (
    SCREENS,
    InterviewQuestion,
    ScreenTexts,
    question_text,
    screen_text,
)
from tests.provenance import assert_produced

FORM_ITEMS = ("start_back.", "rmdq.")


def _own_questions() -> list[Any]:
    """The questions the interview words itself (not warning signs, not published items)."""
    kb = load_knowledge_base()
    return [
        q for q in questions(kb)
        if not is_warning_sign(q) and (q.key == "rmdq.wanted" or not q.key.startswith(FORM_ITEMS))
    ]  # fmt: skip


def test_every_own_question_has_exactly_one_record_and_every_record_is_asked() -> None:
    kb = load_knowledge_base()
    asked = {q.key: q.text for q in _own_questions()}
    records = {r.key: r.text for r in kb.of(InterviewQuestion)}
    assert asked == records


def test_every_screen_has_its_record() -> None:
    kb = load_knowledge_base()
    assert {r.id for r in kb.of(ScreenTexts)} == set(SCREENS)


def _edited(tmp_path: Path, file: str, edit: Any) -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = folder / file
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(document["records"])
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return folder


def test_the_interview_asks_in_the_words_of_the_records(tmp_path: Path) -> None:
    def reword(records: list[dict[str, Any]]) -> None:
        next(r for r in records if r["id"] == "question.age")["text"] = "Your age in years?"

    def rename(records: list[dict[str, Any]]) -> None:
        next(r for r in records if r["id"] == "text.interview")["texts"]["section_pain"] = "You"

    reworded = load_knowledge_base(_edited(tmp_path / "q", "interview.yaml", reword))
    assert next(q for q in questions(reworded) if q.key == "age").text == "Your age in years?"
    renamed = load_knowledge_base(_edited(tmp_path / "s", "screen_texts.yaml", rename))
    age = next(q for q in questions(renamed) if q.key == "age")
    assert (age.section, screen_text(renamed, "interview", "section_pain")) == ("You", "You")


def _drop(name: str) -> Any:
    return lambda records: records[0]["texts"].pop(name)


def _set(name: str, text: str) -> Any:
    return lambda records: records[0]["texts"].__setitem__(name, text)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(_drop("pick_refused"), "missing ['pick_refused']", id="missing"),
        pytest.param(_set("pick_refused", "Pick {count}"), "unknown template fields", id="field"),
        pytest.param(_set("pick_refsed", "Pick one."), "unknown ['pick_refsed']", id="stray"),
        pytest.param(
            lambda records: records[0].__setitem__("id", "text.nowhere"), "expected one of",
            id="unknown-screen",
        ),
    ],
)  # fmt: skip
def test_a_broken_screen_record_names_the_record_and_field(
    tmp_path: Path, edit: Any, message: str
) -> None:
    with pytest.raises(KnowledgeBaseError, match=r"screen_texts\.yaml: record text\.") as caught:
        load_knowledge_base(_edited(tmp_path, "screen_texts.yaml", edit))
    assert message in str(caught.value)


def test_a_question_record_whose_id_does_not_name_its_key_does_not_load(tmp_path: Path) -> None:
    def misname(records: list[dict[str, Any]]) -> None:
        records[0]["key"] = "pain.intensity"

    with pytest.raises(
        KnowledgeBaseError, match=r"record question\.age: .*question\.pain\.intensity"
    ):
        load_knowledge_base(_edited(tmp_path, "interview.yaml", misname))


#: A runner under 45 with leg pain, not running now, who gives running details and the RMDQ.
FULL_CASE: dict[str, Any] = {
    "age": 30,
    "sex": "female",
    "pain": {"intensity": 4, "worst_24h": 6, "started_days_ago": 120, "onset": "gradual",
             "locations": ["low_back_central", "buttock_left", "thigh_left"],
             "leg_pain_worse_than_back": False, "worse_with": ["sitting"],
             "better_with": ["movement"], "morning_stiffness_minutes": 45,
             "wakes_second_half_of_night": True},
    "neuro": {"numbness_or_tingling": ["thigh_left"]},
    "history": {"trend": "worse", "self_care_weeks": 8, "previous_episodes": 2},
    "running": {"running_now": False, "walk_minutes_now": 40, "weekly_km": 10,
                "weekly_km_prior": 30, "runs_per_week": 2, "longest_run_km": 8,
                "longest_run_prior_30d_km": 15, "cadence_spm": 165, "shoe_km": 700,
                "strength_sessions_per_week": 0, "sitting_hours_per_day": 9},
    "start_back": [True, False, True, False, False, False, False, False, "moderately"],
    "rmdq": [1, 2],
}  # fmt: skip


def test_a_whole_interview_asks_each_question_in_the_words_of_its_record() -> None:
    from tests.cli.interview_driver import interview

    kb = load_knowledge_base()
    asked = [turn.question for turn in interview(FULL_CASE, kb)]
    assert_produced(
        asked,
        "question.age", "question.pain.intensity", "question.pain.worst_24h",
        "question.pain.started_days_ago", "question.pain.onset", "question.pain.locations",
        "question.pain.leg_pain_worse_than_back", "question.neuro.numbness_or_tingling",
        "question.pain.worse_with", "question.pain.better_with",
        "question.pain.morning_stiffness_minutes", "question.pain.wakes_second_half_of_night",
        "question.general.family_history_spondyloarthritis", "question.history.trend",
        "question.running.wanted", "question.running.running_now",
        "question.running.walk_minutes_now", "question.running.weekly_km",
        "question.running.weekly_km_prior", "question.running.runs_per_week",
        "question.running.longest_run_km", "question.running.longest_run_prior_30d_km",
        "question.running.cadence_spm", "question.running.shoe_km",
        "question.running.strength_sessions_per_week", "question.running.sitting_hours_per_day",
        "question.rmdq.wanted",
    )  # fmt: skip
    for question in asked:
        if question.records and question.records[0].startswith("question."):
            assert question.text == question_text(kb, question.key)

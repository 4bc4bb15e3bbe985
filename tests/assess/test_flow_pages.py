"""The questionnaire flow as pages: a questionnaire's items together, everything else as
the terminal asks it."""

from __future__ import annotations

from typing import Any

from backstride.assess.flow import Flow, choice_labels
from backstride.assess.interview import Answers, Question, questions, record
from backstride.knowledge import load_knowledge_base


def _calm(question: Question) -> Any:
    if question.key == "age":
        return 35
    if question.kind == "yes_no":
        return question.key == "rmdq.wanted"
    if question.kind in ("integer", "number"):
        return None if question.optional else int(question.low or 0)
    return question.choices[0] if question.kind == "choice" else ()


def _groups(*, pages: bool) -> list[list[str]]:
    kb = load_knowledge_base()
    flow, answers = Flow(list(questions(kb)), kb), Answers()
    groups = []
    while group := (flow.page(answers) if pages else flow.next(answers)):
        for question in group:
            record(answers, question, _calm(question))
        groups.append([q.key for q in group])
    return groups


def test_a_questionnaire_is_one_page_and_the_rest_is_asked_as_the_terminal_asks() -> None:
    paged, asked = _groups(pages=True), _groups(pages=False)
    assert [f"start_back.{n}" for n in range(1, 10)] in paged
    assert [f"rmdq.{n}" for n in range(1, 25)] in paged
    forms = ("start_back.", "rmdq.")
    assert [g for g in paged if not g[0].startswith(forms) or g == ["rmdq.wanted"]] == [
        g for g in asked if not g[0].startswith(forms) or g == ["rmdq.wanted"]
    ]
    assert [k for g in paged for k in g] == [k for g in asked for k in g]  # same order


def test_every_choice_has_plain_words_without_underscores() -> None:
    kb = load_knowledge_base()
    for question in questions(kb):
        for words in choice_labels(kb, question):
            assert "_" not in words, (question.key, words)

"""Answer the real questionnaire from a case file: the replies a person would type.

Used by the end-to-end terminal tests and by the prompt-count measurement: the same
skip logic the CLI applies decides which questions come up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from backstride.assess.conditions import default_facts, facts_of, holds
from backstride.assess.intake import Case, Running
from backstride.assess.interview import (
    Answers,
    Question,
    case_answers,
    questions,
    record,
)
from backstride.assess.relevance import with_derived
from backstride.cli.flow import Flow, is_checklist
from backstride.knowledge import KnowledgeBase, load_knowledge_base
from backstride.knowledge.rules import Condition, RedFlag
from backstride.plan.stage import running_now
from backstride.services.assessment import screen_answers


@dataclass(frozen=True)
class Turn:
    """One question as asked, the value answered and what a person types for it."""

    question: Question
    value: Any
    typed: str
    checklist: tuple[Question, ...] = ()
    pair: tuple[Question, ...] = ()  # a list with a yes/no as its last choice

    @property
    def prompt(self) -> str:
        """Text that ends the prompt as the terminal shows it."""
        if self.checklist:
            return "Numbers separated by commas, or Enter for none of these"
        return self.question.text.split()[-1]


_TRIGGERS: dict[str, Condition] = {
    t.id: t.when for flag in load_knowledge_base().of(RedFlag) for t in flag.triggers
}


def full_case(case: dict[str, Any]) -> dict[str, Any]:
    """The case with every default filled in (what the person would answer)."""
    return Case.model_validate(case).model_dump(mode="json")


def _field(case: dict[str, Any], key: str) -> Any:
    node: Any = case
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def value_for(question: Question, case: dict[str, Any]) -> Any:
    """The answer the case implies for one question."""
    key = question.key
    if question.key in _TRIGGERS:  # a warning sign: yes when its trigger holds for the case
        facts = {**default_facts(), **facts_of(Case.model_validate(case))}
        return holds(_TRIGGERS[question.key], with_derived(facts, load_knowledge_base()))
    if question.sets is not None:
        return all(_field(case, k) == v for k, v in question.sets.items())
    if key.startswith("start_back."):
        items = case.get("start_back")
        n = int(key.split(".")[1])
        if items is None:
            return False if question.kind == "yes_no" else question.choices[0]
        return items[n - 1]
    if key == "rmdq.wanted":
        return case.get("rmdq") is not None
    if key.startswith("rmdq."):
        return int(key.split(".")[1]) in (case.get("rmdq") or ())
    if key == "running.wanted":
        return any(v not in (None, False, [], ()) for v in case["running"].values())
    if key == "running.running_now" and case["running"]["running_now"] is None:
        return running_now(Running.model_validate(case["running"]))  # what the plan assumes
    value = _field(case, key)
    if question.kind == "multi":
        return tuple(value or ())
    return value


def typed_for(question: Question, value: Any) -> str:
    """What a person types to give `value`."""
    if question.kind == "yes_no":
        return "y" if value else "n"
    if question.kind in ("integer", "number"):
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    if question.kind == "choice":
        return "" if value is None else str(question.choices.index(value) + 1)
    return ",".join(str(question.choices.index(v) + 1) for v in value)


def interview(case: dict[str, Any], kb: KnowledgeBase) -> Iterator[Turn]:
    """The prompts the CLI shows for this case, in order, with the replies.

    A checklist of warning signs is one turn: its `question` is the first sign, its
    `typed` the numbers of the signs that apply.
    """
    filled = full_case(case)
    answers: Answers = {}
    flow = Flow(list(questions(kb)), kb)
    while True:
        group = flow.next(answers)
        if not group:
            return
        if is_checklist(group):
            values = [bool(value_for(q, filled)) for q in group]
            typed = ",".join(str(n) for n, yes in enumerate(values, 1) if yes)
            yield Turn(group[0], values, typed, checklist=tuple(group))
            for question, value in zip(group, values, strict=True):
                record(answers, question, value)
        elif len(group) == 2:  # a list whose last choice answers the yes/no after it
            question, extra = group
            chosen = value_for(question, filled)
            yes = bool(value_for(extra, filled))
            numbers = [question.choices.index(v) + 1 for v in chosen]
            numbers += [len(question.choices) + 1] if yes else []
            yield Turn(question, [chosen, yes], ",".join(map(str, numbers)), pair=(question, extra))
            record(answers, question, chosen)
            record(answers, extra, yes)
        else:
            question = group[0]
            value = value_for(question, filled)
            if question.kind == "choice" and value is not None and value not in question.choices:
                value = None
            yield Turn(question, value, typed_for(question, value))
            record(answers, question, value)
        if screen_answers(case_answers(answers)).urgency == "emergency":
            return

"""The assessment questionnaire as web pages: which questions a page shows, and its answers.

The wizard is stateless on the server: the answers of every page so far travel in a hidden
JSON field, and the flow is replayed from them through the same `assess.flow.Flow` the
terminal walks, so the web and the terminal ask the same questions in the same order with
the same skip logic: warning signs as a short list where any "yes" stops the check at
once, one question at a time otherwise, a questionnaire's items on one page as on its
printed form. A bad answer is refused with one plain sentence; the page is shown again
with what was typed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from backstride.assess.flow import Flow, is_checklist
from backstride.assess.interview import Answers, Question, questions, record
from backstride.errors import InputError
from backstride.knowledge import KnowledgeBase
from backstride.web.words import say

YES, NO = "yes", "no"
#: The buttons of a list page: "none of these" or "the ones I ticked".
NONE_OF_THESE, TICKED = "none", "ticked"
Layout = Literal["list", "form", "single", "extra"]


@dataclass(frozen=True)
class WizardState:
    """The typed answers of every page so far, page by page."""

    steps: tuple[Mapping[str, Any], ...]

    def dump(self) -> str:
        """The state as the hidden form field carries it."""
        steps = [{k: list(v) if isinstance(v, tuple) else v for k, v in s.items()}
                 for s in self.steps]  # fmt: skip
        return json.dumps({"steps": steps}, sort_keys=True)


@dataclass(frozen=True)
class Page:
    """What to ask now: the questions, how they are laid out, and the answers so far."""

    section: str
    questions: list[Question]
    layout: Layout
    answers: Answers


def load_state(text: str | None) -> WizardState:
    """Parse the hidden state field (empty for the first page)."""
    if not text:
        return WizardState(())
    try:
        data = json.loads(text)
        steps = tuple(dict(step) for step in data["steps"])
    except (ValueError, KeyError, TypeError):
        raise InputError(say("check", "state_damaged")) from None
    return WizardState(steps)


def current_page(kb: KnowledgeBase, state: WizardState) -> Page:
    """Replay the pages answered so far through the flow; the page to show now."""
    flow = Flow(list(questions(kb)), kb)
    answers: Answers = {}
    for step in state.steps:
        for question in flow.page(answers):
            record(answers, question, _restored(question, step.get(question.key)))
    group = flow.page(answers)
    section = group[0].section if group else ""
    return Page(section, group, layout_of(group), answers)


def next_page(kb: KnowledgeBase, state: WizardState) -> tuple[str, list[Question]]:
    """The next section title and its questions (empty when finished)."""
    page = current_page(kb, state)
    return page.section, page.questions


def layout_of(group: list[Question]) -> Layout:
    """How a group is asked: a yes/no list, a questionnaire form, one question, or a
    list whose last choice answers a yes/no."""
    if not group:
        return "single"
    if is_checklist(group):
        return "list"
    if len(group) == 2 and group[0].kind == "multi" and group[1].kind == "yes_no":
        return "extra"
    return "form" if len(group) > 1 else "single"


def apply_page(state: WizardState, page: Page, form: Mapping[str, Any]) -> WizardState:
    """Record one submitted page; a missing or invalid answer is an InputError."""
    if page.layout in ("list", "extra") or _tick_list(page):
        step = _ticks(page, form)
    else:
        step = {q.key: parse_answer(q, form) for q in page.questions}
    return WizardState((*state.steps, step))


def _tick_list(page: Page) -> bool:
    """A questionnaire of statements to tick (RMDQ): an unticked one is a "no"."""
    return page.layout == "form" and all(q.kind == "yes_no" and q.key.startswith("rmdq.")
                                         for q in page.questions)  # fmt: skip


def _ticks(page: Page, form: Mapping[str, Any]) -> dict[str, Any]:
    """A list: each ticked item is "yes"; nothing ticked must be said with "none of these"."""
    step: dict[str, Any] = {}
    group = page.questions
    if page.layout == "extra":
        step[group[0].key] = parse_answer(group[0], form)
        group = group[1:]
    ticked = {q.key for q in group if _value(form, q.key) == YES}
    every_no = all(_value(form, q.key) == NO for q in group)
    said_none = _value(form, "answer") == NONE_OF_THESE or every_no
    if not ticked and not said_none and page.layout == "list":
        raise InputError(say("check", "tick_or_none"))
    step.update({q.key: q.key in ticked for q in group})
    return step


def _value(form: Mapping[str, Any], key: str) -> str | None:
    raw = form.get(key)
    if isinstance(raw, list):
        raw = YES if YES in raw else raw[0] if raw else None
    return raw.strip() if isinstance(raw, str) else None


def _restored(question: Question, value: Any) -> Any:
    """A stored answer back in its typed form (lists travel as JSON arrays)."""
    return tuple(value) if question.kind == "multi" and isinstance(value, list) else value


def parse_answer(question: Question, form: Mapping[str, Any]) -> Any:
    """The typed answer to one question from the submitted form."""
    if question.kind == "multi":
        values = form.get(question.key) or []
        picked = [values] if isinstance(values, str) else list(values)
        if any(v not in question.choices for v in picked):
            raise InputError(say("check", "pick_from_list", question=question.text))
        return tuple(picked)
    raw = _value(form, question.key)
    if raw in (None, ""):
        if question.optional:
            return None
        raise InputError(say("check", "answer", question=question.text))
    if question.kind == "yes_no":
        if raw not in (YES, NO):
            raise InputError(say("check", "yes_or_no", question=question.text))
        return raw == YES
    if question.kind == "choice":
        if raw not in question.choices:
            raise InputError(say("check", "pick_one", question=question.text))
        return raw
    return _number(question, str(raw))


def _number(question: Question, raw: str) -> int | float:
    kind = say("check", "whole_number" if question.kind == "integer" else "number")
    low, high = question.low, question.high
    span = say("check", "span", low=low, high=high) if low is not None and high is not None else ""
    message = say("check", "number_refused", question=question.text, kind=kind, span=span, raw=raw)
    try:
        value: int | float = int(raw) if question.kind == "integer" else float(raw)
    except ValueError:
        raise InputError(message) from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise InputError(message)
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(message)
    return value

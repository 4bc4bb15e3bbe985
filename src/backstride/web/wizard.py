"""The assessment questionnaire as web pages: which questions a page shows, and its answers.

The wizard is stateless on the server: the answers so far travel in a hidden JSON field,
and every page is rebuilt from the interview definition (`assess.interview.questions`), so
the web and the terminal ask the same questions in the same order with the same skip
logic. A question whose condition becomes true because of an answer on the same page is
shown on a follow-up page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backstride.assess.interview import Answers, Question, questions, record
from backstride.errors import InputError
from backstride.knowledge import KnowledgeBase

YES, NO = "yes", "no"


@dataclass(frozen=True)
class WizardState:
    """Answers so far and the keys of every question already shown."""

    answers: Answers
    shown: frozenset[str]

    def dump(self) -> str:
        """The state as the hidden form field carries it."""
        answers = {k: list(v) if isinstance(v, tuple) else v for k, v in self.answers.items()}
        return json.dumps({"answers": answers, "shown": sorted(self.shown)}, sort_keys=True)


def load_state(text: str | None) -> WizardState:
    """Parse the hidden state field (empty for the first page)."""
    if not text:
        return WizardState({}, frozenset())
    try:
        data = json.loads(text)
        answers = dict(data["answers"])
        shown = frozenset(str(k) for k in data["shown"])
    except (ValueError, KeyError, TypeError):
        raise InputError("state: the questionnaire state was damaged; please start again") from None
    return WizardState(answers, shown)


def next_page(kb: KnowledgeBase, state: WizardState) -> tuple[str, list[Question]]:
    """The next section title and its questions not yet shown (empty when finished)."""
    page: list[Question] = []
    section = ""
    for question in questions(kb):
        if question.key in state.shown:
            continue
        if question.ask_if is not None and not question.ask_if(state.answers):
            continue
        if page and question.section != section:
            break
        section = question.section
        page.append(question)
    return section, page


def apply_page(state: WizardState, page: list[Question], form: Mapping[str, Any]) -> WizardState:
    """Record one submitted page; a missing or invalid required answer is an InputError."""
    answers = dict(state.answers)
    for question in page:
        record(answers, question, parse_answer(question, form))
    return WizardState(answers, state.shown | {q.key for q in page})


def parse_answer(question: Question, form: Mapping[str, Any]) -> Any:
    """The typed answer to one question from the submitted form."""
    if question.kind == "multi":
        values = form.get(question.key) or []
        picked = [values] if isinstance(values, str) else list(values)
        unknown = [v for v in picked if v not in question.choices]
        if unknown:
            raise InputError(f"{question.key}: unknown choice {unknown[0]!r}")
        return tuple(picked)
    raw = form.get(question.key)
    raw = raw.strip() if isinstance(raw, str) else raw
    if raw in (None, ""):
        if question.optional:
            return None
        raise InputError(f"{question.key}: please answer “{question.text}”")
    if question.kind == "yes_no":
        if raw not in (YES, NO):
            raise InputError(f"{question.key}: expected yes or no, got {raw!r}")
        return raw == YES
    if question.kind == "choice":
        if raw not in question.choices:
            raise InputError(f"{question.key}: expected one of {', '.join(question.choices)}")
        return raw
    return _number(question, str(raw))


def _number(question: Question, raw: str) -> int | float:
    try:
        value: int | float = int(raw) if question.kind == "integer" else float(raw)
    except ValueError:
        kind = "a whole number" if question.kind == "integer" else "a number"
        raise InputError(f"{question.key}: expected {kind}, got {raw!r}") from None
    low, high = question.low, question.high
    if (low is not None and value < low) or (high is not None and value > high):
        raise InputError(f"{question.key}: expected {low:g}–{high:g}, got {raw}")
    return value

"""The questionnaire's flow: which questions come next and how they are grouped.

Warning-sign questions (yes/no questions that set a red-flag answer) that follow one
another are asked as one checklist ("any of these?"), a few conditions at a time, as
symptom checkers do; a yes/no that sets a value right after a multiple-choice question
becomes that list's last choice (numbness: where? / one leg weak); everything else is one
question at a time. Only questions that can still change the answer are asked
(`should_ask`). The terminal and the web app both walk this flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backstride.assess.interview import Answers, Question
    from backstride.knowledge.labels import Vocabulary
    from backstride.knowledge.model import KnowledgeBase

#: At most this many warning signs in one checklist (whole conditions are kept together).
CHECKLIST_MAX = 8
#: Which plain-label vocabulary names each multiple-choice question's answers.
VOCABULARY: dict[str, Vocabulary] = {
    "sex": "sex", "pain.onset": "onset", "pain.locations": "location",
    "neuro.numbness_or_tingling": "location", "pain.worse_with": "worse_with",
    "pain.better_with": "better_with", "history.trend": "trend",
}  # fmt: skip
#: Questionnaires whose items are shown together, as on their printed forms.
FORMS = ("start_back.", "rmdq.")


class Flow:
    """Where the questionnaire is: a first pass in order, then follow-up questions.

    The first pass asks what `should_ask` allows. Questions it skipped are visited once
    more at the end and asked when later answers opened a rule that reads them (a past
    cancer makes numbness matter even without leg pain).
    """

    def __init__(self, questions: Sequence[Question], kb: KnowledgeBase) -> None:
        self.questions, self.kb = list(questions), kb
        self.at, self.follow_up = 0, False
        self.skipped: list[Question] = []
        self.asked: set[str] = set()

    def next(self, answers: Answers) -> list[Question]:
        """The questions to ask now (one, or a checklist of warning signs); [] when done."""
        if not self.follow_up:
            group = self._first_pass(answers)
            if not group:
                self.follow_up, self.at = True, 0
        if self.follow_up:
            group = self._follow_up(answers)
        self.asked |= {q.key for q in group}
        return group

    def copy(self) -> Flow:
        """An independent copy (to look one group ahead without moving this flow)."""
        twin = Flow(self.questions, self.kb)
        twin.at, twin.follow_up = self.at, self.follow_up
        twin.skipped, twin.asked = list(self.skipped), set(self.asked)
        return twin

    def page(self, answers: Answers) -> list[Question]:
        """The next group, with a questionnaire's items gathered as on its printed form."""
        group = self.next(answers)
        form = _form_of(group)
        while form is not None:
            ahead = self.copy()
            more = ahead.next(answers)
            if _form_of(more) != form:
                break
            group = group + more
            self.at, self.follow_up = ahead.at, ahead.follow_up
            self.skipped, self.asked = ahead.skipped, ahead.asked
        return group

    def _first_pass(self, answers: Answers) -> list[Question]:
        from backstride.assess.interview import should_ask

        qs = self.questions
        while self.at < len(qs) and not should_ask(qs[self.at], answers, self.kb):
            self.skipped.append(qs[self.at])
            self.at += 1
        if self.at == len(qs):
            return []
        group, self.at = _group(qs, self.at, answers, self.kb, self.skipped)
        return group

    def _follow_up(self, answers: Answers) -> list[Question]:
        from backstride.assess.interview import should_follow_up

        unknown = frozenset(f for q in self.skipped for f in _fields(q))
        while self.at < len(self.skipped):
            question = self.skipped[self.at]
            self.at += 1
            if should_follow_up(question, answers, self.kb, unknown, frozenset(self.asked)):
                return [question]
        return []


def _fields(question: Question) -> tuple[str, ...]:
    return tuple(question.sets) if question.sets else (question.key,)


def _group(
    qs: Sequence[Question], i: int, answers: Answers, kb: KnowledgeBase, skipped: list[Question]
) -> tuple[list[Question], int]:
    """One question, or the run of warning signs from `i` (whole conditions, at most 8)."""
    from backstride.assess.interview import should_ask

    first = qs[i]
    pair = first.kind == "multi" and i + 1 < len(qs) and _extra_choice(qs[i + 1], first)
    if pair and should_ask(qs[i + 1], answers, kb):
        return [first, qs[i + 1]], i + 2  # one list: the yes/no is its last choice
    if _plain_yes_no(first):
        # plain yes/no questions that follow one another are one "any of these?" list
        run = [first]
        j = i + 1
        while j < len(qs) and _plain_yes_no(qs[j]) and qs[j].section == first.section:
            if should_ask(qs[j], answers, kb):
                run.append(qs[j])
            else:
                skipped.append(qs[j])
            j += 1
        return (run, j) if len(run) > 1 else ([first], i + 1)
    if not is_warning_sign(first):
        return [first], i + 1
    group: list[Question] = []
    j = i
    while j < len(qs) and is_warning_sign(qs[j]) and qs[j].section == first.section:
        if should_ask(qs[j], answers, kb):
            too_many = len(group) + _condition_size(qs, j) > CHECKLIST_MAX
            if group and _starts_condition(qs, j) and too_many:
                break
            group.append(qs[j])
        else:
            skipped.append(qs[j])
        j += 1
    return group, j


def _extra_choice(question: Question, after: Question) -> bool:
    """A yes/no that sets a value, asked as one more choice of the list before it."""
    return (
        question.kind == "yes_no" and question.sets is not None
        and question.section == after.section and not is_warning_sign(question)
    )  # fmt: skip


def _plain_yes_no(question: Question) -> bool:
    """A yes/no about a case field (questionnaire items keep their own answer format)."""
    from backstride.assess.conditions import known_fields

    return question.kind == "yes_no" and question.sets is None and question.key in known_fields()


def is_checklist(group: Sequence[Question]) -> bool:
    """Asked as one list of numbers: warning signs, or several plain yes/no questions."""
    return is_warning_sign(group[0]) or (len(group) > 1 and _plain_yes_no(group[0]))


def is_warning_sign(question: Question) -> bool:
    """A red flag's own question (its key is the trigger's id, not a case field)."""
    from backstride.assess.conditions import known_fields

    return question.sets is not None and question.key not in known_fields()


def _condition(question: Question) -> str:
    return question.key.split(".", 1)[0]


def _starts_condition(questions: Sequence[Question], j: int) -> bool:
    return j == 0 or _condition(questions[j - 1]) != _condition(questions[j])


def _condition_size(questions: Sequence[Question], j: int) -> int:
    name = _condition(questions[j])
    size = 0
    while j + size < len(questions) and _condition(questions[j + size]) == name:
        size += 1
    return size


def _form_of(group: Sequence[Question]) -> str | None:
    """The questionnaire a group's items belong to (its offer question excluded)."""
    if not group or group[0].key == "rmdq.wanted":
        return None
    return next((f for f in FORMS if group[0].key.startswith(f)), None)


def choice_labels(kb: KnowledgeBase, question: Question) -> tuple[str, ...]:
    """The plain words for each of a question's choices (its own labels when it has them)."""
    from backstride.knowledge.labels import plain

    if question.labels:
        return question.labels
    vocabulary = VOCABULARY.get(question.key)
    return tuple(
        plain(kb, vocabulary, c) if vocabulary else c.replace("_", " ") for c in question.choices
    )

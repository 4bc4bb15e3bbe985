"""The interactive questionnaire as data: which question comes next, and what it stores.

Pure: the CLI asks each `Question` and hands the answer back. Emergency questions come
first (from the red-flag records' triggers); the caller stops as soon as the answers so
far raise an emergency. Beyond that, a question is asked only while a rule that reads
its answer is still open (`should_ask`, `assess.relevance`); the inflammatory questions
are skipped from the age the spondyloarthritis pattern needs the pain to have begun before.
The words of every question are records (`question.<key>`, `text.interview`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from backstride.assess.casefile import case_from_data
from backstride.assess.intake import BetterWith, Case, Onset, Sex, Trend, WorseWith
from backstride.assess.questionnaires import RMDQ_ID, STARTBACK_ID, answer_code
from backstride.assess.redflags import red_flag_records
from backstride.assess.relevance import is_read_by_rules, open_rules_read
from backstride.domain.vocabulary import LEG_LOCATIONS, LOCATIONS
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import Pattern, Questionnaire, Trigger, WeakTrigger
from backstride.knowledge.texts import question_text, screen_text

Answers = dict[str, Any]
Kind = Literal["yes_no", "integer", "number", "choice", "multi"]
LEG = LEG_LOCATIONS
#: The pattern whose onset age decides whether its history questions are asked.
INFLAMMATORY_ID = "pattern.inflammatory"


@dataclass(frozen=True)
class Question:
    """One question: `key` is the dotted case field (or a questionnaire slot) it fills."""

    key: str
    text: str
    kind: Kind
    section: str
    choices: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # how to show the choices, when not the codes themselves
    low: float | None = None
    high: float | None = None
    optional: bool = False
    sets: Mapping[str, Any] | None = None  # a "yes" stores these instead of `key`
    ask_if: Callable[[Answers], bool] | None = field(default=None, compare=False)
    records: tuple[str, ...] = ()  # the records whose words it asks in


def _leg_pain(answers: Answers) -> bool:
    return any(loc in LEG for loc in answers.get("pain.locations", ()))


def _younger_than(age: float) -> Callable[[Answers], bool]:
    return lambda answers: isinstance(answers.get("age"), int) and answers["age"] < age


def _inflammatory_onset_age(kb: KnowledgeBase) -> float:
    """The age the inflammatory pattern needs the pain to have begun before."""
    requires = kb.one(Pattern, INFLAMMATORY_ID).requires
    age = requires.lt if requires is not None else None
    assert age is not None, "the inflammatory pattern requires an age at onset (an lt test)"
    return age


def _unanswered(key: str) -> Callable[[Answers], bool]:
    return lambda answers: key not in answers


def questions(kb: KnowledgeBase) -> Iterator[Question]:
    """Every question in order; the caller skips those whose `ask_if` is false."""
    yield from _red_flag_questions(kb, "emergency", _section(kb, "safety"))
    yield from _pain_questions(kb)
    yield from _red_flag_questions(kb, "urgent", _section(kb, "health"))
    yield from _history_questions(kb)
    yield from _running_questions(kb)
    yield from _start_back_questions(kb)
    yield _ask(kb, "rmdq.wanted", "yes_no", _section(kb, "rmdq_offer"))
    yield from _rmdq_questions(kb)


def _section(kb: KnowledgeBase, name: str) -> str:
    return screen_text(kb, "interview", f"section_{name}")


def _ask(kb: KnowledgeBase, key: str, kind: Kind, section: str, **shape: Any) -> Question:
    """The question that fills `key`, in the words of its record (`question.<key>`)."""
    record = f"question.{key}"
    return Question(key, question_text(kb, key), kind, section, **shape, records=(record,))


def _red_flag_questions(kb: KnowledgeBase, urgency: str, section: str) -> Iterator[Question]:
    for record in red_flag_records(kb):
        if record.urgency != urgency:
            continue
        asked: list[Trigger | WeakTrigger] = [*record.triggers, *record.weak_triggers]
        for trigger in asked:
            if trigger.question is None or trigger.sets is None:
                continue
            first = next(iter(trigger.sets))
            yield Question(
                trigger.id, trigger.question, "yes_no", section,
                sets=trigger.sets, ask_if=_unanswered(first), records=(trigger.id,),
            )  # fmt: skip


def _pain_questions(kb: KnowledgeBase) -> Iterator[Question]:
    s = _section(kb, "pain")
    yield _ask(kb, "age", "integer", s, low=0, high=120)
    yield _ask(kb, "sex", "choice", s, choices=_SEXES, optional=True)
    yield _ask(kb, "pain.intensity", "integer", s, low=0, high=10)
    yield _ask(kb, "pain.worst_24h", "integer", s, low=0, high=10, optional=True)
    yield _ask(kb, "pain.started_days_ago", "integer", s, low=0, high=36500, optional=True)
    yield _ask(kb, "pain.onset", "choice", s, choices=_ONSETS, ask_if=_unanswered("pain.onset"))
    yield _ask(kb, "pain.locations", "multi", s, choices=LOCATIONS)
    yield _ask(kb, "pain.leg_pain_worse_than_back", "yes_no", s, ask_if=_leg_pain)
    yield _ask(kb, "neuro.numbness_or_tingling", "multi", s, choices=LEG,
               ask_if=_unanswered("neuro.numbness_or_tingling"))  # fmt: skip
    yield _ask(kb, "neuro.leg_weakness", "yes_no", s,
               sets={"neuro.leg_weakness": "stable_one_side"},
               ask_if=_unanswered("neuro.leg_weakness"))  # fmt: skip
    yield _ask(kb, "pain.worse_with", "multi", s, choices=_WORSE)
    yield _ask(kb, "pain.better_with", "multi", s, choices=_BETTER)
    yield _ask(kb, "pain.morning_stiffness_minutes", "integer", s, low=0, high=1440,
               optional=True)  # fmt: skip
    yield _ask(kb, "pain.wakes_second_half_of_night", "yes_no", s)


def _history_questions(kb: KnowledgeBase) -> Iterator[Question]:
    s = _section(kb, "history")
    # Asked only while the spondyloarthritis rule's onset age can still hold.
    younger = _younger_than(_inflammatory_onset_age(kb))
    yield _ask(kb, "general.family_history_spondyloarthritis", "yes_no", s, ask_if=younger)
    yield _ask(kb, "general.psoriasis_or_arthritis_or_enthesitis", "yes_no", s, ask_if=younger)
    # The trend first: when it is improving (or not known), the weeks of self-care cannot
    # change the answer and are not asked (see should_ask).
    yield _ask(kb, "history.trend", "choice", s, choices=get_args(Trend), optional=True)
    yield _ask(kb, "history.self_care_weeks", "number", s, low=0, high=520, optional=True)
    yield _ask(kb, "history.previous_episodes", "integer", s, low=0, high=1000, optional=True)
    yield _ask(kb, "history.pain_after_every_run", "yes_no", s)


def _running_questions(kb: KnowledgeBase) -> Iterator[Question]:
    s = _section(kb, "running")
    yield _ask(kb, "running.wanted", "yes_no", s)
    # What the person can do now: the plan's start (plan_start rules) reads both.
    yield _ask(kb, "running.running_now", "yes_no", s, ask_if=_wants_running)
    yield _ask(kb, "running.walk_minutes_now", "integer", s, low=0, high=1440, optional=True,
               ask_if=_not_running_now)  # fmt: skip
    for key, low, high in _RUNNING:
        kind: Kind = "integer" if key in _INTEGER_RUNNING else "number"
        yield _ask(kb, f"running.{key}", kind, s, low=low, high=high, optional=True,
                   ask_if=_wants_running)  # fmt: skip


def _wants_running(answers: Answers) -> bool:
    return answers.get("running.wanted") is True


def _not_running_now(answers: Answers) -> bool:
    return _wants_running(answers) and answers.get("running.running_now") is False


def _start_back_questions(kb: KnowledgeBase) -> Iterator[Question]:
    tool = kb.one(Questionnaire, STARTBACK_ID)
    labels = " / ".join(f"{'ny'[i]} = {label}" for i, label in enumerate(tool.answer_labels))
    section = f"{tool.name}\n{tool.copyright}\n{tool.instructions}\n({labels})"
    for item in tool.items:
        key = f"start_back.{item.number}"
        if item.answers:
            codes = tuple(answer_code(label) for label in item.answers)
            yield Question(key, item.text, "choice", section, choices=codes,
                           labels=item.answers, records=(tool.id,))  # fmt: skip
        else:
            yield Question(key, item.text, "yes_no", section, records=(tool.id,))


def _rmdq_questions(kb: KnowledgeBase) -> Iterator[Question]:
    tool = kb.one(Questionnaire, RMDQ_ID)
    section = f"{tool.name}\n{tool.instructions}"
    for item in tool.items:
        yield Question(f"rmdq.{item.number}", item.text, "yes_no", section, ask_if=_wants_rmdq,
                       records=(tool.id,))  # fmt: skip


def _wants_rmdq(answers: Answers) -> bool:
    return answers.get("rmdq.wanted") is True


def should_ask(question: Question, answers: Answers, kb: KnowledgeBase) -> bool:
    """True when the question can still change the answer, given the answers so far.

    Beyond its own `ask_if`, a question about a case field is asked only while a rule
    that reads the field is still open (`assess.relevance`); a field no rule reads is
    not asked. Questionnaires, the offers, age and pain now are always asked.
    """
    if question.ask_if is not None and not question.ask_if(answers):
        return False
    if question.key in _ALWAYS or question.key.startswith(_ALWAYS):
        return True
    fields = tuple(question.sets) if question.sets else (question.key,)
    if not is_read_by_rules(fields, kb):
        return False
    return open_rules_read(fields, case_answers(answers), _unknown(question, answers, kb), kb)


def should_follow_up(
    question: Question,
    answers: Answers,
    kb: KnowledgeBase,
    unknown: frozenset[str],
    asked: frozenset[str] = frozenset(),
) -> bool:
    """After the first pass: ask a skipped question when later answers opened a warning
    sign that reads it (a past cancer makes numbness matter even without leg pain).

    `unknown` holds the fields of every question skipped so far (their `ask_if` aside);
    `asked` the keys of the questions already asked (a warning sign's "no" stands).
    """
    if question.key in _ALWAYS or question.key.startswith(_ALWAYS):
        return False
    fields = tuple(question.sets) if question.sets else (question.key,)
    if set(fields) & set(answers) or not is_read_by_rules(fields, kb):
        return False
    known = case_answers(answers)
    return open_rules_read(fields, known, unknown - set(answers), kb, red_flags_only=True,
                           settled=asked)  # fmt: skip


def _unknown(question: Question, answers: Answers, kb: KnowledgeBase) -> frozenset[str]:
    """Fields this question and the ones after it fill, not answered yet."""
    order = _order(kb)
    later = order[[key for key, _ in order].index(question.key) :]
    return frozenset(f for _, fields in later for f in fields) - set(answers)


_ORDERS: dict[str, list[tuple[str, tuple[str, ...]]]] = {}


def _order(kb: KnowledgeBase) -> list[tuple[str, tuple[str, ...]]]:
    if kb.digest not in _ORDERS:
        _ORDERS[kb.digest] = [(q.key, tuple(q.sets) if q.sets else (q.key,)) for q in questions(kb)]
    return _ORDERS[kb.digest]


def record(answers: Answers, question: Question, value: Any) -> None:
    """Store one answer (a "yes" to a screening question stores its `sets`)."""
    if question.sets is not None:
        if value is True:
            answers.update(question.sets)
        return
    if value is not None:
        answers[question.key] = value


def case_answers(answers: Answers) -> dict[str, Any]:
    """The dotted case fields among the answers (questionnaire slots left out)."""
    slots = ("start_back.", "rmdq.", "running.wanted")
    return {k: v for k, v in answers.items() if not k.startswith(slots)}


def to_case(answers: Answers) -> Case:
    """The finished questionnaire as a validated case."""
    data: dict[str, Any] = {}
    for key, value in case_answers(answers).items():
        *parents, leaf = key.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = list(value) if isinstance(value, tuple) else value
    start_back = [answers[f"start_back.{n}"] for n in range(1, 10) if f"start_back.{n}" in answers]
    if len(start_back) == 9:
        data["start_back"] = start_back
    if answers.get("rmdq.wanted") is True:
        data["rmdq"] = [n for n in range(1, 25) if answers.get(f"rmdq.{n}") is True]
    return case_from_data(data)


#: Asked whatever the rules say: required answers, the offers and the questionnaires.
_ALWAYS = ("age", "pain.intensity", "start_back.", "rmdq.", "running.")
_SEXES: tuple[str, ...] = get_args(Sex)
#: A major trauma is asked as a warning sign of its own, not as one of the ways it began.
_ONSETS = tuple(o for o in get_args(Onset) if o != "major_trauma")
_WORSE: tuple[str, ...] = get_args(WorseWith)
_BETTER: tuple[str, ...] = get_args(BetterWith)
_INTEGER_RUNNING = frozenset({"runs_per_week", "strength_sessions_per_week"})
_RUNNING = (
    ("weekly_km", 0, 500),
    ("weekly_km_prior", 0, 500),
    ("runs_per_week", 0, 21),
    ("longest_run_km", 0, 300),
    ("longest_run_prior_30d_km", 0, 300),
    ("cadence_spm", 60, 260),
    ("shoe_km", 0, 10000),
    ("strength_sessions_per_week", 0, 14),
    ("sitting_hours_per_day", 0, 24),
)

"""Clinical-rule schemas (red flags, triage, patterns, duration, questionnaires) read by `assess`.

Rules are data: each condition is a small declarative tree over dotted case fields
(`pain.intensity`, `neuro.bladder_change`) and derived facts (`derived.duration`), which
`backstride.assess.conditions` interprets. Nothing here knows the case model itself; a test
checks that every field a rule names exists.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from backstride.knowledge.model import ID_PATTERN, Record, Strict

Scalar = bool | int | float | str
UrgencyLevel = Literal["emergency", "urgent", "soon", "self_care"]

_FIELD_TESTS = (
    "equals", "in_", "contains", "contains_any", "not_empty", "absent", "gt", "ge", "lt", "le",
)  # fmt: skip
_TREE_FORMS = ("any_", "all_", "not_", "at_least", "red_flag")


class Condition(Strict):
    """One test: `{field, <test>}`, `{any: [...]}`, `{all: [...]}`, `{not: {...}}`,
    `{at_least: n, of: [...]}` or `{red_flag: id}` (true when that flag has been raised).

    Red-flag triggers never use `not`, so adding a red-flag answer can only add flags.
    """

    field: str | None = Field(default=None, pattern=r"^[a-z_]+(\.[a-z0-9_]+)*$")
    equals: Scalar | None = None
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in")
    contains: str | None = None
    contains_any: tuple[str, ...] | None = None
    not_empty: Literal[True] | None = None
    absent: Literal[True] | None = None  # the answer was not given (None)
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    any_: tuple[Condition, ...] | None = Field(default=None, alias="any", min_length=1)
    all_: tuple[Condition, ...] | None = Field(default=None, alias="all", min_length=1)
    not_: Condition | None = Field(default=None, alias="not")
    at_least: int | None = Field(default=None, ge=1)
    of: tuple[Condition, ...] | None = None
    red_flag: str | None = None

    @model_validator(mode="after")
    def _exactly_one_form(self) -> Condition:
        tests = [name for name in _FIELD_TESTS if getattr(self, name) is not None]
        trees = [name for name in _TREE_FORMS if getattr(self, name) is not None]
        if self.field is not None:
            if len(tests) != 1 or trees:
                raise ValueError("a field condition needs exactly one test (equals, in, ...)")
        elif tests or len(trees) != 1:
            raise ValueError("a condition is a field test, any, all, not, at_least+of or red_flag")
        if (self.at_least is None) != (self.of is None):
            raise ValueError("at_least and of go together")
        if self.of is not None and self.at_least is not None and self.at_least > len(self.of):
            raise ValueError("at_least is larger than the number of conditions in of")
        return self


Answer = Scalar | tuple[str, ...]


class DiaryQuestion(Strict):
    """The diary's quick "is this new?" check for a trigger: its stored id and short text.

    A tick stores `sets` on the latest case (the trigger's own `sets` when absent) and the
    real triage runs again; the id is what diary entries keep, so it never changes.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str = Field(min_length=3)
    sets: dict[str, Answer] | None = None


class Trigger(Strict):
    """One way a red flag is raised, with the reason in plain words.

    `question` is the yes/no question the interactive screen asks; a "yes" stores the
    answers in `sets` (dotted field -> value). Triggers built only from answers asked
    elsewhere (age, combinations) have no question. `diary` is the diary's check for it.
    """

    id: str = Field(pattern=ID_PATTERN)
    when: Condition
    text: str = Field(min_length=3)
    question: str | None = None
    sets: dict[str, Answer] | None = None
    diary: DiaryQuestion | None = None

    @model_validator(mode="after")
    def _question_with_answers(self) -> Trigger:
        if (self.question is None) != (self.sets is None):
            raise ValueError("question and sets go together")
        if self.diary is not None and self.diary.sets is None and self.sets is None:
            raise ValueError("a diary question needs sets (its own or the trigger's)")
        return self


class WeakTrigger(Strict):
    """A weak flag (such as age alone): reported, never escalating on its own.

    A weak flag may carry the interview's question for the answer it reads (risk factors
    such as long-term steroids are asked, reported, and escalate only in combination).
    """

    id: str = Field(pattern=ID_PATTERN)
    when: Condition
    text: str = Field(min_length=3)
    question: str | None = None
    sets: dict[str, Answer] | None = None

    @model_validator(mode="after")
    def _question_with_answers(self) -> WeakTrigger:
        if (self.question is None) != (self.sets is None):
            raise ValueError("question and sets go together")
        return self


class RedFlag(Record):
    """A suspected serious condition: its urgency and every trigger that raises it.

    `condition` is its plain name; `summary` says in a sentence what raised it, for the
    person and the clinician (the one home of both; no other table of flag names).
    """

    condition: str = Field(min_length=3)
    summary: str = Field(min_length=3)
    urgency: Literal["emergency", "urgent"]
    triggers: tuple[Trigger, ...] = Field(min_length=1)
    weak_triggers: tuple[WeakTrigger, ...] = ()


ReferralReasonId = Literal[
    "radicular",
    "not_recovering",
    "chronic",
    "inflammatory",
    "under_16",
    "high_psychosocial_risk",
    "neurogenic_claudication",
    "thoracic_pain",
]


class TriageRule(Record):
    """An urgency level (no `when`), a referral rule (`reason` + `when`) or a note (`note`).

    An urgency level is the one table of what each level tells a person: `action` (what to
    do now), `label` (a short heading) and `heading` (the level with its action in a line).
    A referral rule's `plain` names the reason in plain words. A note (`note` + `when`) is
    reported with the result and never changes the urgency.
    """

    urgency: UrgencyLevel
    rank: int = Field(ge=0, le=3)
    text: str = Field(min_length=3)
    action: str | None = None
    label: str | None = None
    heading: str | None = None
    plain: str | None = None
    reason: ReferralReasonId | None = None
    note: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    when: Condition | None = None

    @model_validator(mode="after")
    def _referral_has_reason_and_condition(self) -> TriageRule:
        kinds = [self.reason is not None, self.note is not None]
        if sum(kinds) > 1:
            raise ValueError("a rule is a referral (reason) or a note, not both")
        if any(kinds) != (self.when is not None):
            raise ValueError("a referral rule or a note needs when, and an urgency level none")
        if self.when is None and (self.action is None or self.label is None or not self.heading):
            raise ValueError("an urgency level needs an action, a label and a heading")
        if self.reason is not None and self.plain is None:
            raise ValueError("a referral rule needs its plain words (plain)")
        return self


class SafetyNet(Record):
    """One list of the safety net every self-care and referral output carries.

    `level` says which list: `emergency` (go to an emergency department now if ...) or
    `same_day` (see a doctor today if ...); `heading` introduces `items`, in plain words.
    """

    level: Literal["emergency", "same_day"]
    heading: str = Field(min_length=3)
    items: tuple[str, ...] = Field(min_length=1)


class DurationClass(Record):
    """A duration class by whole days since the episode began (inclusive bounds)."""

    duration: Literal["acute", "subacute", "chronic"]
    min_days: int = Field(ge=0)
    max_days: int | None = Field(default=None, ge=0)
    text: str = Field(min_length=3)


class PatternFeature(Strict):
    """One feature pointing at a pattern, with its weight."""

    id: str = Field(pattern=ID_PATTERN)
    when: Condition
    weight: int = Field(ge=1, le=10)
    text: str = Field(min_length=3)


class Pattern(Record):
    """A likely pattern (not a diagnosis): weighted features, a threshold and exclusions."""

    pattern: Literal["nonspecific", "radicular", "sacroiliac", "inflammatory"]
    name: str = Field(min_length=3)
    summary: str = Field(min_length=3)
    features: tuple[PatternFeature, ...] = Field(min_length=1)
    min_score: int = Field(ge=0)
    requires: Condition | None = None
    excluded_by: Condition | None = None
    #: When this holds the pattern may be listed but never first (NG65: not before 3 months).
    not_first_when: Condition | None = None
    fallback: bool = False


class QuestionnaireItem(Strict):
    """One item as published: its number, exact text and (when not agree/tick) its answers."""

    number: int = Field(ge=1)
    text: str = Field(min_length=3)
    answers: tuple[str, ...] = ()
    scoring_answers: tuple[str, ...] = ()


class Questionnaire(Record):
    """A published instrument reproduced word for word, with its scoring thresholds."""

    name: str = Field(min_length=3)
    instructions: str = Field(min_length=3)
    items: tuple[QuestionnaireItem, ...] = Field(min_length=1)
    answer_labels: tuple[str, ...] = ()
    copyright: str | None = None
    licence: str = Field(min_length=3)
    subscale_items: tuple[int, ...] = ()
    thresholds: dict[str, int] = Field(default_factory=dict)


RULE_KINDS: dict[str, type[BaseModel]] = {
    "red_flag": RedFlag,
    "triage_rule": TriageRule,
    "duration_class": DurationClass,
    "pattern": Pattern,
    "questionnaire": Questionnaire,
    "safety_net": SafetyNet,
}

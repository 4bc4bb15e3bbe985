"""Plan rule schemas: where a plan starts (stage-matched start) and how doses move.

The plan reads these by id or in their `rank` order; the numbers and the sentences a person
reads live in `plan_start.yaml` and `plan_dosing.yaml`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from backstride.knowledge.content import PHASES, Phase
from backstride.knowledge.model import KnowledgeBase, Record, Strict
from backstride.knowledge.templates import check_template

DurationWord = Literal["acute", "subacute", "chronic", "unknown"]
TrendWord = Literal["improving", "same", "worse", "unknown"]
#: How running comes back: kept at a reduced volume, rebuilt with the walk-run stages, or
#: waiting until leg symptoms have settled (the walk-run then starts from the diary).
RunningMode = Literal["reduced", "walk_run", "after_leg_symptoms"]

#: Fields a start rule's text may use (filled from the case).
START_FIELDS = frozenset({"pain", "worst", "days", "rest_days", "weekly_km"})


class StartWhen(Strict):
    """The conditions of a start rule; an unset condition always holds."""

    min_pain_now: int | None = Field(default=None, ge=0, le=10)
    max_pain_now: int | None = Field(default=None, ge=0, le=10)
    max_worst_pain: int | None = Field(default=None, ge=0, le=10)
    durations: tuple[DurationWord, ...] = ()
    trends: tuple[TrendWord, ...] = ()
    running_now: bool | None = None
    leg_symptoms: bool | None = None
    #: The person can walk at least this many minutes now (unknown walking passes).
    min_walk_minutes: int | None = Field(default=None, ge=0, le=240)


class StartRule(Record):
    """Where the plan starts for people who match `when`: the first rule (by rank) wins."""

    rank: int = Field(ge=0)
    when: StartWhen
    phase: Phase
    rest_days: int = Field(ge=0, le=14)  # days of relative rest from running first
    running: RunningMode
    title: str = Field(min_length=3)
    text: str = Field(min_length=3)

    @model_validator(mode="after")
    def _text_is_a_template(self) -> StartRule:
        check_template(self.text, START_FIELDS)
        return self


class PlanDosing(Record):
    """How doses move: strength ramp and deload, reduced running, rest days, phase lengths."""

    ramp_weeks: int = Field(ge=1, le=12)  # weeks from an exercise's dose to its top dose
    deload_weeks: int = Field(ge=1, le=4)  # ramp weeks given back after a flare
    rest_day: int = Field(ge=0, le=6)  # the plan-week day (0 = first) that is a full rest day
    phase_min_days: dict[Phase, int]  # earliest length of a phase (the diary moves on)
    exercise_recent_days: int = Field(ge=1, le=90)  # exercises logged since place the phase
    default_weeks: int = Field(ge=1, le=52)  # a plan's length unless the person asks
    caseless_pain: int = Field(ge=0, le=10)  # the pain a plan made without a case starts from
    reduced_start_fraction: float = Field(gt=0, le=1)  # of the usual weekly distance
    reduced_deload_fraction: float = Field(gt=0, le=1)  # after a flare
    reduced_weekly_rise_pct: float = Field(gt=0, le=100)  # capped by the weekly-jump rule
    reduced_rpe_max: int = Field(ge=1, le=10)
    runs_per_week_max: int = Field(ge=1, le=7)
    min_run_km: float = Field(gt=0, le=10)  # a planned run shorter than this becomes a walk
    default_runs_per_week: int = Field(ge=1, le=7)
    severe_pain: int = Field(ge=1, le=10)  # pain now from which acute_severe cautions apply
    #: Exercises a session chooses only when matched care names them (plan_care).
    only_with_care: tuple[str, ...] = Field(
        default=(), json_schema_extra={"refers_to_records": True}
    )

    @model_validator(mode="after")
    def _every_phase_before_running_has_a_length(self) -> PlanDosing:
        before = PHASES[: PHASES.index("return_to_run")]
        if missing := [p for p in before if p not in self.phase_min_days]:
            raise ValueError(f"phase_min_days: missing {', '.join(missing)}")
        return self


def start_rules(kb: KnowledgeBase) -> tuple[StartRule, ...]:
    """The start rules in rank order."""
    return tuple(sorted(kb.of(StartRule), key=lambda r: r.rank))


DOSING_ID = "plan.dosing"


def plan_dosing(kb: KnowledgeBase) -> PlanDosing:
    """The one dosing record."""
    return kb.one(PlanDosing, DOSING_ID)


#: What matched care keys on: a pattern, a lifting strain, or the STarT Back risk group.
CareFacet = Literal[
    "radicular", "sacroiliac", "inflammatory", "lifting",
    "start_back_low", "start_back_medium", "start_back_high",
]  # fmt: skip


class PlanCare(Record):
    """Care matched to one facet: plan texts for "Made for you" and exercises put first."""

    when: CareFacet
    items: tuple[str, ...] = Field(min_length=1, json_schema_extra={"refers_to_records": True})
    exercises_first: tuple[str, ...] = Field(
        default=(), json_schema_extra={"refers_to_records": True}
    )


CheckInVerdict = Literal["advance", "repeat", "ease"]
#: Fields a check-in reason may use (filled from the check-ins and the rule).
CHECKIN_FIELDS = frozenset(
    {"pain", "previous_pain", "function", "previous_function", "sessions", "min_sessions",
     "steps", "goal_steps", "goal", "rise_points", "drop_points"}
)  # fmt: skip


class CheckInRule(Record):
    """How a weekly check-in re-tailors next week: ease, repeat or advance, and the step goal."""

    max_age_days: int = Field(ge=1, le=28)  # a check-in older than this is not used
    pain_rise_points: int = Field(ge=1, le=10)  # pain this much above last week: ease
    function_drop_points: int = Field(ge=1, le=10)  # function this much below: ease
    min_sessions: int = Field(ge=0, le=14)  # fewer sessions done: repeat the week
    step_rise_pct: float = Field(ge=0, le=50)  # the step goal's weekly rise on advance
    step_goal_min: int = Field(ge=0, le=30000)
    step_goal_max: int = Field(ge=1000, le=40000)
    titles: dict[CheckInVerdict, str]
    reasons: dict[str, str]
    steps_text: str
    goal_text: str

    @model_validator(mode="after")
    def _templates(self) -> CheckInRule:
        for text in (*self.titles.values(), *self.reasons.values(), self.steps_text,
                     self.goal_text):  # fmt: skip
            check_template(text, CHECKIN_FIELDS)
        return self


CHECKIN_ID = "plan.checkin"


PLAN_RULE_KINDS: dict[str, type[BaseModel]] = {
    "plan_checkin_rule": CheckInRule,
    "plan_start_rule": StartRule,
    "plan_dosing": PlanDosing,
    "plan_care": PlanCare,
}

"""Care-rule schemas read by `plan` and `progress`: the pain-monitoring rule, change limits.

Every number the engines compare with, and every sentence they say about it, is a field
here; the code only interprets them. Sentence fields are templates whose `{name}` fields
are checked at load against what the engine fills in.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from backstride.knowledge.model import Record
from backstride.knowledge.templates import check_texts, fill

MonitoringReason = Literal[
    "new_leg_symptoms",
    "pain_during_high",
    "pain_next_morning_high",
    "next_morning_unknown",
    "not_settled",
    "week_rising",
    "rule_held",
    "too_few_entries",
    "repeat_step",
    "new_red_flag",
    "where_runs",
    "where_exercises",
    "where_pain_only",
]

#: The fields each reason's template may use (what the monitoring engine fills in).
MONITORING_FIELDS: dict[MonitoringReason, frozenset[str]] = {
    "new_leg_symptoms": frozenset(),
    "pain_during_high": frozenset({"pain_during", "max_pain"}),
    "pain_next_morning_high": frozenset({"pain_next_morning", "max_pain"}),
    "next_morning_unknown": frozenset(),
    "not_settled": frozenset({"pain_next_morning", "usual"}),
    "week_rising": frozenset({"rise_points"}),
    "rule_held": frozenset({"max_pain"}),
    "too_few_entries": frozenset({"min_entries"}),
    "repeat_step": frozenset({"runs_per_stage"}),
    "new_red_flag": frozenset(),
    "where_runs": frozenset({"runs", "stage", "recent_weeks"}),
    "where_exercises": frozenset({"phase"}),
    "where_pain_only": frozenset(),
}


class PainMonitoringRule(Record):
    """The pain-monitoring rule for loading (runs and exercise), one record for every engine.

    Per run: new leg symptoms or pain above `max_pain` during the run or the next morning
    step back; an unknown next morning, pain not back to its usual level, or a week whose
    mean pain rose by `week_rise_points` hold; otherwise the rule held.
    """

    max_pain: int = Field(ge=0, le=10, description="highest acceptable pain, during and after")
    week_rise_points: float = Field(gt=0, le=10)
    window_days: int = Field(ge=1, le=14, description="the week the plan judges")
    recent_days: int = Field(ge=7, le=90, description="how far back runs count")
    min_entries_per_week: int = Field(ge=1, le=14)
    runs_per_stage: int = Field(ge=1, le=7)
    reasons: dict[MonitoringReason, str]

    @model_validator(mode="after")
    def _every_reason_is_a_valid_template(self) -> PainMonitoringRule:
        check_texts(self.reasons, MONITORING_FIELDS, what="reasons")
        return self


ChangeText = Literal[
    "worsening",
    "not_recovering",
    "flaring",
    "chronic",
    "change_counts",
    "improved",
    "worsened",
    "better_not_yet",
    "not_better_yet",
]

CHANGE_FIELDS: dict[ChangeText, frozenset[str]] = {
    "worsening": frozenset(),
    "not_recovering": frozenset({"weeks", "pain_points", "percent"}),
    "flaring": frozenset({"runs"}),
    "chronic": frozenset({"weeks", "chronic_weeks"}),
    "change_counts": frozenset({"pain_points", "percent"}),
    "improved": frozenset({"counts"}),
    "worsened": frozenset(),
    "better_not_yet": frozenset({"counts"}),
    "not_better_yet": frozenset({"counts"}),
}


class ChangeRule(Record):
    """Meaningful change, trend and the escalation limits of the pain diary.

    A drop of `pain_points` or of `fraction` of the baseline is meaningful (Ostelo 2008);
    worsening needs the absolute points. Without meaningful improvement after
    `not_recovering_days` of self-care, or after `flaring_runs` runs in a row that broke the
    pain-monitoring rule, the person is "not recovering"; more than `chronic_days` is chronic.
    """

    pain_points: float = Field(gt=0, le=10)
    fraction: float = Field(gt=0, lt=1)
    trend_points: float = Field(gt=0, le=10)
    window_days: int = Field(ge=1, le=28)
    not_recovering_days: int = Field(ge=1, le=365)
    flaring_runs: int = Field(ge=1, le=10)
    chronic_days: int = Field(ge=28, le=365)
    texts: dict[ChangeText, str]

    @model_validator(mode="after")
    def _every_text_is_a_valid_template(self) -> ChangeRule:
        check_texts(self.texts, CHANGE_FIELDS, what="texts")
        return self

    def say(self, name: ChangeText, **values: object) -> str:
        """One of the rule's sentences, filled with its own limits and `values`."""
        limits = {"pain_points": self.pain_points, "percent": self.fraction * 100}
        return fill(self.texts[name], {**limits, "chronic_weeks": self.chronic_days // 7, **values})


AssociationText = Literal["higher", "lower", "strong", "moderate", "weak", "hypothesis"]
ASSOCIATION_FIELDS: dict[AssociationText, frozenset[str]] = {
    "higher": frozenset(),
    "lower": frozenset(),
    "strong": frozenset(),
    "moderate": frozenset(),
    "weak": frozenset(),
    "hypothesis": frozenset({"description", "direction", "strength", "r", "days"}),
}


class AssociationWords(Record):
    """The within-person pain-load association and how it is said: at least `min_days`
    paired days, spike ratios against the longest run of the spike rule's window (one of at
    least `min_reference_m`), each load feature's name, the strength of the link (|r| from
    `strong_r`, from `moderate_r`) and the hypothesis."""

    min_days: int = Field(ge=3, le=365)
    min_reference_m: float = Field(gt=0, le=100_000)
    features: dict[str, str]
    strong_r: float = Field(gt=0, lt=1)
    moderate_r: float = Field(gt=0, lt=1)
    texts: dict[AssociationText, str]

    @model_validator(mode="after")
    def _every_text_is_a_valid_template(self) -> AssociationWords:
        check_texts(self.texts, ASSOCIATION_FIELDS, what="texts")
        if self.moderate_r >= self.strong_r:
            raise ValueError("moderate_r must be below strong_r")
        return self

    def strength(self, r: float) -> str:
        """The words for how strong a correlation `r` is."""
        size = abs(r)
        if size >= self.strong_r:
            return self.texts["strong"]
        return self.texts["moderate"] if size >= self.moderate_r else self.texts["weak"]


CARE_KINDS: dict[str, type[BaseModel]] = {
    "pain_monitoring_rule": PainMonitoringRule,
    "change_rule": ChangeRule,
    "association_words": AssociationWords,
}

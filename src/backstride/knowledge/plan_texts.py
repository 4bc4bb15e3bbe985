"""Plan schemas: phases, the walk-run stages, personal signals and the plan's cited texts.

`plan` reads these by id; nothing picks a record by the words in its title.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, Field, model_validator

from backstride.domain.finding import FindingId
from backstride.knowledge.content import Phase, PreventionCategory
from backstride.knowledge.model import ID_PATTERN, KnowledgeBase, Record, Strict
from backstride.knowledge.templates import check_template

ItemKind = Literal[
    "action",
    "referral",
    "clinician",
    "advice",
    "relief",
    "medicine",
    "treatment",
    "prevention",
    "finding",
    "warning",
]

#: Fields a personal signal's `why` template may use (filled from the running profile).
SIGNAL_FIELDS = frozenset(
    {
        "rise_pct", "extra_pct", "cadence_spm", "low_spm", "high_spm", "target_low_pct",
        "target_high_pct", "shoe_km", "inspection_km", "sessions", "threshold", "hours",
        "names",
    }
)  # fmt: skip


class PlanText(Record):
    """A cited piece of plan advice: its title and text, and the records it draws on."""

    kind: ItemKind  # the plan item kind it becomes
    title: str = Field(min_length=3)
    text: str = Field(min_length=3)
    records: tuple[str, ...] = Field(default=(), json_schema_extra={"refers_to_records": True})


class PlanPhase(Record):
    """A phase of the plan: its plain name, goal, entry and exit criteria and its items."""

    phase: Phase
    name: str = Field(min_length=3)
    goal: str = Field(min_length=3)
    entry: tuple[str, ...] = Field(min_length=1)
    exit: tuple[str, ...] = Field(min_length=1)
    items: tuple[str, ...] = Field(default=(), json_schema_extra={"refers_to_records": True})


class WalkRunStage(Strict):
    """One walk-run stage: intervals repeated to a distance, at an effort (RPE 0-10)."""

    stage: int = Field(ge=1, le=10)
    label: str = Field(min_length=3)
    walk_min: int = Field(ge=0, le=30)
    run_min: int | None = Field(default=None, ge=1, le=60)  # None: continuous running
    distance_km_min: float = Field(gt=0, le=50)
    distance_km_max: float = Field(gt=0, le=50)
    rpe_max: int = Field(ge=1, le=10)

    @model_validator(mode="after")
    def _distance_range(self) -> WalkRunStage:
        if self.distance_km_min > self.distance_km_max:
            raise ValueError("distance_km_min is above distance_km_max")
        return self


class WalkRunTemplate(Record):
    """The return-to-run template: stages in order, the maintenance run and session notes."""

    stages: tuple[WalkRunStage, ...] = Field(min_length=1)
    maintain: WalkRunStage
    notes: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _stages_numbered_in_order(self) -> WalkRunTemplate:
        if [s.stage for s in self.stages] != list(range(1, len(self.stages) + 1)):
            raise ValueError("stages: expected stage numbers 1, 2, 3, ... in order")
        return self


DayText = Literal[
    "settle_title", "settle_activity", "settle_note",
    "restore_title", "restore_walk", "no_running",
    "strength_title", "mobility_title", "strengthen_walk", "strengthen_note",
    "rest_title", "rest_activity", "prevent_rest_activity",
    "entry_check_title", "entry_check_activity",
    "run_title", "between_runs_title", "between_runs_walk", "between_runs_note",
    "easy_run_title", "maintenance_title", "cross_training_title", "cross_training_walk",
    "reduced_run_title", "reduced_run_label", "reduced_run_note", "run_capped_title",
    "run_capped_activity", "distance_one", "distance_range", "continuous_run",
    "walk_run_session",
    "walk", "walk_or_cross",
]  # fmt: skip
DAY_FIELDS: dict[str, frozenset[str]] = {
    "run_title": frozenset({"label"}),
    "walk": frozenset({"walk"}),
    "walk_or_cross": frozenset({"walk", "choice"}),
    "distance_one": frozenset({"km"}),
    "distance_range": frozenset({"low", "high"}),
    "continuous_run": frozenset({"distance", "rpe"}),
    "walk_run_session": frozenset({"walk", "run", "distance", "rpe"}),
}


class DayTexts(Record):
    """The titles, activities and notes of the schedule's days, by name."""

    texts: dict[DayText, str]

    @model_validator(mode="after")
    def _every_text_given(self) -> DayTexts:
        missing = set(get_args(DayText)) - set(self.texts)
        if missing:
            raise ValueError(f"texts: missing {sorted(missing)}")
        for name, text in self.texts.items():
            check_template(text, DAY_FIELDS.get(name, frozenset()))
        return self


class PlanSignal(Record):
    """A modifiable factor the plan turns into personal advice, joined to one prevention
    record by id and raised by the running profile (`why`) or by findings."""

    title: str = Field(min_length=3)
    category: PreventionCategory
    prevention: str | None = Field(
        default=None, pattern=ID_PATTERN, json_schema_extra={"refers_to_records": True}
    )
    findings: tuple[FindingId, ...] = ()
    why: str | None = None
    threshold: float | None = None

    @model_validator(mode="after")
    def _why_is_a_valid_template(self) -> PlanSignal:
        if self.why is not None:
            check_template(self.why, SIGNAL_FIELDS)
        return self


EducationFacet = Literal[
    "start_back_raised", "start_back_high", "radicular", "sacroiliac", "inflammatory", "lifting"
]


class EducationPriority(Record):
    """Education topics shown first (in this order) when the assessment has one facet."""

    when: EducationFacet
    first: tuple[str, ...] = Field(min_length=1, json_schema_extra={"refers_to_records": True})


def phase_record(kb: KnowledgeBase, phase: Phase) -> PlanPhase:
    """The record of one phase (`phase.<name>`)."""
    return kb.one(PlanPhase, f"phase.{phase}")


WALK_RUN_ID = "walk_run.template"
DAY_TEXTS_ID = "text.days"


PLAN_KINDS: dict[str, type[BaseModel]] = {
    "plan_text": PlanText,
    "plan_phase": PlanPhase,
    "walk_run_template": WalkRunTemplate,
    "plan_signal": PlanSignal,
    "plan_day_texts": DayTexts,
    "education_priority": EducationPriority,
}

"""The personal plan as frozen domain values, with a stable JSON form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from backstride.assess.result import SafetyNetList
from backstride.knowledge.content import AlternativeKind, Phase
from backstride.knowledge.plan_texts import ItemKind

PlanStatus = Literal["self_care", "interim", "no_self_care"]
DayKind = Literal["exercise", "run", "cross_training", "rest", "walk_check"]
Decision = Literal["advance", "hold", "step_back", "stop"]


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One piece of advice with the knowledge-base records and sources behind it."""

    key: str
    kind: ItemKind
    title: str
    text: str
    records: tuple[str, ...]
    sources: tuple[str, ...]
    status: str | None = None  # a treatment's status (recommended, not_recommended, ...)


@dataclass(frozen=True, slots=True)
class Alternative:
    """An exercise offered beside a prescribed one: easier, harder, or a swap, and how to do it."""

    kind: AlternativeKind
    exercise_id: str
    name: str
    label: str  # the relation in plain words ("If it is too hard or hurts, do instead")
    steps: tuple[str, ...]
    sources: tuple[str, ...]
    records: tuple[str, ...] = ()  # the label record of the relation


@dataclass(frozen=True, slots=True)
class Prescription:
    """An exercise on a given day: the record, its dose that day, and how to do it."""

    exercise_id: str
    name: str
    category: str
    sets: int
    reps: int | None
    hold_s: int | None
    per_side: bool
    steps: tuple[str, ...]
    caution_text: str | None
    sources: tuple[str, ...]
    #: Easier, harder and swap exercises that suit the person (the record's links).
    alternatives: tuple[Alternative, ...] = ()

    @property
    def dose_text(self) -> str:
        """'3 × 10 each side', '2 × 6, hold 5 s' or '1 × 10 min' in plain words."""
        side = " each side" if self.per_side else ""
        if self.reps is not None:
            hold = f", hold {self.hold_s} s" if self.hold_s else ""
            return f"{self.sets} × {self.reps}{side}{hold}"
        hold_s = self.hold_s or 0
        if hold_s >= 120 and hold_s % 60 == 0:
            return f"{self.sets} × {hold_s // 60} min{side}"
        return f"{self.sets} × {hold_s} s hold{side}"


@dataclass(frozen=True, slots=True)
class RunSession:
    """A walk-run session: intervals repeated to a distance, at an effort (RPE 0–10)."""

    stage: int  # 1-based stage of the walk-run template
    stage_label: str
    walk_min: int
    run_min: int | None  # None for continuous running
    distance_km_min: float
    distance_km_max: float
    rpe_max: int
    sources: tuple[str, ...]
    text: str = ""  # the session in one line a runner can follow (from the day texts)


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the schedule."""

    on: date
    phase: Phase
    kind: DayKind
    title: str
    exercises: tuple[Prescription, ...]
    run: RunSession | None
    activity: str | None  # walking / cross-training suggestion for the day
    education_id: str | None
    education_title: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PhaseBlock:
    """A phase of the plan with its dates, entry and exit criteria and its advice."""

    phase: Phase
    title: str
    goal: str
    start: date
    end: date
    entry: tuple[str, ...]
    exit: tuple[str, ...]
    items: tuple[PlanItem, ...]
    exercise_ids: tuple[str, ...]
    records: tuple[str, ...] = ()  # the phase's record (and the walk-run template)


@dataclass(frozen=True, slots=True)
class ProgressDecision:
    """What the diary says about moving on: advance, hold or step back, and why."""

    decision: Decision
    from_phase: Phase | None
    to_phase: Phase
    run_stage: int  # walk-run stage to start at (1-based; 0 when not running yet)
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    records: tuple[str, ...] = ()  # knowledge-base rule ids the decision applied


@dataclass(frozen=True, slots=True)
class AssessmentSummary:
    """The parts of the assessment the plan and the clinician page show."""

    urgency: str
    action: str
    red_flags: tuple[str, ...]
    red_flag_text: tuple[str, ...]
    referral_reasons: tuple[str, ...]
    duration: str | None
    patterns: tuple[str, ...]
    start_back_risk: str | None
    start_back_total: int | None
    start_back_psychosocial: int | None
    rmdq_score: int | None
    reasons: tuple[PlanItem, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """The whole personal plan: status, phases, personal advice, schedule and provenance."""

    status: PlanStatus
    start: date
    weeks: int
    assessment: AssessmentSummary
    top: tuple[PlanItem, ...]  # shown first: action, referral, clinician points
    cautions: tuple[str, ...]
    decision: ProgressDecision | None
    phases: tuple[PhaseBlock, ...]
    personal: tuple[PlanItem, ...]
    treatments: tuple[PlanItem, ...]
    prevention: tuple[PlanItem, ...]
    days: tuple[Day, ...]
    kb_version: str
    kb_digest: str
    disclaimer: str
    #: When to go to an emergency department now / see a doctor today; empty for emergency.
    safety_net: tuple[SafetyNetList, ...] = ()
    #: Urgency label and heading in that level's words (the plan's lead).
    urgency_label: str = ""
    urgency_heading: str = ""
    #: The education topics the schedule names, once each, with their full text.
    education: tuple[PlanItem, ...] = ()

    @property
    def has_exercise_content(self) -> bool:
        """True when the plan prescribes any exercise or run."""
        return any(d.exercises or d.run for d in self.days) or any(
            p.exercise_ids for p in self.phases
        )

    def all_items(self) -> tuple[PlanItem, ...]:
        """Every cited item in the plan, in display order."""
        phase_items = tuple(i for p in self.phases for i in p.items)
        return (
            (self.top + self.assessment.reasons + phase_items + self.personal + self.treatments)
            + self.prevention
            + self.education
        )

    def current_phase(self, on: date) -> PhaseBlock | None:
        """The phase block that contains `on`, if any."""
        return next((p for p in self.phases if p.start <= on <= p.end), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values with a stable key order."""
        out: dict[str, Any] = _jsonable(self)
        return out

    def to_json(self) -> str:
        """Deterministic JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _jsonable(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        out = {name: _jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
        if isinstance(value, Prescription):
            out["dose_text"] = value.dose_text
        return out
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value

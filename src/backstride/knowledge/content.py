"""Content schemas: exercises, treatments, education and prevention advice.

The plan interprets these records; their vocabularies (phases, caution tags) are the
contract between the knowledge base, the assessment and the plan.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from backstride.knowledge.model import ID_PATTERN, Record, Strict

Phase = Literal["settle", "restore", "strengthen", "return_to_run", "prevent"]
PHASES: tuple[Phase, ...] = ("settle", "restore", "strengthen", "return_to_run", "prevent")

#: Why an exercise may be unsuitable. Pattern ids, answers from the case file, or states.
CautionTag = Literal[
    "radicular",  # pattern: nerve-root (sciatica) symptoms
    "sacroiliac",  # pattern: SI-joint pain
    "inflammatory",  # pattern: inflammatory back pain features
    "worse_bending_forward",
    "worse_bending_backward",
    "worse_sitting",
    "worse_standing",
    "worse_lifting",
    "acute_severe",  # pain now at or above the severe-pain edge the caution rule applies
    "osteoporosis",
    "leg_symptoms",  # numbness, tingling or weakness in a leg
]

ExerciseCategory = Literal["stretch", "mobility", "motor_control", "strength", "conditioning"]


class Dose(Strict):
    """How much of an exercise: sets × reps, or sets × hold seconds, per side if stated."""

    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_s: int | None = Field(default=None, ge=1, le=600)
    per_side: bool = False
    sessions_per_week: int = Field(ge=1, le=14)


#: The body positions an exercise picture can show (what the figure's contacts must match).
ExercisePosition = Literal[
    "standing", "kneeling", "half_kneeling", "quadruped", "plank", "supine", "prone",
    "side_lying", "sitting",
]  # fmt: skip
Angle = Annotated[float, Field(ge=-360, le=360)]
Pair = tuple[Angle, Angle]


class Pose(Strict):
    """One position of a side-view stick figure facing right.

    Each segment's direction in degrees from its inner joint (0 forward, 90 up, 270 down);
    limbs are (near side, far side). `spine` bends the back: positive rounds it, negative
    arches it. `face` is the direction the face looks.
    """

    position: ExercisePosition
    torso: Angle = 90
    spine: float = Field(default=0, ge=-12, le=12)
    head: Angle | None = None  # the neck's direction; the torso's when not given
    face: Angle = 0
    arm: Pair = (270, 270)
    forearm: Pair = (270, 270)
    thigh: Pair = (270, 270)
    shin: Pair = (270, 270)


class Picture(Strict):
    """An exercise's illustration: where it starts and ends (a hold has one position)."""

    alt: str = Field(min_length=20)  # the picture in plain words, for people who cannot see it
    start: Pose
    end: Pose | None = None
    prop: Literal["step", "dowel", "weight", "band"] | None = None


#: How an alternative exercise relates to the one prescribed: easier, harder, or a swap
#: that does the same job (for someone who dislikes or cannot do the first).
AlternativeKind = Literal["easier", "harder", "swap"]
ALTERNATIVE_KINDS: tuple[AlternativeKind, ...] = ("easier", "harder", "swap")


def _exercise_refs() -> Any:
    return Field(
        default=(), json_schema_extra={"refers_to_records": True, "record_kind": "exercise"}
    )


class Exercise(Record):
    """A stretch, mobility, motor-control or strength exercise with dose and progression.

    `easier`, `harder` and `swap` name other exercises (by id) that the plan offers beside
    this one when they suit the person.
    """

    name: str
    category: ExerciseCategory
    purpose: str
    targets: tuple[str, ...] = Field(min_length=1)
    steps: tuple[str, ...] = Field(min_length=2)
    dose: Dose
    dose_max: Dose  # where weekly progression stops before moving to the harder variant
    progression: str
    regression: str
    cautions: tuple[CautionTag, ...] = ()
    caution_text: str | None = None
    phases: tuple[Phase, ...] = Field(min_length=1)
    equipment: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # seed-claims topics this record covers
    picture: Picture | None = None
    easier: tuple[Annotated[str, Field(pattern=ID_PATTERN)], ...] = _exercise_refs()
    harder: tuple[Annotated[str, Field(pattern=ID_PATTERN)], ...] = _exercise_refs()
    swap: tuple[Annotated[str, Field(pattern=ID_PATTERN)], ...] = _exercise_refs()

    @model_validator(mode="after")
    def _cautions_are_explained(self) -> Exercise:
        """A caution tag needs `caution_text` saying in plain words why."""
        if self.cautions and not self.caution_text:
            raise ValueError("caution_text: expected a plain-words reason when cautions are set")
        if self.id in (*self.easier, *self.harder, *self.swap):
            raise ValueError("easier, harder, swap: expected another exercise, not itself")
        return self


TreatmentStatus = Literal[
    "recommended",
    "consider",
    "optional_comfort",
    "not_recommended",
    "clinician_only",
    "insufficient_evidence",
]


class GuidelinePosition(Strict):
    """What one guideline (a source id) says of a treatment."""

    source: str = Field(pattern=ID_PATTERN, json_schema_extra={"refers_to_sources": True})
    status: TreatmentStatus
    note: str | None = None


class Treatment(Record):
    """A treatment option with its status per guideline and the reason."""

    name: str
    category: Literal[
        "advice",
        "relief",
        "medicine",
        "exercise",
        "manual",
        "psychological",
        "device",
        "procedure",
        "imaging",
    ]
    status: TreatmentStatus  # the position backstride follows
    reason: str
    summary: str
    positions: tuple[GuidelinePosition, ...] = Field(min_length=1)
    topics: tuple[str, ...] = ()


class EducationTopic(Record):
    """A short piece of education; `myth`/`evidence` set for myth-vs-evidence entries."""

    title: str
    summary: str
    body: tuple[str, ...] = Field(min_length=1)
    myth: str | None = None
    evidence: str | None = None
    topics: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _myth_has_evidence(self) -> EducationTopic:
        """A myth-vs-evidence entry states both sides."""
        if (self.myth is None) != (self.evidence is None):
            raise ValueError("myth and evidence: expected both or neither")
        return self


PreventionCategory = Literal[
    "warm_up",
    "cool_down",
    "form",
    "footwear",
    "surface",
    "load",
    "strength",
    "posture",
    "lifting",
    "cross_training",
    "recovery",
]


class PreventionItem(Record):
    """A piece of prevention advice or a running-form cue."""

    title: str
    category: PreventionCategory
    advice: str
    cue: str | None = None  # a short phrase to think of while running, for form cues
    topics: tuple[str, ...] = ()


CONTENT_KINDS: dict[str, type[BaseModel]] = {
    "exercise": Exercise,
    "treatment": Treatment,
    "education": EducationTopic,
    "prevention": PreventionItem,
}

"""The case file (the assessment contract's input): every field of the intake, range-checked.

Unknown keys are errors (usually typos). Every field is optional except `age` and
`pain.intensity`. Case files are read with strict types (`assess.casefile`): "38" is not
an age and "yes" is not true; Python callers may build a `Case` directly.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backstride.domain.vocabulary import Location, Surface

Onset = Literal[
    "after_run", "during_run", "gradual", "lifting", "minor_fall", "major_trauma", "unknown"
]
WorseWith = Literal[
    "running",
    "sitting",
    "standing",
    "bending_forward",
    "bending_backward",
    "lifting",
    "coughing",
    "morning",
]
BetterWith = Literal["movement", "rest", "lying_down", "nsaids", "heat"]
LegWeakness = Literal["none", "stable_one_side", "progressive", "both_legs"]
Trend = Literal["improving", "same", "worse"]
Sex = Literal["female", "male", "other", "unspecified"]
CrossTraining = Literal[
    "cycling",
    "swimming",
    "elliptical",
    "stair_climber",
    "pool_running",
    "yoga",
    "pilates",
    "rowing",
]
Bothersomeness = Literal["not_at_all", "slightly", "moderately", "very_much", "extremely"]

Score10 = Annotated[int, Field(ge=0, le=10)]
NonNegInt = Annotated[int, Field(ge=0)]
NonNegFloat = Annotated[float, Field(ge=0)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Pain(_Section):
    """Pain now and its story."""

    intensity: Score10
    worst_24h: Score10 | None = None
    started_days_ago: Annotated[int, Field(ge=0, le=43800)] | None = None  # up to 120 years
    onset: Onset = "unknown"
    locations: tuple[Location, ...] = ()
    leg_pain_worse_than_back: bool = False
    worse_with: tuple[WorseWith, ...] = ()
    better_with: tuple[BetterWith, ...] = ()
    night_pain_unrelieved: bool = False
    wakes_second_half_of_night: bool = False
    morning_stiffness_minutes: Annotated[int, Field(ge=0, le=1440)] | None = None
    point_tenderness: bool = False  # one spot over a spinal bone very tender to press
    constant: bool = False  # new pain that is there all the time, whatever the position


class Neuro(_Section):
    """Nerve symptoms, including the cauda equina questions."""

    numbness_or_tingling: tuple[Location, ...] = ()
    leg_weakness: LegWeakness = "none"
    saddle_numbness: bool = False
    bladder_change: bool = False
    bowel_change: bool = False
    sexual_dysfunction_new: bool = False
    gait_disturbance: bool = False
    #: Leg symptoms (pain, numbness, weakness) new or getting worse; None = not asked, and
    #: then the episode's duration and trend decide.
    leg_symptoms_new: bool | None = None


class General(_Section):
    """General health questions behind the serious-pathology red flags."""

    fever: bool = False
    unexplained_weight_loss: bool = False
    history_of_cancer: bool = False
    osteoporosis: bool = False
    long_term_steroids: bool = False
    immunosuppressed: bool = False
    iv_drug_use: bool = False
    recent_bacterial_infection: bool = False
    collapse_or_pulsatile_mass: bool = False
    chest_pain: bool = False
    urinary_symptoms_with_flank_pain: bool = False
    family_history_spondyloarthritis: bool = False
    psoriasis_or_arthritis_or_enthesitis: bool = False
    psoriasis: bool = False  # current or past (NG65 counts each of these three on its own)
    arthritis: bool = False
    enthesitis: bool = False
    feeling_unwell: bool = False  # systemically unwell with the back pain
    spinal_deformity: bool = False  # a new change in the shape of the spine


class History(_Section):
    """What has happened so far."""

    self_care_weeks: Annotated[float, Field(ge=0, le=6240)] | None = None
    trend: Trend | None = None
    previous_episodes: Annotated[int, Field(ge=0, le=1000)] | None = None
    pain_after_every_run: bool = False


class Running(_Section):
    """The running profile the plan personalises from."""

    weekly_km: Annotated[float, Field(ge=0, le=500)] | None = None
    weekly_km_prior: Annotated[float, Field(ge=0, le=500)] | None = None
    runs_per_week: Annotated[int, Field(ge=0, le=21)] | None = None
    longest_run_km: Annotated[float, Field(ge=0, le=300)] | None = None
    longest_run_prior_30d_km: Annotated[float, Field(ge=0, le=300)] | None = None
    surfaces: tuple[Surface, ...] = ()
    surface_changed_recently: bool = False
    shoe_km: Annotated[float, Field(ge=0, le=10000)] | None = None
    shoe_pairs_in_rotation: Annotated[int, Field(ge=0, le=20)] | None = None
    cadence_spm: Annotated[float, Field(ge=60, le=260)] | None = None
    warm_up: bool | None = None
    cool_down: bool | None = None
    strength_sessions_per_week: Annotated[int, Field(ge=0, le=14)] | None = None
    sitting_hours_per_day: Annotated[float, Field(ge=0, le=24)] | None = None
    cross_training: tuple[CrossTraining, ...] = ()
    deadlifts: bool | None = None
    standing_hours_per_day: Annotated[float, Field(ge=0, le=24)] | None = None
    #: What the person can do now: still running (None: judged from the running profile),
    #: and how many minutes they can walk comfortably.
    running_now: bool | None = None
    walk_minutes_now: Annotated[int, Field(ge=0, le=1440)] | None = None


class Case(_Section):
    """One person's answers: the whole case file."""

    age: Annotated[int, Field(ge=0, le=120)]
    sex: Sex = "unspecified"
    pain: Pain
    neuro: Neuro = Neuro()
    general: General = General()
    history: History = History()
    start_back: tuple[bool, bool, bool, bool, bool, bool, bool, bool, Bothersomeness] | None = None
    rmdq: tuple[Annotated[int, Field(ge=1, le=24)], ...] | None = None
    running: Running = Running()

    @field_validator("rmdq")
    @classmethod
    def _rmdq_items_unique(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("each RMDQ statement number may appear once")
        return value

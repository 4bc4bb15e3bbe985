"""Parameter schemas read by `analytics` and the reports: windows, coefficients and bands.

Every number a training metric is computed with lives in one cited record: the ratio
windows and the coverage a ratio needs, the monotony cap, the impulse-response model's
coefficients and time constants, how running samples are told apart and banded, the
population bands shown as context, and the spans the reports cover. The engines take the
records as values; a sentence that names a window is a template filled from the record.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from backstride.knowledge.model import Record, Strict
from backstride.knowledge.templates import check_template

#: The load-windows record and the fields its method sentence may name.
LOAD_WINDOWS_ID = "load.windows"
ACWR_METHOD_FIELDS = frozenset({"acute_days", "chronic_days"})


class LoadWindows(Record):
    """The acute and chronic windows of the load ratios, the share of the chronic window's
    acute blocks that must hold an activity before a ratio is shown, and Foster's cap."""

    acute_days: int = Field(ge=1)
    chronic_days: int = Field(ge=2)
    min_active_blocks: int = Field(ge=1, description="acute blocks with an activity")
    monotony_cap: float = Field(gt=0, description="monotony when the week's loads are equal")
    acwr_method: str = Field(min_length=10, description="the EWMA ratio's method, a template")

    @model_validator(mode="after")
    def _windows_nest(self) -> LoadWindows:
        if self.chronic_days <= self.acute_days or self.chronic_days % self.acute_days:
            raise ValueError("chronic_days: expected a whole multiple of acute_days above it")
        if self.min_active_blocks > self.blocks:
            raise ValueError(f"min_active_blocks: at most {self.blocks} blocks fit")
        check_template(self.acwr_method, ACWR_METHOD_FIELDS)
        return self

    @property
    def blocks(self) -> int:
        """How many acute blocks make the chronic window."""
        return self.chronic_days // self.acute_days

    @property
    def method(self) -> str:
        """The method sentence, filled from the windows it names."""
        return self.acwr_method.format(acute_days=self.acute_days, chronic_days=self.chronic_days)


class TrimpCoefficients(Strict):
    """Banister TRIMP weighting a·e^(b·x) of one group."""

    a: float = Field(gt=0)
    b: float = Field(gt=0)


#: The impulse-response record.
IMPULSE_RESPONSE_ID = "load.impulse_response"


class ImpulseResponse(Record):
    """Banister's model: the TRIMP coefficients and the fitness and fatigue time constants."""

    trimp_men: TrimpCoefficients
    trimp_women: TrimpCoefficients
    fitness_days: float = Field(gt=0)
    fatigue_days: float = Field(gt=0)

    @model_validator(mode="after")
    def _fatigue_is_shorter(self) -> ImpulseResponse:
        if self.fatigue_days >= self.fitness_days:
            raise ValueError("fatigue_days: expected a shorter time constant than fitness_days")
        return self


class Band(Strict):
    """A range of values (low below high) and its unit."""

    low: float
    high: float
    unit: str = Field(min_length=1)

    @model_validator(mode="after")
    def _rises(self) -> Band:
        if self.high <= self.low:
            raise ValueError("high: expected above low")
        return self


#: The form-sampling record.
FORM_SAMPLING_ID = "form.sampling"


class FormSampling(Record):
    """Which samples count as running, how they are banded by speed, and the periods the
    runner's cadence is compared over."""

    band_width_mps: float = Field(gt=0)
    min_run_speed_mps: float = Field(gt=0)
    cadence_range: Band = Field(description="plausible step rates (spm)")
    max_sample_gap_s: float = Field(gt=0)
    min_band_seconds: float = Field(gt=0, description="time a band needs in both periods")
    recent_days: int = Field(ge=1)
    baseline_days: int = Field(ge=1)


#: The form metrics a population band exists for.
FormMetric = Literal[
    "cadence_spm", "stance_time_ms", "vertical_oscillation_mm", "vertical_ratio_pct"
]


#: The population-bands record.
POPULATION_BANDS_ID = "form.population_middle"


#: What the population note may name.
POPULATION_NOTE_FIELDS = frozenset({"position", "low", "high", "unit"})


class PopulationBands(Record):
    """Middle bands of a device maker's user population: context (the cadence band's lower
    edge is also where the one cadence rule calls a cadence low), and
    the note that says where a runner's value sits."""

    bands: dict[FormMetric, Band] = Field(min_length=1)
    note: str = Field(min_length=10, description="where a value sits, a template")

    @model_validator(mode="after")
    def _note_names_the_band(self) -> PopulationBands:
        check_template(self.note, POPULATION_NOTE_FIELDS)
        if "cadence_spm" not in self.bands:
            raise ValueError("bands: expected cadence_spm (the cadence rule's lower edge)")
        return self


#: The report-spans record.
REPORT_SPANS_ID = "report.spans"


class ReportSpans(Record):
    """The periods the reports cover by default, and how far back the diary reaches."""

    analysis_days: int = Field(ge=1, description="the analysis when no start is given")
    chart_days: int = Field(ge=1, description="the charts and training page, by default")
    clinician_training_weeks: int = Field(ge=1)
    clinician_chart_days: int = Field(ge=1)
    clinician_recent_checks: int = Field(ge=1)
    clinician_diary_entries: int = Field(ge=1, description="the latest diary entries shown")
    diary_days_before_first_check: int = Field(ge=0, description="the diary's earliest day")


ANALYTICS_PARAM_KINDS: dict[str, type[BaseModel]] = {
    "load_windows": LoadWindows,
    "impulse_response": ImpulseResponse,
    "form_sampling": FormSampling,
    "population_bands": PopulationBands,
    "report_spans": ReportSpans,
}

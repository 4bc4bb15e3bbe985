"""The parameters one training analysis is computed with, taken from the knowledge base once.

The engines never hold a window, a coefficient or a band of their own: each is a field of
a cited record, gathered here as values and passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.analytics.equipment import SurfaceRule
from backstride.knowledge.analytics_params import (
    FORM_SAMPLING_ID,
    IMPULSE_RESPONSE_ID,
    LOAD_WINDOWS_ID,
    POPULATION_BANDS_ID,
    FormSampling,
    ImpulseResponse,
    LoadWindows,
    PopulationBands,
)
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.training import FindingRule


@dataclass(frozen=True, slots=True)
class AnalysisParams:
    """Load windows, the impulse-response model, form sampling, population bands, the
    surface-change rule, the spike rule's look-back window and the weeks over which shoes
    in rotation are counted."""

    load: LoadWindows
    impulse: ImpulseResponse
    form: FormSampling
    population: PopulationBands
    surface: SurfaceRule
    spike_lookback_days: int
    rotation_weeks: int

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> AnalysisParams:
        """The parameter records, and the finding records' windows, of `kb`."""
        findings = {r.finding: r.thresholds for r in kb.of(FindingRule)}
        surface = findings["surface_change"]
        return cls(
            load=kb.one(LoadWindows, LOAD_WINDOWS_ID),
            impulse=kb.one(ImpulseResponse, IMPULSE_RESPONSE_ID),
            form=kb.one(FormSampling, FORM_SAMPLING_ID),
            population=kb.one(PopulationBands, POPULATION_BANDS_ID),
            surface=SurfaceRule(
                baseline_weeks=int(surface["baseline_weeks"]),
                min_share_now=surface["min_share_now"],
                max_share_before=surface["max_share_before"],
                min_km=surface["min_km"],
            ),
            spike_lookback_days=int(findings["single_run_spike"]["lookback_days"]),
            rotation_weeks=int(findings["shoe_inspection_due"]["rotation_weeks"]),
        )

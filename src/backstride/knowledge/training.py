"""Training-data finding schemas read by `analytics`: thresholds and the sentences they fill.

One record per finding: the numbers the rule compares with (`thresholds`), a plain-words
label for the finding id, and title and evidence templates. The engine fills a template
from the values it measured and from the thresholds it actually applied, so printed text
can never name a limit the rule did not use.
"""

from __future__ import annotations

from itertools import pairwise

from pydantic import BaseModel, Field, model_validator

from backstride.domain.finding import FindingId
from backstride.knowledge.model import Record
from backstride.knowledge.templates import check_template

#: What the engine fills in, per finding (besides the record's own thresholds).
FINDING_FIELDS: dict[FindingId, frozenset[str]] = {
    "single_run_spike": frozenset(
        {"day", "distance_km", "previous_longest_km", "band", "increase_pct"}
    ),
    "weekly_distance_jump": frozenset({"week_start", "distance_km", "previous_km", "change_pct"}),
    "high_monotony": frozenset({"week_start", "monotony", "strain"}),
    "acwr_rising": frozenset({"day", "ewma", "method", "before", "rolling"}),
    "no_rest_days": frozenset({"start", "end", "days"}),
    "low_cadence_for_speed": frozenset(
        {"recent_days", "cadence_spm", "pace", "note", "target_low_spm", "target_high_spm"}
    ),
    "cadence_drop": frozenset(
        {"recent_days", "change_pct", "bands_used", "minutes", "recent_spm", "baseline_spm"}
    ),
    "high_vertical_oscillation": frozenset({"recent_days", "parts"}),
    "shoe_inspection_due": frozenset({"name", "distance_km", "inspection_km", "shoes_in_rotation"}),
    "surface_change": frozenset(
        {"surface", "week_start", "share_now", "share_before", "distance_km"}
    ),
}

#: The thresholds each finding's rule reads (a record must give every one).
FINDING_THRESHOLDS: dict[FindingId, frozenset[str]] = {
    "single_run_spike": frozenset(
        {"min_increase_pct", "band_mid_pct", "band_high_pct", "lookback_days"}
    ),
    "weekly_distance_jump": frozenset({"max_rise_pct"}),
    "high_monotony": frozenset({"monotony_high"}),
    "acwr_rising": frozenset({"acwr_low", "acwr_high", "acwr_rise", "rise_days"}),
    "no_rest_days": frozenset({"streak_days"}),
    "low_cadence_for_speed": frozenset({"target_low_pct", "target_high_pct"}),
    "cadence_drop": frozenset({"drop_pct"}),
    "high_vertical_oscillation": frozenset(),
    "shoe_inspection_due": frozenset({"rotation_weeks"}),
    "surface_change": frozenset({"baseline_weeks", "min_share_now", "max_share_before", "min_km"}),
}


class FindingRule(Record):
    """One training finding: its thresholds, its plain name and its cited sentences."""

    finding: FindingId
    label: str = Field(min_length=3, description="the finding id in plain words")
    thresholds: dict[str, float] = Field(default_factory=dict)
    title: str = Field(min_length=3)
    evidence: str = Field(min_length=3)

    @model_validator(mode="after")
    def _thresholds_and_templates_match_the_engine(self) -> FindingRule:
        expected = FINDING_THRESHOLDS[self.finding]
        if set(self.thresholds) != expected:
            raise ValueError(f"thresholds: expected exactly {sorted(expected)}")
        allowed = FINDING_FIELDS[self.finding] | expected
        check_template(self.title, allowed)
        check_template(self.evidence, allowed)
        return self


class HeartRateZones(Record):
    """A zone-weighted training-load method: zone lower edges in % of HRmax, in order;
    minutes in zone n weigh n (below the first edge: nothing)."""

    zone_lower_pct: tuple[float, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _edges_rise_within_hr_max(self) -> HeartRateZones:
        edges = self.zone_lower_pct
        if any(b <= a for a, b in pairwise(edges)):
            raise ValueError("zone_lower_pct: expected rising edges")
        if not (edges[0] > 0 and edges[-1] < 100):
            raise ValueError("zone_lower_pct: expected edges between 0 and 100 % of HRmax")
        return self


#: The Edwards TRIMP zones' record.
EDWARDS_ZONES_ID = "load.edwards_zones"

TRAINING_KINDS: dict[str, type[BaseModel]] = {
    "finding_rule": FindingRule,
    "heart_rate_zones": HeartRateZones,
}

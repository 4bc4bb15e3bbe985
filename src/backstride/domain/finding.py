"""A finding from the runner's own training data: evidence-framed, cited, never a risk %."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

FindingId = Literal[
    "single_run_spike",
    "weekly_distance_jump",
    "high_monotony",
    "acwr_rising",
    "low_cadence_for_speed",
    "cadence_drop",
    "high_vertical_oscillation",
    "shoe_inspection_due",
    "surface_change",
    "no_rest_days",
]
Severity = Literal["info", "consider", "attention"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One modifiable factor seen in the runner's data, with the evidence behind it."""

    id: FindingId
    severity: Severity
    title: str
    evidence: str
    runs: tuple[str, ...] = ()  # activity keys (source hashes) the finding points at
    metrics: dict[str, float] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    on: date | None = None  # the day the finding refers to, when it has one
    rule: str | None = None  # the knowledge-base record that produced it

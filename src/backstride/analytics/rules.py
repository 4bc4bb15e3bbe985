"""The finding records (thresholds and sentences) and the small helpers the rules share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from backstride.analytics.analysis import TrainingAnalysis
from backstride.analytics.params import AnalysisParams
from backstride.analytics.spikes import SpikeRule
from backstride.domain.finding import Finding, FindingId, Severity
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.templates import fill
from backstride.knowledge.training import FindingRule


@dataclass(frozen=True, slots=True)
class FindingRules:
    """The finding records every rule reads: thresholds, plain names and sentence templates,
    with the parameters the analysis they read is computed with."""

    records: Mapping[FindingId, FindingRule]
    params: AnalysisParams

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> FindingRules:
        """One record per finding id, and the analysis parameters, from the knowledge base."""
        return cls({r.finding: r for r in kb.of(FindingRule)}, AnalysisParams.from_kb(kb))

    def value(self, finding: FindingId, name: str) -> float:
        """One threshold of one finding's rule."""
        return self.records[finding].thresholds[name]

    @property
    def spike(self) -> SpikeRule:
        """The single-run spike rule: its edges and window."""
        t = self.records["single_run_spike"].thresholds
        return SpikeRule(
            t["min_increase_pct"], t["band_mid_pct"], t["band_high_pct"], int(t["lookback_days"])
        )

    def is_low_cadence(self, cadence_spm: float) -> bool:
        """The one cadence rule: below the lower edge of the middle population band.

        References: garmin-running-dynamics, heiderscheit-2011
        """
        return cadence_spm < self.params.population.bands["cadence_spm"].low

    def cadence_targets(self, cadence_spm: float) -> tuple[float, float]:
        """The step-rate range to try: the rule's +low–high % of the runner's own cadence."""
        t = self.records["low_cadence_for_speed"].thresholds
        low, high = t["target_low_pct"], t["target_high_pct"]
        return cadence_spm * (1 + low / 100), cadence_spm * (1 + high / 100)

    def finding(
        self,
        finding: FindingId,
        *,
        severity: Severity,
        values: Mapping[str, object],
        runs: tuple[str, ...] = (),
        metrics: Mapping[str, float] | None = None,
        on: date | None = None,
    ) -> Finding:
        """A finding whose title and evidence are the record's templates, filled from the
        measured `values` and the thresholds the rule applied."""
        record = self.records[finding]
        filled = {**record.thresholds, **values}
        return Finding(
            id=finding,
            severity=severity,
            title=fill(record.title, filled),
            evidence=fill(record.evidence, filled),
            runs=runs,
            metrics=dict(metrics or {}),
            sources=record.sources,
            on=on,
            rule=record.id,
        )


def window_weeks(analysis: TrainingAnalysis) -> list[int]:
    """Indexes of calendar weeks that overlap since … today."""
    return [
        w
        for w, week in enumerate(analysis.weeks)
        if week.week_start <= analysis.today
        and week.week_start + timedelta(days=6) >= analysis.since
    ]


def keys_between(analysis: TrainingAnalysis, first: date, last: date) -> tuple[str, ...]:
    """Keys of the runs from `first` to `last` inclusive, in time order."""
    lo, hi = analysis.series.index_of(first), analysis.series.index_of(last)
    days = analysis.runs.day_index
    picks = np.flatnonzero((days >= lo) & (days <= hi)).tolist()
    return tuple(analysis.runs.keys[i] for i in picks)


def episodes(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(first, last) index of every stretch of True values."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))

"""The plan obeys the load rules analytics warns about: the one spike rule and the weekly jump.

No planned run is a spike (`analytics.spikes.is_spike`) over the longest run of the spike
rule's window before it (planned runs and the running profile's recent longest run), and no calendar
week's planned distance rises more than the weekly-jump rule allows over the week before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.analytics.rules import FindingRules
from backstride.analytics.spikes import SpikeRule, is_spike, percent_increase

STEP_KM = 0.1  # planned distances are whole tenths of a kilometre


@dataclass(frozen=True, slots=True)
class LoadLimits:
    """The two limits and the history before the plan."""

    spike: SpikeRule
    max_weekly_rise_pct: float
    recent_longest_km: float | None  # the profile's longest run of the last 30 days
    last_week_km: float | None  # the profile's weekly distance (the week before the plan)

    @classmethod
    def from_kb(
        cls, rules: FindingRules, *, recent_longest_km: float | None, last_week_km: float | None
    ) -> LoadLimits:
        """The limits from the finding rules, the history from the running profile."""
        return cls(
            rules.spike,
            rules.value("weekly_distance_jump", "max_rise_pct"),
            recent_longest_km or None,
            last_week_km or None,
        )


@dataclass
class LoadLedger:
    """Planned runs so far, in date order; answers how long the next run may be."""

    limits: LoadLimits
    start: date
    runs: list[tuple[date, float]]

    def allowed_km(self, on: date, wanted_km: float) -> float:
        """The longest run up to `wanted_km` on `on` that is neither a spike nor a weekly jump."""
        km = _floor(wanted_km)
        longest = self._longest_before(on)
        if longest is not None:
            while km > 0 and is_spike(percent_increase(km, longest), self.limits.spike):
                km = round(km - STEP_KM, 1)
        previous = self._week_km(on - timedelta(days=7))
        if previous:
            this_week = self._week_km(on)
            while km > 0 and (
                percent_increase(this_week + km, previous) > self.limits.max_weekly_rise_pct
            ):
                km = round(km - STEP_KM, 1)
        return max(km, 0.0)

    def add(self, on: date, km: float) -> None:
        """Record a planned run."""
        self.runs.append((on, km))

    def _longest_before(self, on: date) -> float | None:
        window = self.limits.spike.lookback_days
        earlier = [km for day, km in self.runs if on - timedelta(window) <= day < on]
        if self.limits.recent_longest_km and (on - self.start).days < window:
            earlier.append(self.limits.recent_longest_km)
        return max(earlier) if earlier else None

    def _week_km(self, on: date) -> float:
        monday = on - timedelta(days=on.weekday())
        if monday + timedelta(days=7) <= self.start:
            return self.limits.last_week_km or 0.0
        planned = sum(km for day, km in self.runs if monday <= day < monday + timedelta(7))
        before_plan = (self.start - monday).days
        if before_plan > 0 and self.limits.last_week_km:
            # this calendar week's days before the plan, at the profile's usual daily rate
            planned += self.limits.last_week_km * before_plan / 7
        return planned


def _floor(km: float) -> float:
    return math.floor(km / STEP_KM + 1e-9) * STEP_KM


def ledger(limits: LoadLimits, start: date, runs: Sequence[tuple[date, float]] = ()) -> LoadLedger:
    """A ledger for a plan starting `start`."""
    return LoadLedger(limits, start, list(runs))

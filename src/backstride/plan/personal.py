"""Personal prevention items: the running profile and analytics findings, mapped to advice.

Signals, their limits and their sentences are `plan_signal` records; each names its
prevention record by id. The spike, weekly-jump and cadence limits are the analytics
finding rules' own, so the plan and `backstride analyze` can never disagree on them.
"""

from __future__ import annotations

from collections.abc import Sequence

from backstride.analytics.rules import FindingRules
from backstride.analytics.spikes import is_spike, percent_increase
from backstride.assess.intake import Running
from backstride.domain.finding import Finding
from backstride.domain.vocabulary import HARD_SURFACES
from backstride.knowledge.content import PreventionItem
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_texts import PlanSignal, PlanText
from backstride.knowledge.templates import fill
from backstride.plan.model import PlanItem

FROM_DATA = "text.personal.from_data"


def personal_items(
    running: Running,
    findings: Sequence[Finding],
    kb: KnowledgeBase,
    *,
    shoe_inspection_km: float,
) -> tuple[PlanItem, ...]:
    """One cited item per modifiable factor the profile or the findings show.

    References: frandsen-2025, nielsen-2014, heiderscheit-2011, malisoux-2015, owen-2020
    """
    signals = {s.id: s for s in kb.of(PlanSignal)}
    found: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}
    for key, why in profile_signals(running, kb, shoe_inspection_km=shoe_inspection_km):
        found.setdefault(key, (why, (), ()))
    prefix = kb.one(PlanText, FROM_DATA).text
    for finding in findings:
        for signal in signals.values():
            if finding.id in signal.findings:
                known = tuple(s for s in finding.sources if s in kb.sources)
                why = fill(prefix, {"evidence": finding.evidence})
                found[signal.id] = (why, known, (FROM_DATA,))
    return tuple(_item(signals[key], *found[key], kb=kb) for key in signals if key in found)


def profile_signals(
    running: Running, kb: KnowledgeBase, *, shoe_inspection_km: float
) -> list[tuple[str, str]]:
    """(signal id, why in plain words) for each factor the running profile reveals."""
    rules = FindingRules.from_kb(kb)
    signals = {s.id: s for s in kb.of(PlanSignal)}
    out: list[tuple[str, dict[str, object]]] = []
    r = running
    jump = rules.value("weekly_distance_jump", "max_rise_pct")
    if (
        r.weekly_km
        and r.weekly_km_prior
        and percent_increase(r.weekly_km, r.weekly_km_prior) > jump
    ):
        out.append(
            ("signal.weekly_distance_jump", {"rise_pct": _pct(r.weekly_km, r.weekly_km_prior)})
        )
    prior = r.longest_run_prior_30d_km
    if (
        r.longest_run_km
        and prior
        and is_spike(percent_increase(r.longest_run_km, prior), rules.spike)
    ):
        out.append(("signal.single_run_spike", {"extra_pct": _pct(r.longest_run_km, prior)}))
    if r.cadence_spm is not None and rules.is_low_cadence(r.cadence_spm):
        out.append(("signal.cadence", cadence_values(r.cadence_spm, rules)))
    out.extend(_equipment_signals(r, signals, shoe_inspection_km))
    out.extend(_habit_signals(r, signals))
    return [(key, fill(signals[key].why or "", values)) for key, values in out]


def cadence_values(cadence_spm: float, rules: FindingRules) -> dict[str, object]:
    """The +low–high % step-rate target from the runner's own baseline, as template values."""
    low, high = rules.cadence_targets(cadence_spm)
    t = rules.records["low_cadence_for_speed"].thresholds
    return {
        "cadence_spm": cadence_spm,
        "low_spm": round(low),
        "high_spm": round(high),
        "target_low_pct": t["target_low_pct"],
        "target_high_pct": t["target_high_pct"],
    }


def _pct(value: float, reference: float) -> float:
    return percent_increase(value, reference)


def _equipment_signals(
    r: Running, signals: dict[str, PlanSignal], shoe_inspection_km: float
) -> list[tuple[str, dict[str, object]]]:
    pairs = signals["signal.shoe_rotation"].threshold or 0
    candidates: list[tuple[bool, str, dict[str, object]]] = [
        (r.shoe_km is not None and r.shoe_km >= shoe_inspection_km, "signal.shoe_inspection",
         {"shoe_km": r.shoe_km, "inspection_km": shoe_inspection_km}),
        (r.shoe_pairs_in_rotation is not None and r.shoe_pairs_in_rotation <= pairs,
         "signal.shoe_rotation", {}),
        (bool(r.surface_changed_recently), "signal.surface_change", {}),
        (bool(r.surfaces) and set(r.surfaces) <= HARD_SURFACES,
         "signal.surface_variety", {}),
    ]  # fmt: skip
    return [(key, values) for applies, key, values in candidates if applies]


def _habit_signals(
    r: Running, signals: dict[str, PlanSignal]
) -> list[tuple[str, dict[str, object]]]:
    """Warm-up, cool-down, strength, sitting, standing, lifting and cross-training habits."""

    def limit(key: str) -> float:
        return signals[key].threshold or 0.0

    sessions = r.strength_sessions_per_week
    sitting, standing = r.sitting_hours_per_day, r.standing_hours_per_day
    names = ", ".join(x.replace("_", " ") for x in r.cross_training)
    candidates: list[tuple[bool, str, dict[str, object]]] = [
        (r.warm_up is False, "signal.warm_up", {}),
        (r.cool_down is False, "signal.cool_down", {}),
        (sessions is not None and sessions < limit("signal.strength"), "signal.strength",
         {"sessions": sessions, "threshold": limit("signal.strength")}),
        (sitting is not None and sitting >= limit("signal.sitting"), "signal.sitting",
         {"hours": sitting}),
        (standing is not None and standing >= limit("signal.standing"), "signal.standing",
         {"hours": standing}),
        (bool(r.deadlifts), "signal.deadlift", {}),
        (bool(r.cross_training), "signal.cross_training", {"names": names}),
    ]  # fmt: skip
    return [(key, values) for applies, key, values in candidates if applies]


def _item(
    signal: PlanSignal,
    why: str,
    extra_sources: tuple[str, ...],
    extra_records: tuple[str, ...],
    *,
    kb: KnowledgeBase,
) -> PlanItem:
    """The signal's item; `extra_records` names the text that said why (data findings)."""
    record = kb.one(PreventionItem, signal.prevention) if signal.prevention else None
    records = (signal.id, *((record.id,) if record else ()), *extra_records)
    sources = _unique(signal.sources + extra_sources + (record.sources if record else ()))
    text = why if record is None else f"{why} {record.advice}"
    title = signal.title if record is None else f"{signal.title}: {record.title}"
    key = "personal." + signal.id.removeprefix("signal.")
    return PlanItem(key, "prevention", title, text, records, sources)


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))

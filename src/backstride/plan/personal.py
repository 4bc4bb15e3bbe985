"""Personal prevention items: the running profile and analytics findings, mapped to advice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backstride.assess.intake import Running
from backstride.domain.finding import Finding
from backstride.knowledge.content import PreventionCategory, PreventionItem
from backstride.knowledge.model import KnowledgeBase
from backstride.plan.model import PlanItem

WEEKLY_JUMP = 0.30  # a week more than 30 % above the usual average (Nielsen 2014)
SPIKE = 0.10  # a run 10 % or more longer than the longest of the previous 30 days
LONG_SITTING_H = 6.0
LONG_STANDING_H = 6.0
LOW_CADENCE_SPM = 170.0  # below the middle population band: worth trying a small increase


@dataclass(frozen=True, slots=True)
class Signal:
    """A modifiable factor: which prevention records it maps to and the sources behind it."""

    title: str
    category: PreventionCategory
    keywords: tuple[str, ...]
    sources: tuple[str, ...]


SIGNALS: dict[str, Signal] = {
    "single_run_spike": Signal(
        "One run much longer than usual", "load", ("spike", "single", "longest"), ("frandsen-2025",)
    ),
    "weekly_distance_jump": Signal(
        "A sudden jump in weekly distance",
        "load",
        ("week", "jump", "increase"),
        ("nielsen-2014", "buist-2008"),
    ),
    "recovery": Signal(
        "Rest days and varied load", "recovery", ("rest", "recover", "monoton"), ("foster-1998",)
    ),
    "cadence": Signal(
        "A slightly quicker step", "form", ("cadence", "step", "stride"), ("heiderscheit-2011",)
    ),
    "vertical_oscillation": Signal(
        "Less bounce", "form", ("bounce", "vertical", "oscillat"), ("garmin-running-dynamics",)
    ),
    "shoe_inspection": Signal(
        "Check your shoes", "footwear", ("inspect", "wear", "replace", "shoe"), ("malisoux-2015",)
    ),
    "shoe_rotation": Signal(
        "Rotate two pairs of shoes", "footwear", ("rotat",), ("malisoux-2015",)
    ),
    "surface_change": Signal(
        "A sudden change of surface", "surface", ("change", "sudden", "new"), ("nice-cks-lbp",)
    ),
    "surface_variety": Signal(
        "Vary your surfaces", "surface", ("soft", "grass", "vary", "hard"), ("nice-cks-lbp",)
    ),
    "warm_up": Signal("Warm up before every run", "warm_up", ("warm",), ("nice-cks-lbp",)),
    "cool_down": Signal("Cool down after every run", "cool_down", ("cool",), ("nice-cks-lbp",)),
    "strength": Signal(
        "Regular strength sessions", "strength", ("strength", "core", "glute"), ("owen-2020",)
    ),
    "sitting": Signal("Break up long sitting", "posture", ("sit", "desk"), ("nice-ng59",)),
    "standing": Signal("Ease long standing", "posture", ("stand",), ("nice-ng59",)),
    "deadlift": Signal(
        "Hinge at the hips when lifting",
        "lifting",
        ("hinge", "deadlift", "lift"),
        ("nice-cks-lbp",),
    ),
    "cross_training": Signal(
        "Cross-training you already enjoy", "cross_training", ("cross",), ("nice-ng59",)
    ),
}

FINDING_SIGNALS: dict[str, str] = {
    "single_run_spike": "single_run_spike",
    "weekly_distance_jump": "weekly_distance_jump",
    "high_monotony": "recovery",
    "no_rest_days": "recovery",
    "acwr_rising": "recovery",
    "low_cadence_for_speed": "cadence",
    "cadence_drop": "cadence",
    "high_vertical_oscillation": "vertical_oscillation",
    "shoe_inspection_due": "shoe_inspection",
    "surface_change": "surface_change",
}


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
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, why in profile_signals(running, shoe_inspection_km=shoe_inspection_km):
        found.setdefault(key, (why, ()))
    for finding in findings:
        mapped = FINDING_SIGNALS.get(finding.id)
        if mapped is not None:
            known = tuple(s for s in finding.sources if s in kb.sources)
            found[mapped] = (f"From your training data: {finding.evidence}", known)
    return tuple(_item(key, *found[key], kb=kb) for key in SIGNALS if key in found)


def profile_signals(running: Running, *, shoe_inspection_km: float) -> list[tuple[str, str]]:
    """(signal key, why in plain words) for each factor the running profile reveals."""
    r = running
    out: list[tuple[str, str]] = []
    if r.weekly_km and r.weekly_km_prior and r.weekly_km > r.weekly_km_prior * (1 + WEEKLY_JUMP):
        rise = (r.weekly_km / r.weekly_km_prior - 1) * 100
        out.append(("weekly_distance_jump", f"Your week rose {rise:.0f} % above your usual."))
    prior = r.longest_run_prior_30d_km
    if r.longest_run_km and prior and r.longest_run_km >= prior * (1 + SPIKE):
        extra = (r.longest_run_km / prior - 1) * 100
        why = f"Your longest run was {extra:.0f} % longer than any run in the 30 days before it."
        out.append(("single_run_spike", why))
    if r.cadence_spm is not None and r.cadence_spm < LOW_CADENCE_SPM:
        out.append(("cadence", cadence_advice(r.cadence_spm)))
    out.extend(_equipment_signals(r, shoe_inspection_km))
    out.extend(_habit_signals(r))
    return out


def cadence_advice(cadence_spm: float) -> str:
    """A +5–10 % step-rate target from the runner's own baseline, with a metronome cue."""
    low, high = round(cadence_spm * 1.05), round(cadence_spm * 1.10)
    return (
        f"Your cadence is about {cadence_spm:.0f} steps per minute. Try {low}–{high} at the same "
        f"easy pace (5–10 % above your own baseline, not a fixed number): set a metronome app "
        f"to {low} beats per minute and match one step to each beat for a few minutes per run."
    )


def _equipment_signals(r: Running, shoe_inspection_km: float) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if r.shoe_km is not None and r.shoe_km >= shoe_inspection_km:
        out.append(
            (
                "shoe_inspection",
                f"Your shoes have about {r.shoe_km:.0f} km on them (the check "
                f"point is {shoe_inspection_km:.0f} km): look for a flattened midsole or "
                "uneven wear.",
            )
        )
    if r.shoe_pairs_in_rotation is not None and r.shoe_pairs_in_rotation <= 1:
        out.append(
            (
                "shoe_rotation",
                "You run in one pair of shoes; alternating two pairs was "
                "linked with fewer injuries in one trial.",
            )
        )
    if r.surface_changed_recently:
        out.append(
            (
                "surface_change",
                "You changed surface recently; treat a new surface as "
                "new load and build up on it gradually.",
            )
        )
    if r.surfaces and set(r.surfaces) <= {"asphalt", "concrete"}:
        out.append(
            (
                "surface_variety",
                "You run only on hard roads; mixing in grass, trail or "
                "track is an option (evidence on hardness itself is weak).",
            )
        )
    return out


def _habit_signals(r: Running) -> list[tuple[str, str]]:
    """Warm-up, cool-down, strength, sitting, standing, lifting and cross-training habits."""
    sessions = r.strength_sessions_per_week
    sitting, standing = r.sitting_hours_per_day, r.standing_hours_per_day
    names = ", ".join(x.replace("_", " ") for x in r.cross_training)
    candidates: list[tuple[bool, str, str]] = [
        (r.warm_up is False, "warm_up", "You do not warm up before runs yet."),
        (r.cool_down is False, "cool_down", "You do not cool down after runs yet."),
        (sessions is not None and sessions < 2, "strength",
         f"You do {sessions} strength sessions a week; two or more is the aim."),
        (sitting is not None and sitting >= LONG_SITTING_H, "sitting",
         f"You sit about {sitting:g} hours a day: stand up, move and stretch every 20–30 "
         "minutes." if sitting is not None else ""),
        (standing is not None and standing >= LONG_STANDING_H, "standing",
         f"You stand about {standing:g} hours a day: shift your weight, use a footrest and "
         "take sitting breaks." if standing is not None else ""),
        (bool(r.deadlifts), "deadlift", "You deadlift: hinge at the hips with the knees bent "
         "and a neutral spine, and lighten the load while your back settles."),
        (bool(r.cross_training), "cross_training",
         f"You already do {names}: use it to keep fit while running is reduced."),
    ]  # fmt: skip
    return [(key, why) for applies, key, why in candidates if applies]


def _item(key: str, why: str, extra_sources: tuple[str, ...], *, kb: KnowledgeBase) -> PlanItem:
    signal = SIGNALS[key]
    record = match_prevention(kb, signal)
    records = (record.id,) if record else ()
    sources = _unique(signal.sources + extra_sources + (record.sources if record else ()))
    text = why if record is None else f"{why} {record.advice}"
    title = signal.title if record is None else f"{signal.title}: {record.title}"
    return PlanItem(f"personal.{key}", "prevention", title, text, records, sources)


def match_prevention(kb: KnowledgeBase, signal: Signal) -> PreventionItem | None:
    """The prevention record of the signal's category that best matches its keywords."""
    pool = [p for p in kb.of(PreventionItem) if p.category == signal.category]

    def score(item: PreventionItem) -> int:
        hay = " ".join((item.id, item.title, *item.topics)).lower()
        return sum(word in hay for word in signal.keywords)

    return max(pool, key=score, default=None)


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))

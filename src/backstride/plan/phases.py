"""The phases of the plan: goals, entry and exit criteria, and the advice each carries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from backstride.knowledge.content import Exercise, Phase, PreventionItem
from backstride.knowledge.model import KnowledgeBase
from backstride.plan.adapt import PHASE_NAMES
from backstride.plan.advice import settle_items
from backstride.plan.model import PhaseBlock, PlanItem
from backstride.plan.schedule import Block

GOALS: dict[Phase, str] = {
    "settle": "Let the pain settle while staying active.",
    "restore": "Restore easy movement and control of the trunk and hips.",
    "strengthen": "Build strength in the core, glutes, hips and back extensors, step by step.",
    "return_to_run": "Return to running with the walk-run template, guided by pain.",
    "prevent": "Keep running with maintenance strength and good habits.",
}

ENTRY: dict[Phase, tuple[str, ...]] = {
    "settle": ("No danger signs in the assessment.",),
    "restore": ("Pain at rest is easing and daily activities are manageable.",),
    "strengthen": ("Mobility and control exercises are comfortable (pain no more than 3/10).",),
    "return_to_run": (
        "30 minutes of brisk walking without pain.",
        "Strength exercises done without a rise in pain the next morning.",
        "No leg or nerve symptoms.",
    ),
    "prevent": ("Continuous running of 2.5–3 km at an easy effort, done twice without a flare.",),
}

EXIT: dict[Phase, tuple[str, ...]] = {
    "settle": (
        "Pain now 3/10 or less, or clearly easing.",
        "You can walk 20 minutes comfortably.",
    ),
    "restore": ("Each exercise feels easy for its full dose on three days in a row.",),
    "strengthen": (
        "The top dose of each strength exercise is manageable.",
        "Pain stays settled by the next morning after strength sessions.",
    ),
    "return_to_run": (
        "Each walk-run step done at least twice with pain during no more than 5/10, "
        "settled by the next morning and not rising week to week.",
    ),
    "prevent": ("Ongoing: keep two strength sessions a week and the warm-up routine.",),
}

RULE_ITEM = PlanItem(
    "return_to_run.rule",
    "advice",
    "The pain-monitoring rule",
    "Move to the next walk-run step only when pain during the run stays at or below 5/10, "
    "has settled by the next morning and is not rising from week to week. Do each step at "
    "least twice, with a rest day between runs, at an effort of 3 to 5 out of 10. New leg or "
    "nerve symptoms stop progression at once.",
    (),
    ("silbernagel-2007", "trials-2023-walkrun"),
)
PROGRESSION_ITEM = PlanItem(
    "strengthen.progression",
    "advice",
    "How the strength work progresses",
    "The dose of each strength exercise rises a little each week, from its starting dose "
    "towards its top dose. If a session leaves you sorer the next morning, repeat last week's "
    "dose.",
    (),
    ("owen-2020", "nice-ng59"),
)
RESTORE_ITEM = PlanItem(
    "restore.movement",
    "advice",
    "Movement is safe",
    "Gentle mobility and control exercises help the back recover. Some discomfort while "
    "moving is normal and is not a sign of harm; runners' discs are, on average, healthier "
    "than non-runners'.",
    (),
    ("nice-ng59", "belavy-2017"),
)
INTERIM_ITEM = PlanItem(
    "interim.no_running",
    "warning",
    "Running stays paused until your review",
    "This is a conservative interim plan. Ask the clinician at your review when and how to "
    "start the walk-run programme.",
    (),
    ("nice-ng59",),
)


def phase_blocks(
    blocks: Sequence[Block],
    exercises: Mapping[Phase, tuple[Exercise, ...]],
    start: date,
    *,
    kb: KnowledgeBase,
    interim: bool,
) -> tuple[PhaseBlock, ...]:
    """A PhaseBlock per scheduled block, with dates, criteria and cited items."""
    return tuple(
        PhaseBlock(
            phase=b.phase,
            title=PHASE_NAMES[b.phase],
            goal=GOALS[b.phase],
            start=start + timedelta(days=b.first),
            end=start + timedelta(days=b.first + b.length - 1),
            entry=ENTRY[b.phase],
            exit=EXIT[b.phase],
            items=_items(b.phase, kb, interim=interim and b is blocks[-1]),
            exercise_ids=tuple(e.id for e in exercises.get(b.phase, ())),
        )
        for b in blocks
    )


def _items(phase: Phase, kb: KnowledgeBase, *, interim: bool) -> tuple[PlanItem, ...]:
    extra = (INTERIM_ITEM,) if interim else ()
    if phase == "settle":
        return settle_items(kb) + extra
    if phase == "restore":
        return (RESTORE_ITEM, *extra)
    if phase == "strengthen":
        return (PROGRESSION_ITEM, *extra)
    if phase == "return_to_run":
        return (RULE_ITEM, *_routines(kb, ("warm_up", "cool_down")))
    return _routines(kb, ("warm_up", "cool_down", "strength", "recovery"))


def _routines(kb: KnowledgeBase, categories: tuple[str, ...]) -> tuple[PlanItem, ...]:
    """Warm-up, cool-down and maintenance records as phase items."""
    found = tuple(
        PlanItem(f"routine.{p.id}", "prevention", p.title, p.advice, (p.id,), p.sources)
        for category in categories
        for p in kb.of(PreventionItem)
        if p.category == category
    )
    return found or (ROUTINE_ITEM,)


ROUTINE_ITEM = PlanItem(
    "routine.warm_up_cool_down",
    "prevention",
    "Warm-up and cool-down",
    "Before each run: 5–10 minutes of brisk walking or easy jogging with leg swings and hip "
    "circles. After: 5 minutes of walking, then gentle stretches for the hips and back.",
    (),
    ("nice-cks-lbp",),
)

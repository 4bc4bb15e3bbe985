"""Choosing exercises from the knowledge base for a phase, and dosing them week by week."""

from __future__ import annotations

from backstride.knowledge.content import (
    ALTERNATIVE_KINDS,
    PHASES,
    CautionTag,
    Dose,
    Exercise,
    Phase,
)
from backstride.knowledge.labels import label_record, plain
from backstride.knowledge.model import KnowledgeBase
from backstride.plan.cautions import suitable
from backstride.plan.model import Alternative, Prescription

#: How many exercises of each category a session of each phase holds (a short routine).
QUOTAS: dict[Phase, dict[str, int]] = {
    "settle": {"mobility": 1, "motor_control": 1, "stretch": 1, "conditioning": 1},
    "restore": {"mobility": 1, "stretch": 1, "motor_control": 2, "strength": 1, "conditioning": 1},
    "strengthen": {"strength": 4, "motor_control": 1, "stretch": 1},
    "return_to_run": {"strength": 3, "motor_control": 1, "stretch": 1},
    "prevent": {"strength": 3, "motor_control": 1, "mobility": 1, "stretch": 1},
}


def phase_exercises(
    kb: KnowledgeBase,
    phase: Phase,
    cautions: frozenset[CautionTag],
    first: tuple[str, ...] = (),
    only_with_care: frozenset[str] = frozenset(),
) -> tuple[Exercise, ...]:
    """Suitable exercises for a phase: per-category quotas, spread over different muscles.

    Exercises named in `first` (matched care) are chosen before the others of their
    category; those in `only_with_care` only when `first` names them. A category with no
    suitable exercise in the phase borrows from the nearest earlier phase.
    References: owen-2020, nice-ng59
    """
    chosen: list[Exercise] = []
    for category, count in QUOTAS[phase].items():
        for candidate in reversed(PHASES[: PHASES.index(phase) + 1]):
            pool = [
                e
                for e in kb.of(Exercise)
                if e.category == category
                and candidate in e.phases
                and suitable(e, cautions)
                and (e.id in first or e.id not in only_with_care)
            ]
            if pool:
                chosen.extend(_spread(pool, count, phase, first))
                break
    return tuple(chosen)


def _spread(
    pool: list[Exercise], count: int, phase: Phase, first: tuple[str, ...] = ()
) -> list[Exercise]:
    """Greedy choice: matched-care ones first, then each next exercise works muscles not yet
    covered; native ones first."""
    picked: list[Exercise] = []
    covered: set[str] = set()
    remaining = list(pool)
    while remaining and len(picked) < count:
        best = max(
            remaining,
            key=lambda e: (_rank(e.id, first), len(_words(e) - covered), e.phases[0] == phase),
        )
        picked.append(best)
        remaining.remove(best)
        covered |= _words(best)
    return picked


def _rank(exercise_id: str, first: tuple[str, ...]) -> int:
    """Higher for exercises earlier in `first`; 0 for the others."""
    return len(first) - first.index(exercise_id) if exercise_id in first else 0


def _words(exercise: Exercise) -> set[str]:
    return {w for target in exercise.targets for w in target.lower().split()}


def alternatives(
    kb: KnowledgeBase, exercise: Exercise, cautions: frozenset[CautionTag]
) -> tuple[Alternative, ...]:
    """The easier, harder and swap exercises the record names that suit the person.

    An alternative under one of the person's cautions is left out, as the exercise would be.
    References: nice-ng59, owen-2020
    """
    found = []
    for kind in ALTERNATIVE_KINDS:
        label = label_record(kb, "alternative", kind)
        words = label.words if label is not None else plain(kb, "alternative", kind)
        records = (label.id,) if label is not None else ()
        for other_id in getattr(exercise, kind):
            other = kb.one(Exercise, other_id)
            if suitable(other, cautions):
                found.append(
                    Alternative(
                        kind, other.id, other.name, words, other.steps, other.sources, records
                    )
                )
    return tuple(found)


def prescribe(
    exercise: Exercise,
    *,
    week: int,
    ramp_weeks: int,
    offered: tuple[Alternative, ...] = (),
) -> Prescription:
    """The exercise with its dose in week `week` of a `ramp_weeks` climb (0 = starting dose),
    and the alternatives `offered` beside it."""
    fraction = min(max(week, 0), ramp_weeks) / ramp_weeks
    start, top = exercise.dose, exercise.dose_max
    return Prescription(
        exercise_id=exercise.id,
        name=exercise.name,
        category=exercise.category,
        sets=_between(start.sets, top.sets, fraction),
        reps=_between_opt(start.reps, top.reps, fraction),
        hold_s=_round_hold(_between_opt(start.hold_s, top.hold_s, fraction)),
        per_side=start.per_side,
        steps=exercise.steps,
        caution_text=exercise.caution_text,
        sources=exercise.sources,
        alternatives=offered,
    )


def _between(low: int, high: int, fraction: float) -> int:
    return low + round((high - low) * fraction)


def _between_opt(low: int | None, high: int | None, fraction: float) -> int | None:
    if low is None:
        return None
    return _between(low, high if high is not None else low, fraction)


def _round_hold(hold_s: int | None) -> int | None:
    """Holds of 10 s or more in steps of 5 s, so a dose is easy to time."""
    if hold_s is None or hold_s < 10:
        return hold_s
    return 5 * round(hold_s / 5)


def on_day(dose: Dose, weekday: int) -> bool:
    """Whether an exercise dosed `sessions_per_week` falls on day `weekday` (0–6) of a week."""
    pattern = _WEEK_PATTERNS.get(min(dose.sessions_per_week, 7), frozenset(range(7)))
    return weekday in pattern


_WEEK_PATTERNS: dict[int, frozenset[int]] = {
    1: frozenset({0}),
    2: frozenset({0, 3}),
    3: frozenset({0, 2, 4}),
    4: frozenset({0, 1, 3, 4}),
    5: frozenset({0, 1, 2, 3, 4}),
    6: frozenset({0, 1, 2, 3, 4, 5}),
    7: frozenset(range(7)),
}

"""The diary's quick red-flag check ("any of these new?") and how an answer maps onto a case.

Each question names the case-file field (spec/assessment-contract.md) it sets, so a new
answer re-runs the real triage on the latest case with that field changed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backstride.domain.vocabulary import LOCATIONS
from backstride.errors import InputError

#: Where the runner may mark pain in the diary: the case-file vocabulary plus the spine centre.
DIARY_LOCATIONS: tuple[str, ...] = ("spine_centre", *LOCATIONS)


@dataclass(frozen=True, slots=True)
class RedFlagQuestion:
    """One quick diary question and the case field a "yes, new" answer sets."""

    id: str
    text: str
    section: str
    field: str
    value: object
    #: Used only when no triage engine is available: the contract's urgency for this sign.
    fallback_urgency: str = "emergency"


RED_FLAG_QUESTIONS: tuple[RedFlagQuestion, ...] = (
    RedFlagQuestion(
        "saddle_numbness",
        "Numbness around the back passage, genitals or inner thighs",
        "neuro",
        "saddle_numbness",
        True,
    ),
    RedFlagQuestion(
        "bladder_change",
        "Trouble starting or stopping urine, or leaking",
        "neuro",
        "bladder_change",
        True,
    ),
    RedFlagQuestion(
        "bowel_change",
        "Leaking from the bowel or not feeling your back passage",
        "neuro",
        "bowel_change",
        True,
    ),
    RedFlagQuestion(
        "sexual_dysfunction_new",
        "A change in sexual function",
        "neuro",
        "sexual_dysfunction_new",
        True,
    ),
    RedFlagQuestion(
        "leg_weakness_progressive",
        "Leg weakness that is getting worse, or a foot that drops or slaps",
        "neuro",
        "leg_weakness",
        "progressive",
    ),
    RedFlagQuestion(
        "leg_weakness_both_legs",
        "Weakness, numbness or pain in both legs",
        "neuro",
        "leg_weakness",
        "both_legs",
    ),
    RedFlagQuestion(
        "gait_disturbance",
        "Unsteady walking or tripping that is new",
        "neuro",
        "gait_disturbance",
        True,
    ),
    RedFlagQuestion("fever", "A fever or shivering attacks", "general", "fever", True, "urgent"),
    RedFlagQuestion(
        "unexplained_weight_loss",
        "Weight loss you cannot explain",
        "general",
        "unexplained_weight_loss",
        True,
        "urgent",
    ),
    RedFlagQuestion(
        "night_pain_unrelieved",
        "Constant pain at night that no position eases",
        "pain",
        "night_pain_unrelieved",
        True,
        "urgent",
    ),
    RedFlagQuestion(
        "chest_pain", "Chest pain going through to the back", "general", "chest_pain", True
    ),
    RedFlagQuestion(
        "collapse_or_pulsatile_mass",
        "Collapse, or a throbbing lump in the belly",
        "general",
        "collapse_or_pulsatile_mass",
        True,
    ),
    RedFlagQuestion(
        "urinary_symptoms_with_flank_pain",
        "Fever with pain in the side and burning or frequent urine",
        "general",
        "urinary_symptoms_with_flank_pain",
        True,
        "urgent",
    ),
)
QUESTIONS_BY_ID: dict[str, RedFlagQuestion] = {q.id: q for q in RED_FLAG_QUESTIONS}


def check_red_flag_ids(ids: Iterable[str]) -> tuple[str, ...]:
    """The ids, de-duplicated in order; an unknown id is an InputError naming the choices."""
    return _checked(ids, tuple(QUESTIONS_BY_ID), field="red_flags", noun="question")


def check_locations(locations: Iterable[str]) -> tuple[str, ...]:
    """The locations, de-duplicated; an unknown one is an InputError naming the vocabulary."""
    return _checked(locations, DIARY_LOCATIONS, field="locations", noun="location")


def _checked(
    values: Iterable[str], allowed: tuple[str, ...], *, field: str, noun: str
) -> tuple[str, ...]:
    seen: list[str] = []
    for value in values:
        if value not in allowed:
            raise InputError(
                f"{field}: unknown {noun} {value!r}, expected one of " + ", ".join(allowed)
            )
        if value not in seen:
            seen.append(value)
    return tuple(seen)


def apply_red_flag_answers(case: Mapping[str, Any], ids: Iterable[str]) -> dict[str, Any]:
    """A copy of the case-file mapping with each new red-flag answer set on it."""
    updated: dict[str, Any] = copy.deepcopy(dict(case))
    for flag_id in check_red_flag_ids(ids):
        question = QUESTIONS_BY_ID[flag_id]
        section = dict(updated.get(question.section) or {})
        if question.field == "leg_weakness" and section.get("leg_weakness") == "both_legs":
            continue  # both legs is already the more serious answer
        section[question.field] = question.value
        updated[question.section] = section
    return updated


def fallback_urgency(ids: Iterable[str]) -> str | None:
    """The highest urgency the questions name, for use only when triage cannot run.

    References: nice-ng59, girft-cauda-equina
    """
    levels = [QUESTIONS_BY_ID[i].fallback_urgency for i in check_red_flag_ids(ids)]
    if not levels:
        return None
    return "emergency" if "emergency" in levels else "urgent"


def case_locations(locations: Iterable[str]) -> tuple[str, ...]:
    """Diary locations in the case vocabulary (the spine centre counts as central low back)."""
    mapped = ("low_back_central" if loc == "spine_centre" else loc for loc in locations)
    return tuple(dict.fromkeys(mapped))

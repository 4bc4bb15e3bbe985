"""The diary's quick red-flag check ("any of these new?") and how an answer maps onto a case.

The questions are the red-flag triggers' `diary` checks in the knowledge base
(red_flags.yaml): each names the answers it sets on the case file
(spec/assessment-contract.md), so a new answer re-runs the real triage on the latest case
with those answers set. When no case exists to re-run, the red flag's own urgency stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backstride.domain.vocabulary import LOCATIONS
from backstride.errors import InputError
from backstride.knowledge import urgency as urgency_table
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import RedFlag

#: Where the runner may mark pain in the diary: the case-file vocabulary plus the spine centre.
DIARY_LOCATIONS: tuple[str, ...] = ("spine_centre", *LOCATIONS)
_SIDES = {"left": ("thigh_left", "below_knee_left"), "right": ("thigh_right", "below_knee_right")}


@dataclass(frozen=True, slots=True)
class RedFlagQuestion:
    """One quick diary question: the id diary entries store, its text and what it sets."""

    id: str
    text: str
    trigger: str  # the red-flag trigger it feeds
    flag: str  # the red flag that trigger raises
    urgency: str  # that red flag's urgency (used only when triage cannot run)
    sets: Mapping[str, Any]


def red_flag_questions(kb: KnowledgeBase) -> tuple[RedFlagQuestion, ...]:
    """Every diary red-flag question, emergency flags first (knowledge-base order).

    References: nice-ng59, girft-cauda-equina
    """
    found: list[RedFlagQuestion] = []
    records = sorted(kb.of(RedFlag), key=lambda r: -urgency_table.level(kb, r.urgency).rank)
    for record in records:
        for trigger in record.triggers:
            diary = trigger.diary
            if diary is None:
                continue
            sets = diary.sets if diary.sets is not None else trigger.sets
            assert sets is not None, "checked when the knowledge base is loaded"
            found.append(
                RedFlagQuestion(diary.id, diary.text, trigger.id, record.id, record.urgency, sets)
            )
    return tuple(found)


def questions_by_id(kb: KnowledgeBase) -> dict[str, RedFlagQuestion]:
    """The diary questions by the id entries store (built once per knowledge-base digest)."""
    found = _BY_ID.get(kb.digest)
    if found is None:
        found = _BY_ID[kb.digest] = {q.id: q for q in red_flag_questions(kb)}
    return dict(found)


#: The questions by id, per knowledge-base digest (a knowledge base never changes once loaded).
_BY_ID: dict[str, dict[str, RedFlagQuestion]] = {}


def check_red_flag_ids(ids: Iterable[str], kb: KnowledgeBase) -> tuple[str, ...]:
    """The ids, de-duplicated in order; an unknown id is an InputError naming the choices."""
    return _checked(ids, tuple(questions_by_id(kb)), field="red_flags", noun="question")


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


def apply_red_flag_answers(
    case: Mapping[str, Any], ids: Iterable[str], kb: KnowledgeBase
) -> dict[str, Any]:
    """A copy of the case-file mapping with each new red-flag answer's `sets` on it."""
    updated: dict[str, Any] = dict(case)  # sections are copied before they change
    flag_ids = check_red_flag_ids(ids, kb)
    by_id = questions_by_id(kb) if flag_ids else {}
    for flag_id in flag_ids:
        for dotted, value in by_id[flag_id].sets.items():
            section_name, field_name = dotted.split(".", 1)
            section = dict(updated.get(section_name) or {})
            if field_name == "leg_weakness" and section.get("leg_weakness") == "both_legs":
                continue  # both legs is already the more serious answer
            section[field_name] = list(value) if isinstance(value, tuple) else value
            updated[section_name] = section
    return updated


def apply_diary_locations(case: Mapping[str, Any], locations: Iterable[str]) -> dict[str, Any]:
    """The case with the diary's pain places added; a leg newly affected marks leg symptoms new.

    A side of the body whose leg the case did not have (pain or numbness) is new since the
    assessment, so `neuro.leg_symptoms_new` is set and the real triage reads both legs as new.

    References: girft-cauda-equina, bass-sbns-2018
    """
    updated: dict[str, Any] = dict(case)  # sections are copied before they change
    pain = dict(updated.get("pain") or {})
    neuro = dict(updated.get("neuro") or {})
    before = [*pain.get("locations", ()), *neuro.get("numbness_or_tingling", ())]
    added = [loc for loc in case_locations(locations) if loc not in pain.get("locations", ())]
    if not added:
        return updated
    pain["locations"] = [*pain.get("locations", ()), *added]
    updated["pain"] = pain
    old_sides = {side for side, legs in _SIDES.items() if set(legs) & set(before)}
    new_sides = {side for side, legs in _SIDES.items() if set(legs) & set(added)}
    if new_sides - old_sides:
        neuro["leg_symptoms_new"] = True
        updated["neuro"] = neuro
    return updated


def fallback_urgency(ids: Iterable[str], kb: KnowledgeBase) -> str | None:
    """The highest urgency of the red flags the questions feed, when triage cannot run.

    References: nice-ng59, girft-cauda-equina
    """
    by_id = questions_by_id(kb)
    levels = [by_id[i].urgency for i in check_red_flag_ids(ids, kb)]
    if not levels:
        return None
    return max(levels, key=lambda u: urgency_table.level(kb, u).rank)


def case_locations(locations: Iterable[str]) -> tuple[str, ...]:
    """Diary locations in the case vocabulary (the spine centre counts as central low back)."""
    mapped = ("low_back_central" if loc == "spine_centre" else loc for loc in locations)
    return tuple(dict.fromkeys(mapped))

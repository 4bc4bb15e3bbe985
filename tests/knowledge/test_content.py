"""Integrity of the packaged content: references, exercises, medicines, counts."""

from __future__ import annotations

import re

import pytest

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import (
    PHASES,
    EducationTopic,
    Exercise,
    Phase,
    PreventionItem,
    Treatment,
)

KB = load_knowledge_base()
EXERCISES = KB.of(Exercise)
TREATMENTS = KB.of(Treatment)
EDUCATION = KB.of(EducationTopic)
PREVENTION = KB.of(PreventionItem)
DOSE_PATTERN = re.compile(r"\d+(?:[.,]\d+)?\s*(?:mg|g|mcg|µg|ml)\b", re.IGNORECASE)


def _volume(dose: object) -> int:
    sets = getattr(dose, "sets", 1)
    reps = getattr(dose, "reps", None) or 1
    hold = getattr(dose, "hold_s", None) or 1
    return int(sets * reps * hold * getattr(dose, "sessions_per_week", 1))


def test_every_cited_source_and_guideline_position_resolves() -> None:
    cited = {source for record in KB.records.values() for source in record.sources}
    cited |= {position.source for t in TREATMENTS for position in t.positions}
    assert cited - set(KB.sources) == set()


def test_there_are_at_least_25_exercises_12_education_topics_and_many_treatments() -> None:
    assert len(EXERCISES) >= 25
    assert len(EDUCATION) >= 12
    assert len(TREATMENTS) >= 25
    assert len(PREVENTION) >= 15


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_exercise_can_be_followed_and_is_cited(exercise: Exercise) -> None:
    assert len(exercise.steps) >= 2
    assert all(len(step) > 15 for step in exercise.steps)
    assert exercise.phases
    assert exercise.sources
    assert exercise.progression
    assert exercise.regression
    assert exercise.dose.reps or exercise.dose.hold_s
    assert _volume(exercise.dose_max) >= _volume(exercise.dose)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_an_exercise_with_cautions_explains_them(exercise: Exercise) -> None:
    assert bool(exercise.cautions) == bool(exercise.caution_text)


@pytest.mark.parametrize("phase", PHASES)
def test_every_phase_has_at_least_four_exercises_without_cautions(phase: Phase) -> None:
    free = [e.id for e in EXERCISES if phase in e.phases and not e.cautions]
    assert len(free) >= 4, free


@pytest.mark.parametrize("phase", PHASES)
def test_every_phase_offers_more_than_one_category(phase: Phase) -> None:
    categories = {e.category for e in EXERCISES if phase in e.phases and not e.cautions}
    assert len(categories) >= 2


@pytest.mark.parametrize(
    "treatment", [t for t in TREATMENTS if t.category == "medicine"], ids=lambda t: t.id
)
def test_medicines_never_state_a_dose_and_defer_to_a_professional(treatment: Treatment) -> None:
    texts = [treatment.name, treatment.reason, treatment.summary]
    texts += [p.note or "" for p in treatment.positions]
    for text in texts:
        assert DOSE_PATTERN.search(text) is None, text
    assert re.search(r"doctor|pharmacist|prescriber", treatment.summary + treatment.reason)


@pytest.mark.parametrize(
    "record",
    [
        r
        for r in KB.records.values()
        if {"otc-medicines", "medicines"} & set(getattr(r, "topics", ()))
    ],
    ids=lambda r: r.id,
)
def test_no_record_about_medicines_states_a_dose(record: object) -> None:
    assert DOSE_PATTERN.search(record.model_dump_json()) is None


def test_the_dose_pattern_would_catch_a_stated_dose() -> None:
    assert DOSE_PATTERN.search("take 400 mg three times a day")
    assert DOSE_PATTERN.search("up to 1.5g daily")
    assert DOSE_PATTERN.search("lowest effective dose for the shortest time") is None


@pytest.mark.parametrize("entry", EDUCATION, ids=lambda e: e.id)
def test_myth_entries_state_both_the_myth_and_the_evidence(entry: EducationTopic) -> None:
    assert (entry.myth is None) == (entry.evidence is None)
    if entry.id.startswith("myth-"):
        assert entry.myth
        assert entry.evidence


def test_every_record_id_is_unique_across_kinds_and_sources() -> None:
    assert not set(KB.records) & set(KB.sources)

"""The assessment's knowledge-base records are complete, consistent and interpretable."""

from __future__ import annotations

import itertools
from typing import get_args

import pytest

from backstride.assess.conditions import fields_named, known_fields
from backstride.assess.result import (
    URGENCY_ORDER,
    Duration,
    PatternId,
    RedFlagId,
    ReferralReason,
)
from backstride.assess.triage import classify_duration
from backstride.knowledge import KnowledgeBase
from backstride.knowledge.rules import (
    Condition,
    DurationClass,
    Pattern,
    Questionnaire,
    RedFlag,
    TriageRule,
)


def _conditions(kb: KnowledgeBase) -> list[tuple[str, Condition]]:
    found: list[tuple[str, Condition]] = []
    for flag in kb.of(RedFlag):
        found += [(t.id, t.when) for t in (*flag.triggers, *flag.weak_triggers)]
    found += [(r.id, r.when) for r in kb.of(TriageRule) if r.when is not None]
    for pattern in kb.of(Pattern):
        found += [(f.id, f.when) for f in pattern.features]
        found += [(pattern.id, c) for c in (pattern.requires, pattern.excluded_by) if c]
    return found


def _uses_not(condition: Condition) -> bool:
    children = [*(condition.any_ or ()), *(condition.all_ or ()), *(condition.of or ())]
    return condition.not_ is not None or any(_uses_not(c) for c in children)


def test_every_field_a_rule_reads_exists_in_the_case_model(kb: KnowledgeBase) -> None:
    fields = known_fields()
    for rule_id, condition in _conditions(kb):
        for name in fields_named(condition):
            assert name in fields, f"{rule_id} reads unknown field {name}"


def test_every_answer_a_screening_question_stores_is_a_case_field(kb: KnowledgeBase) -> None:
    fields = known_fields()
    for flag in kb.of(RedFlag):
        for trigger in (*flag.triggers, *flag.weak_triggers):
            assert set(trigger.sets or {}) <= fields, trigger.id
        for trigger in flag.triggers:
            if trigger.diary is not None:
                assert set(trigger.diary.sets or {}) <= fields, trigger.id


def test_red_flag_records_are_exactly_the_contract_ids(kb: KnowledgeBase) -> None:
    assert {r.id for r in kb.of(RedFlag)} == set(get_args(RedFlagId))


@pytest.mark.covers("cauda_equina", "malignancy", "metastatic_cord_compression")
def test_red_flag_triggers_never_negate_so_more_warning_answers_only_add_flags(
    kb: KnowledgeBase,
) -> None:
    for flag in kb.of(RedFlag):
        for trigger in flag.triggers:
            assert not _uses_not(trigger.when), trigger.id


def test_red_flag_references_name_existing_red_flags(kb: KnowledgeBase) -> None:
    ids = {r.id for r in kb.of(RedFlag)}

    def refs(c: Condition) -> set[str]:
        children = [*(c.any_ or ()), *(c.all_ or ()), *(c.of or ())]
        own = {c.red_flag} if c.red_flag else set()
        return own.union(*(refs(child) for child in children))

    for rule_id, condition in _conditions(kb):
        assert refs(condition) <= ids, rule_id


@pytest.mark.covers("cauda_equina", "progressive_neuro_deficit", "major_trauma")
def test_every_emergency_flag_has_a_screening_question_or_is_derived(kb: KnowledgeBase) -> None:
    for flag in kb.of(RedFlag):
        asked = [t for t in flag.triggers if t.question]
        if flag.id != "metastatic_cord_compression":
            assert asked, f"{flag.id} has no interactive question"


def test_every_referral_reason_has_exactly_one_rule(kb: KnowledgeBase) -> None:
    reasons = [r.reason for r in kb.of(TriageRule) if r.reason is not None]
    assert sorted(reasons) == sorted(get_args(ReferralReason))


def test_every_urgency_level_has_an_action_and_the_ranks_are_ordered(kb: KnowledgeBase) -> None:
    levels = {r.urgency: r for r in kb.of(TriageRule) if r.when is None}
    assert [levels[u].rank for u in URGENCY_ORDER] == list(range(len(URGENCY_ORDER)))
    assert all(level.action and level.label and level.heading for level in levels.values())


def test_every_pattern_of_the_contract_has_a_record(kb: KnowledgeBase) -> None:
    assert {p.pattern for p in kb.of(Pattern)} == set(get_args(PatternId))
    assert [p.pattern for p in kb.of(Pattern) if p.fallback] == ["nonspecific"]


@pytest.mark.covers("duration.acute", "duration.subacute", "duration.chronic")
def test_duration_classes_cover_every_day_without_gaps_or_overlaps(kb: KnowledgeBase) -> None:
    classes = sorted(kb.of(DurationClass), key=lambda d: d.min_days)
    assert {c.duration for c in classes} == set(get_args(Duration))
    assert classes[0].min_days == 0
    assert classes[-1].max_days is None
    for before, after in itertools.pairwise(classes):
        assert before.max_days is not None
        assert after.min_days == before.max_days + 1


@pytest.mark.covers("duration.acute", "duration.subacute", "duration.chronic")
@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, "acute"), (27, "acute"), (28, "subacute"), (84, "subacute"), (85, "chronic"),
     (5000, "chronic"), (None, None)],
)  # fmt: skip
def test_duration_day_boundaries(days: int | None, expected: str | None, kb: KnowledgeBase) -> None:
    assert classify_duration(days, kb)[0] == expected


def test_every_rule_cites_sources_that_exist(kb: KnowledgeBase) -> None:
    kinds = (RedFlag, TriageRule, DurationClass, Pattern, Questionnaire)
    for record in (r for kind in kinds for r in kb.of(kind)):
        assert record.sources, record.id
        assert set(record.sources) <= set(kb.sources), record.id


def test_the_oswestry_index_is_not_shipped(kb: KnowledgeBase) -> None:
    names = " ".join(q.name.lower() for q in kb.of(Questionnaire))
    assert "oswestry" not in names
    assert {q.id for q in kb.of(Questionnaire)} == {"startback", "rmdq"}

"""The seed-claims checklist: every topic covered by a record, no unknown topic tags."""

from __future__ import annotations

import re

import pytest

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.checklist import (
    EXTRA_TOPICS,
    SEED_TOPICS,
    coverage,
    uncovered_topics,
    unknown_topics,
)
from backstride.knowledge.content import PreventionItem
from backstride.knowledge.model import KnowledgeBase

KB = load_knowledge_base()
TAG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_every_seed_topic_is_covered_by_at_least_one_record() -> None:
    assert uncovered_topics(KB) == []


def test_no_record_uses_a_topic_tag_outside_the_checklist() -> None:
    assert unknown_topics(KB.records.values()) == []


def test_checklist_tags_are_stable_slugs_with_a_description() -> None:
    assert not set(SEED_TOPICS) & set(EXTRA_TOPICS)
    for tag, description in {**SEED_TOPICS, **EXTRA_TOPICS}.items():
        assert TAG.match(tag), tag
        assert len(description) > 3


@pytest.mark.parametrize(
    ("topic", "record_id"),
    [
        pytest.param(
            "ice-and-heat", "superficial-heat", marks=pytest.mark.covers("superficial-heat")
        ),
        pytest.param("anatomy", "edu-anatomy", marks=pytest.mark.covers("edu-anatomy")),
        pytest.param(
            "cadence", "form-cadence-increase", marks=pytest.mark.covers("form-cadence-increase")
        ),
        pytest.param("donkey-kick", "donkey-kick", marks=pytest.mark.covers("donkey-kick")),
        pytest.param(
            "red-flags", "edu-when-to-seek-help", marks=pytest.mark.covers("edu-when-to-seek-help")
        ),
    ],
)
def test_coverage_lists_the_records_of_a_topic(topic: str, record_id: str) -> None:
    assert record_id in coverage(KB)[topic]


def test_a_missing_topic_and_an_unknown_tag_are_both_reported() -> None:
    only = PreventionItem(
        id="only-item",
        title="Only item",
        category="warm_up",
        advice="Warm up.",
        sources=("nice-ng59",),
        topics=("warm-up", "no-such-topic"),
    )
    kb = KnowledgeBase(version="t", digest="0" * 64, sources=KB.sources, records={only.id: only})
    missing = uncovered_topics(kb)
    assert "warm-up" not in missing
    assert "anatomy" in missing
    assert len(missing) == len(SEED_TOPICS) - 1
    assert unknown_topics([only]) == [("only-item", "no-such-topic")]

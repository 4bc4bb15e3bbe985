"""Plain words for the values people see: answer choices, caution tags and advice codes.

A label record names a vocabulary and one of its values; the terminal, the reports and
the web show `label` (with the medical `term` in brackets when there is one) instead of
the code, which stays in JSON and the clinician report.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from backstride.knowledge.model import KnowledgeBase, Record
from backstride.knowledge.served import note_served

Vocabulary = Literal[
    "location", "onset", "worse_with", "better_with", "sex", "trend", "caution", "run_advice",
    "evidence", "alternative", "treatment_status", "plan_status",
]  # fmt: skip


class PlainLabel(Record):
    """Plain words for one value of one vocabulary (the medical term, when useful)."""

    vocabulary: Vocabulary
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)
    term: str | None = None

    @property
    def words(self) -> str:
        """The label, with the medical term in brackets when there is one."""
        return f"{self.label} ({self.term})" if self.term else self.label


LABEL_KINDS = {"plain_label": PlainLabel}


def label_record(kb: KnowledgeBase, vocabulary: Vocabulary, value: str) -> PlainLabel | None:
    """The label record of `value` in `vocabulary`, if there is one."""
    for record in kb.of(PlainLabel):
        if record.vocabulary == vocabulary and record.value == value:
            note_served(record.id)
            return record
    return None


def plain(kb: KnowledgeBase, vocabulary: Vocabulary, value: str) -> str:
    """The plain words for `value`; without a record, the code with spaces for underscores."""
    record = label_record(kb, vocabulary, value)
    return record.words if record is not None else value.replace("_", " ")

"""Base record types and the KnowledgeBase container. Kinds of record register here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class Strict(BaseModel):
    """Base for knowledge-base schemas: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


#: What kind of evidence a source is (plain words for each: labels.yaml, vocabulary evidence).
EvidenceKind = Literal[
    "guideline", "clinical_summary", "systematic_review", "narrative_review", "trial",
    "trial_protocol", "cohort", "cross_sectional", "laboratory_study", "method_study",
    "instrument", "consensus", "expert_opinion", "modelling", "book",
    "technical_documentation", "patient_information",
]  # fmt: skip


class Source(Strict):
    """A citable source, with what kind of evidence it is and, when it is about another
    condition or group of people, in plain words how far it is extrapolated."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    authors: str = Field(min_length=2, description="authors or issuing organisation")
    year: int = Field(ge=1900, le=2100)
    venue: str = Field(min_length=2, description="journal, publisher or organisation")
    short: str | None = Field(
        default=None, min_length=2, max_length=40,
        description="how running text names the authors, when not their first surname (NICE)",
    )  # fmt: skip
    url: str | None = None
    doi: str | None = None
    note: str | None = None
    evidence: EvidenceKind
    extrapolated: str | None = Field(
        default=None, min_length=10,
        description="plain words: the source is about another condition or group of people",
    )  # fmt: skip


class Record(Strict):
    """Every knowledge-base record except a Source: an id and at least one source id."""

    id: str = Field(pattern=ID_PATTERN)
    sources: tuple[str, ...] = Field(min_length=1)


R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class KnowledgeBase:
    """All records, by kind and by id, with the version and digest that produced them."""

    version: str
    digest: str
    sources: dict[str, Source]
    records: dict[str, Record]

    def of(self, kind: type[R]) -> list[R]:
        """Every record of one schema type, in file order."""
        return [r for r in self.records.values() if type(r) is kind]

    def get(self, record_id: str) -> Record:
        """One record by id (KeyError when absent)."""
        return self.records[record_id]

    def one(self, kind: type[R], record_id: str) -> R:
        """One record by id, checked to be of `kind`."""
        record = self.records[record_id]
        if not isinstance(record, kind):
            raise KeyError(f"{record_id} is a {type(record).__name__}, not a {kind.__name__}")
        return record

    @property
    def stamp(self) -> dict[str, str]:
        """`{"version", "digest"}` as results carry it."""
        return {"version": self.version, "digest": self.digest}

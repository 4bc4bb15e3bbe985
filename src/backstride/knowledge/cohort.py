"""Cohort-report wording: templates a coach or researcher reads in `backstride cohort report`.

Each record is one sentence (or heading) with `{named}` fields the report fills from the
cohort's own counts, plus any parameter the report applies (a window in days); the record
cites what the wording rests on.
"""

from __future__ import annotations

import string

from pydantic import BaseModel, Field, field_validator

from backstride.knowledge.model import Record

#: Words a descriptive cohort report never uses: it states no risk, chance or cause.
_FORBIDDEN = ("risk of", "chance of", "causes", "caused by")


class CohortText(Record):
    """One person-facing template of the cohort report and the parameters it applies."""

    text: str
    parameters: dict[str, float] = Field(default_factory=dict)

    @field_validator("text")
    @classmethod
    def _descriptive(cls, text: str) -> str:
        lowered = text.lower()
        for words in _FORBIDDEN:
            if words in lowered:
                raise ValueError(f"cohort wording describes associations; remove {words!r}")
        return text

    def fill(self, **values: object) -> str:
        """The text with its `{fields}` filled (KeyError naming a missing field)."""
        missing = self.placeholders() - set(values)
        if missing:
            raise KeyError(f"{self.id}: missing fields {sorted(missing)}")
        return self.text.format(**values)

    def placeholders(self) -> set[str]:
        """The `{names}` the text uses."""
        return {name for _, name, _, _ in string.Formatter().parse(self.text) if name}


COHORT_KINDS: dict[str, type[BaseModel]] = {"cohort_text": CohortText}

"""Stored history as the pure core and the renderers see it: assessments and RMDQ answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    """An assessment as stored: the case and result mappings plus when and with what."""

    id: int
    created_at: datetime
    case: dict[str, Any]
    result: dict[str, Any]
    urgency: str
    kb_version: str


@dataclass(frozen=True, slots=True)
class RmdqResponse:
    """One Roland–Morris response: the day, the statement numbers ticked and the score."""

    on: date
    items: tuple[int, ...]
    score: int

"""Pain-diary entries as the pure core sees them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

#: The lowest and highest pain or stiffness score (0–10 NRS) and steps a day an entry holds.
SCORE_RANGE = (0, 10)
STEPS_RANGE = (0, 100_000)


@dataclass(frozen=True, slots=True)
class DiaryEntry:
    """One diary entry; several a day are allowed. Pain values are 0–10 NRS."""

    at: datetime
    pain_now: int
    pain_worst: int | None = None
    pain_during_run: int | None = None
    pain_next_morning: int | None = None
    stiffness: int | None = None
    locations: tuple[str, ...] = ()
    leg_symptoms: bool = False
    new_red_flags: tuple[str, ...] = ()  # red-flag trigger ids answered "new" today
    exercises_done: tuple[str, ...] = ()
    sleep_hours: float | None = None
    rmdq_score: int | None = None
    note: str | None = None
    run_keys: tuple[str, ...] = field(default_factory=tuple)
    steps: int | None = None  # steps walked that day, when counted


def entry_fields(entry: DiaryEntry) -> dict[str, Any]:
    """The entry's fields by their own names, sequences as lists (storage and JSON use it)."""
    return {
        f.name: list(value) if isinstance(value, tuple) else value
        for f in fields(entry)
        for value in (getattr(entry, f.name),)
    }


def entry_from_fields(values: Mapping[str, Any]) -> DiaryEntry:
    """The entry back from its fields (lists become tuples; a missing list is empty)."""
    found: dict[str, Any] = {
        f.name: tuple(values[f.name] or ()) if f.name in _SEQUENCES else values[f.name]
        for f in fields(DiaryEntry)
    }
    return DiaryEntry(**found)


#: The entry's field names, in order (the diary table's columns have the same names).
ENTRY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(DiaryEntry))
_SEQUENCES = frozenset({"locations", "new_red_flags", "exercises_done", "run_keys"})

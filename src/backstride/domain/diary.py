"""Pain-diary entries as the pure core sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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

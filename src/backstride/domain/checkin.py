"""The weekly check-in as the pure core sees it: pain, function, what was done, goals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One week's check-in. Pain and function are 0–10 (function 10 = daily life as usual)."""

    week_end: date
    pain: int
    function: int
    sessions_done: int  # exercise sessions done this week
    runs_done: int
    steps_per_day: int | None = None  # average daily steps (or None when not counted)
    goal: str | None = None  # the person's own goal, in their words
    goal_met: bool | None = None

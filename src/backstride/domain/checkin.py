"""The weekly check-in as the pure core sees it: pain, function, what was done, goals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backstride.domain.diary import SCORE_RANGE, STEPS_RANGE

#: The lowest and highest value of each number a check-in holds, and a goal's longest text.
CHECKIN_BOUNDS: dict[str, tuple[int, int]] = {
    "pain": SCORE_RANGE, "function": SCORE_RANGE, "sessions_done": (0, 21),
    "runs_done": (0, 21), "steps_per_day": STEPS_RANGE,
}  # fmt: skip
GOAL_MAX_CHARS = 300


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

"""The pain-monitoring rule applied to each logged run: advance, hold or step back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from backstride.domain.diary import DiaryEntry
from backstride.progress.change import DailyPain, daily_pain, window_mean

Advice = Literal["advance", "hold", "step_back"]

#: Pain during or after loading up to 5/10 is acceptable (Silbernagel 2007).
ACCEPTABLE_PAIN = 5
SOURCES = ("silbernagel-2007", "trials-2023-walkrun")


@dataclass(frozen=True, slots=True)
class RunCheck:
    """The rule's verdict for one run logged in the diary."""

    on: date
    pain_before: float | None
    pain_during: int
    pain_next_morning: int | None
    advice: Advice
    reason: str
    sources: tuple[str, ...] = SOURCES


def check_run(
    *,
    on: date,
    pain_before: float | None,
    pain_during: int,
    pain_next_morning: int | None,
    week_rising: bool,
    new_leg_symptoms: bool = False,
) -> RunCheck:
    """Advance, hold or step back after one run by the pain-monitoring rule.

    References: silbernagel-2007, trials-2023-walkrun
    """

    def verdict(advice: Advice, reason: str) -> RunCheck:
        return RunCheck(on, pain_before, pain_during, pain_next_morning, advice, reason)

    if new_leg_symptoms:
        return verdict("step_back", "new leg symptoms stop any progression")
    if pain_during > ACCEPTABLE_PAIN:
        return verdict("step_back", f"pain during the run was {pain_during}/10, above 5")
    if pain_next_morning is not None and pain_next_morning > ACCEPTABLE_PAIN:
        return verdict("step_back", f"next-morning pain was {pain_next_morning}/10, above 5")
    if pain_next_morning is None:
        return verdict("hold", "log next-morning pain before deciding to progress")
    if pain_before is not None and pain_next_morning > round(pain_before):
        return verdict("hold", "pain had not settled to its usual level by the next morning")
    if week_rising:
        return verdict("hold", "pain is rising from week to week")
    return verdict("advance", "pain stayed at 5/10 or less and settled by the next morning")


def check_runs(entries: Sequence[DiaryEntry]) -> tuple[RunCheck, ...]:
    """Apply the rule to every entry that logged pain during a run, oldest first."""
    ordered = sorted(entries, key=lambda e: e.at)
    days = daily_pain(ordered)
    checks = []
    for index, entry in enumerate(ordered):
        if entry.pain_during_run is None:
            continue
        day = entry.at.date()
        checks.append(
            check_run(
                on=day,
                pain_before=_pain_before(days, day),
                pain_during=entry.pain_during_run,
                pain_next_morning=_next_morning(entry, ordered[index + 1 :]),
                week_rising=_week_rising(days, day),
                new_leg_symptoms=entry.leg_symptoms and not _had_leg_symptoms(ordered[:index]),
            )
        )
    return tuple(checks)


def _pain_before(days: Sequence[DailyPain], day: date) -> float | None:
    earlier = [d for d in days if d.on < day]
    return earlier[-1].mean_pain if earlier else None


def _next_morning(entry: DiaryEntry, later: Sequence[DiaryEntry]) -> int | None:
    if entry.pain_next_morning is not None:
        return entry.pain_next_morning
    next_day = entry.at.date() + timedelta(days=1)
    for other in later:
        if other.at.date() == next_day:
            return (
                other.pain_next_morning if other.pain_next_morning is not None else other.pain_now
            )
        if other.at.date() > next_day:
            break
    return None


def _week_rising(days: Sequence[DailyPain], day: date) -> bool:
    this_week = window_mean(days, end=day)
    last_week = window_mean(days, end=day - timedelta(days=7))
    return this_week is not None and last_week is not None and this_week >= last_week + 1.0


def _had_leg_symptoms(entries: Sequence[DiaryEntry]) -> bool:
    return any(e.leg_symptoms for e in entries)

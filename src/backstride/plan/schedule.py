"""The day-by-day schedule: phase lengths, exercise days, walk-run sessions, rest days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.knowledge.content import EducationTopic, Exercise, Phase
from backstride.plan.exercises import on_day, prescribe
from backstride.plan.model import Day, DayKind, Prescription, RunSession

RTR_SOURCES = ("trials-2023-walkrun", "silbernagel-2007")
RUNS_PER_STAGE = 2

#: The walk-run template: (label, walk min, run min or None, km min, km max, RPE max).
RUN_STAGE_TABLE: tuple[tuple[str, int, int | None, float, float, int], ...] = (
    ("Walk 2 / run 3", 2, 3, 1.5, 2.0, 3),
    ("Walk 2 / run 4", 2, 4, 2.0, 2.5, 4),
    ("Walk 1 / run 4", 1, 4, 2.5, 3.0, 4),
    ("Continuous", 0, None, 2.5, 3.0, 5),
)
MAINTAIN = ("Easy running", 0, None, 3.0, 5.0, 5)

RUN_NOTES = (
    "Warm up first: 5–10 minutes of brisk walking and leg swings; cool down with 5 minutes "
    "of walking and gentle stretches.",
    "Pain during the run may reach 5/10 if it settles by next morning and is not rising "
    "week to week; otherwise repeat this step.",
    "New leg numbness, tingling, weakness or pain spreading down a leg: stop and book a review.",
)


@dataclass(frozen=True, slots=True)
class Block:
    """A phase occupying `length` days from day index `first` of the plan."""

    phase: Phase
    first: int
    length: int
    run_stage: int = 1  # first walk-run stage (return_to_run only)
    entry_check: bool = True


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the day builders need, chosen once."""

    start: date
    exercises: Mapping[Phase, tuple[Exercise, ...]]
    strengthen_first: int  # day index where strength dosing starts rising
    cross_training: tuple[str, ...]
    education: tuple[EducationTopic, ...]


def settle_days(intensity: int, duration: str | None) -> int:
    """Days of relative rest: longer for severe pain, short for long-standing pain."""
    days = 7 if intensity >= 7 else 5 if intensity >= 4 else 3
    return min(days, 3) if duration == "chronic" else days


def layout(
    phases: Sequence[Phase],
    *,
    total_days: int,
    settle_length: int,
    run_stage: int,
) -> tuple[Block, ...]:
    """Consecutive phase blocks from the first phase; the last phase fills the remaining days."""
    lengths: dict[Phase, int] = {"settle": settle_length, "restore": 7, "strengthen": 7}
    blocks: list[Block] = []
    first = 0
    for index, phase in enumerate(phases):
        if first >= total_days:
            break
        last = index == len(phases) - 1
        if phase == "return_to_run":
            check = run_stage <= 1
            runs = (len(RUN_STAGE_TABLE) - max(run_stage, 1) + 1) * RUNS_PER_STAGE
            length = int(check) + 2 * runs - 1
            block = Block(phase, first, length, max(run_stage, 1), check)
        else:
            block = Block(phase, first, lengths.get(phase, 7))
        length = total_days - first if last else min(block.length, total_days - first)
        blocks.append(Block(block.phase, first, length, block.run_stage, block.entry_check))
        first += length
    return tuple(blocks)


def build_days(blocks: Sequence[Block], ctx: Context) -> tuple[Day, ...]:
    """Every day of every block, in order."""
    days: list[Day] = []
    for block in blocks:
        for offset in range(block.length):
            index = block.first + offset
            day = _day(block, offset, index, ctx)
            topic = ctx.education[index % len(ctx.education)] if ctx.education else None
            days.append(
                Day(
                    on=ctx.start + timedelta(days=index),
                    phase=block.phase,
                    kind=day.kind,
                    title=day.title,
                    exercises=day.exercises,
                    run=day.run,
                    activity=day.activity,
                    education_id=topic.id if topic else None,
                    education_title=topic.title if topic else None,
                    notes=day.notes,
                )
            )
    return tuple(days)


@dataclass(frozen=True, slots=True)
class _Slot:
    kind: DayKind
    title: str
    exercises: tuple[Prescription, ...] = ()
    run: RunSession | None = None
    activity: str | None = None
    notes: tuple[str, ...] = ()


def _day(block: Block, offset: int, index: int, ctx: Context) -> _Slot:
    weekday = offset % 7
    if block.phase == "settle":
        return _Slot(
            "exercise",
            "Settle: gentle movement",
            _session(block, index, ctx, weekday),
            activity="Walk 10–20 minutes, little and often; heat for comfort if it helps.",
            notes=("No running yet. Keep up your daily activities; avoid bed rest.",),
        )
    if block.phase == "restore":
        return _Slot(
            "exercise",
            "Restore: mobility and control",
            _session(block, index, ctx, weekday),
            activity=_walk_or_cross(weekday, ctx, "Walk 20–30 minutes"),
            notes=("No running yet.",),
        )
    if block.phase == "strengthen":
        return _strengthen_day(block, index, ctx, weekday)
    if block.phase == "return_to_run":
        return _return_day(block, offset, index, ctx)
    return _prevent_day(block, index, ctx, weekday)


def _strengthen_day(block: Block, index: int, ctx: Context, weekday: int) -> _Slot:
    if weekday == 6:
        return _Slot("rest", "Rest day", activity="An easy walk if you like.")
    session = _session(block, index, ctx, weekday)
    strong = any(p.category == "strength" for p in session)
    title = "Strengthen: strength session" if strong else "Strengthen: mobility and recovery"
    kind: DayKind = "exercise" if session else "cross_training"
    return _Slot(
        kind,
        title,
        session,
        activity=_walk_or_cross(weekday, ctx, "Walk 30 minutes"),
        notes=("No running yet: build strength first.",),
    )


def _return_day(block: Block, offset: int, index: int, ctx: Context) -> _Slot:
    if block.entry_check and offset == 0:
        return _Slot(
            "walk_check",
            "Entry check: 30 minutes of brisk walking",
            activity="Walk briskly for 30 minutes. Start running only if this is "
            "pain-free; otherwise stay on the strength routine and try again in a few days.",
        )
    run_offset = offset - int(block.entry_check)
    if run_offset % 2 == 0:
        stage = min(block.run_stage + run_offset // (2 * RUNS_PER_STAGE), len(RUN_STAGE_TABLE))
        run = _run(stage, RUN_STAGE_TABLE[stage - 1])
        return _Slot("run", f"Run: {run.stage_label}", run=run, notes=RUN_NOTES)
    session = _all_of(block.phase, index, ctx)
    return _Slot(
        "exercise",
        "Strength session (no running today)",
        session,
        activity=_walk_or_cross(1, ctx, "Walk 20–30 minutes"),
        notes=("A rest day from running between runs.",),
    )


def _prevent_day(block: Block, index: int, ctx: Context, weekday: int) -> _Slot:
    if weekday in (0, 2, 4):
        return _Slot(
            "run", "Easy run", run=_run(len(RUN_STAGE_TABLE) + 1, MAINTAIN), notes=RUN_NOTES
        )
    if weekday in (1, 3):
        return _Slot("exercise", "Maintenance strength", _all_of(block.phase, index, ctx))
    if weekday == 5:
        return _Slot(
            "cross_training",
            "Cross-training",
            activity=_walk_or_cross(2, ctx, "Walk 30–45 minutes"),
        )
    return _Slot("rest", "Rest day", activity="Rest, or an easy walk.")


def _run(stage: int, row: tuple[str, int, int | None, float, float, int]) -> RunSession:
    label, walk, run, km_min, km_max, rpe = row
    return RunSession(stage, label, walk, run, km_min, km_max, rpe, RTR_SOURCES)


def _session(block: Block, index: int, ctx: Context, weekday: int) -> tuple[Prescription, ...]:
    week = max(0, (index - ctx.strengthen_first) // 7) if index >= ctx.strengthen_first else 0
    return tuple(
        prescribe(e, week=week)
        for e in ctx.exercises.get(block.phase, ())
        if on_day(e.dose, weekday)
    )


def _all_of(phase: Phase, index: int, ctx: Context) -> tuple[Prescription, ...]:
    week = max(0, (index - ctx.strengthen_first) // 7)
    return tuple(prescribe(e, week=week) for e in ctx.exercises.get(phase, ()))


def _walk_or_cross(weekday: int, ctx: Context, walk: str) -> str:
    if weekday in (2, 5) and ctx.cross_training:
        choice = ctx.cross_training[(weekday // 3) % len(ctx.cross_training)]
        return f"{walk}, or 20–40 minutes of easy {choice}."
    return f"{walk}."

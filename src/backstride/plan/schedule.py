"""The day-by-day schedule: phase lengths, exercise days, walk-run sessions, rest days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.knowledge.content import EducationTopic, Exercise, Phase
from backstride.knowledge.plan_texts import DayText, WalkRunStage, WalkRunTemplate
from backstride.knowledge.templates import fill
from backstride.plan.exercises import on_day, prescribe
from backstride.plan.model import Day, DayKind, Prescription, RunSession


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
    walk_run: WalkRunTemplate
    texts: Mapping[DayText, str]
    runs_per_stage: int

    def say(self, name: DayText, **values: object) -> str:
        """One of the schedule's day texts, filled."""
        return fill(self.texts[name], values)


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
    stages: int,
    runs_per_stage: int,
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
            runs = (stages - max(run_stage, 1) + 1) * runs_per_stage
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
            ctx.say("settle_title"),
            _session(block, index, ctx, weekday),
            activity=ctx.say("settle_activity"),
            notes=(ctx.say("settle_note"),),
        )
    if block.phase == "restore":
        return _Slot(
            "exercise",
            ctx.say("restore_title"),
            _session(block, index, ctx, weekday),
            activity=_walk_or_cross(weekday, ctx, ctx.say("restore_walk")),
            notes=(ctx.say("no_running"),),
        )
    if block.phase == "strengthen":
        return _strengthen_day(block, index, ctx, weekday)
    if block.phase == "return_to_run":
        return _return_day(block, offset, index, ctx)
    return _prevent_day(block, index, ctx, weekday)


def _strengthen_day(block: Block, index: int, ctx: Context, weekday: int) -> _Slot:
    if weekday == 6:
        return _Slot("rest", ctx.say("rest_title"), activity=ctx.say("rest_activity"))
    session = _session(block, index, ctx, weekday)
    strong = any(p.category == "strength" for p in session)
    title = ctx.say("strength_title") if strong else ctx.say("mobility_title")
    kind: DayKind = "exercise" if session else "cross_training"
    return _Slot(
        kind,
        title,
        session,
        activity=_walk_or_cross(weekday, ctx, ctx.say("strengthen_walk")),
        notes=(ctx.say("strengthen_note"),),
    )


def _return_day(block: Block, offset: int, index: int, ctx: Context) -> _Slot:
    if block.entry_check and offset == 0:
        return _Slot(
            "walk_check",
            ctx.say("entry_check_title"),
            activity=ctx.say("entry_check_activity"),
        )
    run_offset = offset - int(block.entry_check)
    stages = ctx.walk_run.stages
    if run_offset % 2 == 0:
        stage = min(block.run_stage + run_offset // (2 * ctx.runs_per_stage), len(stages))
        run = _run(stages[stage - 1], ctx)
        return _Slot("run", ctx.say("run_title", label=run.stage_label), run=run,
                     notes=ctx.walk_run.notes)  # fmt: skip
    session = _all_of(block.phase, index, ctx)
    return _Slot(
        "exercise",
        ctx.say("between_runs_title"),
        session,
        activity=_walk_or_cross(1, ctx, ctx.say("between_runs_walk")),
        notes=(ctx.say("between_runs_note"),),
    )


def _prevent_day(block: Block, index: int, ctx: Context, weekday: int) -> _Slot:
    if weekday in (0, 2, 4):
        run = _run(ctx.walk_run.maintain, ctx)
        return _Slot("run", ctx.say("easy_run_title"), run=run, notes=ctx.walk_run.notes)
    if weekday in (1, 3):
        return _Slot("exercise", ctx.say("maintenance_title"), _all_of(block.phase, index, ctx))
    if weekday == 5:
        return _Slot(
            "cross_training",
            ctx.say("cross_training_title"),
            activity=_walk_or_cross(2, ctx, ctx.say("cross_training_walk")),
        )
    return _Slot("rest", ctx.say("rest_title"), activity=ctx.say("prevent_rest_activity"))


def _run(stage: WalkRunStage, ctx: Context) -> RunSession:
    return RunSession(
        stage.stage,
        stage.label,
        stage.walk_min,
        stage.run_min,
        stage.distance_km_min,
        stage.distance_km_max,
        stage.rpe_max,
        ctx.walk_run.sources,
    )


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
        return ctx.say("walk_or_cross", walk=walk, choice=choice)
    return ctx.say("walk", walk=walk)

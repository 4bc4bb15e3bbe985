"""The day-by-day schedule: phase blocks, exercise days, runs, rest days and load limits.

One plan-week day (`plan_dosing.rest_day`) is a full rest day in every week and phase.
Runs are placed first and then capped in date order by the spike and weekly-jump rules
(`load_limits`); a run the limits leave too short becomes a walk.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from backstride.knowledge.content import EducationTopic, Exercise, Phase
from backstride.knowledge.plan_rules import PlanDosing, RunningMode
from backstride.knowledge.plan_texts import DayText, WalkRunStage, WalkRunTemplate
from backstride.knowledge.templates import fill
from backstride.plan.exercises import on_day, prescribe
from backstride.plan.load_limits import LoadLedger
from backstride.plan.model import Alternative, Day, DayKind, Prescription, RunSession

#: Run days in the plan-week frame (day 6 of the frame is the rest day), by runs a week.
RUN_DAYS: dict[int, frozenset[int]] = {
    1: frozenset({2}),
    2: frozenset({1, 4}),
    3: frozenset({0, 2, 4}),
    4: frozenset({0, 2, 3, 5}),
}


@dataclass(frozen=True, slots=True)
class Block:
    """A phase occupying `length` days from day index `first` of the plan."""

    phase: Phase
    first: int
    length: int
    run_stage: int = 1  # first walk-run stage (return_to_run only)
    entry_check: bool = True
    mode: RunningMode = "walk_run"


@dataclass(frozen=True, slots=True)
class Running:
    """How much the person runs: usual weekly distance, runs a week, and where to start."""

    usual_week_km: float | None
    runs_per_week: int
    start_fraction: float  # of the usual week, for reduced running


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the day builders need, chosen once."""

    start: date
    exercises: Mapping[Phase, tuple[Exercise, ...]]
    ramp_first: int  # day index from which exercise doses climb week by week
    ramp_base: int  # the ramp week of the doses until then
    cross_training: tuple[str, ...]
    education: tuple[EducationTopic, ...]
    walk_run: WalkRunTemplate
    texts: Mapping[DayText, str]
    runs_per_stage: int
    dosing: PlanDosing
    running: Running
    #: Exercise id -> the easier, harder and swap exercises offered beside it.
    alternatives: Mapping[str, tuple[Alternative, ...]] = field(default_factory=dict)

    def say(self, name: DayText, **values: object) -> str:
        """One of the schedule's day texts, filled."""
        return fill(self.texts[name], values)

    def frame(self, index: int) -> int:
        """The day in the plan-week frame whose day 6 is the rest day."""
        return (index - self.dosing.rest_day - 1) % 7

    def dose_week(self, index: int) -> int:
        """The ramp week of exercise doses on day `index`."""
        return self.ramp_base + max(0, (index - self.ramp_first) // 7)


def reduced_weeks(running: Running, dosing: PlanDosing) -> int:
    """Weeks of reduced running until the usual weekly distance is reached again."""
    rise = 1 + dosing.reduced_weekly_rise_pct / 100
    return max(1, math.ceil(math.log(1 / running.start_fraction) / math.log(rise)) + 1)


def layout(
    phases: Sequence[Phase],
    *,
    total_days: int,
    lengths: Mapping[Phase, int],
    run_stage: int,
    stages: int,
    runs_per_stage: int,
    mode: RunningMode,
    rest_day: int,
    start_weekday: int,
) -> tuple[Block, ...]:
    """Consecutive phase blocks from the first phase; the last phase fills the remaining days.

    A walk-run block after another phase starts on the calendar week's last day, so its
    first calendar week of running is a whole one (the weekly-jump rule compares weeks).
    """
    blocks: list[Block] = []
    first = 0
    for index, phase in enumerate(phases):
        if first >= total_days:
            break
        if phase == "return_to_run" and mode == "walk_run" and blocks:
            extra = (6 - (start_weekday + first)) % 7
            blocks[-1] = replace(blocks[-1], length=blocks[-1].length + extra)
            first += extra
        if phase == "return_to_run":
            check = mode == "walk_run" and run_stage <= 1
            runs = (stages - max(run_stage, 1) + 1) * runs_per_stage
            length = (
                lengths["return_to_run"]
                if mode == "reduced"
                else _walk_run_length(first, runs, check, rest_day)
            )
            block = Block(phase, first, length, max(run_stage, 1), check, mode)
        else:
            # a phase without a length of its own (the last, prevent) fills the plan
            block = Block(phase, first, lengths.get(phase, total_days - first), mode=mode)
        if block.length <= 0:
            continue
        last = index == len(phases) - 1
        length = total_days - first if last else min(block.length, total_days - first)
        blocks.append(replace(block, length=length))
        first += length
    return tuple(blocks)


def _walk_run_length(first: int, runs: int, check: bool, rest_day: int) -> int:
    """Days the walk-run steps need: an entry check, runs every other active day, rest days."""
    index, active, placed = first, 0, 0
    while placed < runs:
        if index % 7 != rest_day:
            placed += int(active >= int(check) and (active - int(check)) % 2 == 0)
            active += 1
        index += 1
    return index - first


def build_days(blocks: Sequence[Block], ctx: Context, ledger: LoadLedger) -> tuple[Day, ...]:
    """Every day of every block, in order, with runs held within the load limits."""
    days: list[Day] = []
    for block in blocks:
        placed = 0  # walk-run sessions actually given: the step follows them, not the calendar
        for offset in range(block.length):
            index = block.first + offset
            on = ctx.start + timedelta(days=index)
            slot = _day(block, offset, index, ctx)
            if slot.run is not None and days and days[-1].run is not None:
                slot = _cross_day(ctx)  # a day without running between runs, always
            walk_run = slot.run is not None and block.phase == "return_to_run"
            if walk_run and block.mode != "reduced":
                slot = _walk_run_session(block.run_stage + placed // ctx.runs_per_stage, ctx)
            slot = _limited(slot, on, ctx, ledger)
            placed += int(walk_run and slot.run is not None)
            topic = ctx.education[index % len(ctx.education)] if ctx.education else None
            days.append(
                Day(
                    on=on,
                    phase=block.phase,
                    kind=slot.kind,
                    title=slot.title,
                    exercises=slot.exercises,
                    run=slot.run,
                    activity=slot.activity,
                    education_id=topic.id if topic else None,
                    education_title=topic.title if topic else None,
                    notes=slot.notes,
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


def _limited(slot: _Slot, on: date, ctx: Context, ledger: LoadLedger) -> _Slot:
    """The slot with its run capped by the load limits (a walk when too little is left)."""
    if slot.run is None:
        return slot
    km = ledger.allowed_km(on, slot.run.distance_km_max)
    if km < ctx.dosing.min_run_km:
        return _Slot("cross_training", ctx.say("run_capped_title"),
                     activity=ctx.say("run_capped_activity"))  # fmt: skip
    ledger.add(on, km)
    low = min(slot.run.distance_km_min, km)
    run = replace(slot.run, distance_km_min=low, distance_km_max=km)
    return replace(slot, run=replace(run, text=run_text(run, ctx)))


def _day(block: Block, offset: int, index: int, ctx: Context) -> _Slot:
    frame = ctx.frame(index)
    if frame == 6:
        rest: DayText = "rest_activity" if block.phase != "prevent" else "prevent_rest_activity"
        return _Slot("rest", ctx.say("rest_title"), activity=ctx.say(rest))
    if block.phase == "settle":
        return _Slot(
            "exercise",
            ctx.say("settle_title"),
            _session(block.phase, index, ctx, frame),
            activity=ctx.say("settle_activity"),
            notes=(ctx.say("settle_note"),),
        )
    if block.phase == "restore":
        return _Slot(
            "exercise",
            ctx.say("restore_title"),
            _session(block.phase, index, ctx, frame),
            activity=_walk_or_cross(frame, ctx, ctx.say("restore_walk")),
            notes=(ctx.say("no_running"),),
        )
    if block.phase == "strengthen":
        return _strengthen_day(block, index, ctx, frame)
    if block.phase == "return_to_run" and block.mode != "reduced":
        return _walk_run_day(block, index, ctx)
    return _running_week_day(block, index, ctx, frame)


def _strengthen_day(block: Block, index: int, ctx: Context, frame: int) -> _Slot:
    session = _session(block.phase, index, ctx, frame)
    strong = any(p.category == "strength" for p in session)
    title = ctx.say("strength_title") if strong else ctx.say("mobility_title")
    kind: DayKind = "exercise" if session else "cross_training"
    return _Slot(
        kind,
        title,
        session,
        activity=_walk_or_cross(frame, ctx, ctx.say("strengthen_walk")),
        notes=(ctx.say("strengthen_note"),),
    )


def _walk_run_day(block: Block, index: int, ctx: Context) -> _Slot:
    """Entry check, then a walk-run session every other active day (rest days skipped)."""
    active = sum(1 for i in range(block.first, index) if ctx.frame(i) != 6)
    check = int(block.entry_check)
    if check and active == 0:
        return _Slot(
            "walk_check",
            ctx.say("entry_check_title"),
            activity=ctx.say("entry_check_activity"),
        )
    run_offset = active - check
    if run_offset % 2 == 0:
        return _walk_run_session(block.run_stage, ctx)  # build_days sets the step
    return _Slot(
        "exercise",
        ctx.say("between_runs_title"),
        _all_of(block.phase, index, ctx),
        activity=_walk_or_cross(1, ctx, ctx.say("between_runs_walk")),
        notes=(ctx.say("between_runs_note"),),
    )


def _walk_run_session(stage: int, ctx: Context) -> _Slot:
    """A walk-run session of `stage` (the last stage once the steps are done)."""
    stages = ctx.walk_run.stages
    run = _run(stages[min(stage, len(stages)) - 1], ctx)
    return _Slot("run", ctx.say("run_title", label=run.stage_label), run=run,
                 notes=ctx.walk_run.notes)  # fmt: skip


def _running_week_day(block: Block, index: int, ctx: Context, frame: int) -> _Slot:
    """A running week: reduced (rising to the usual distance) or the maintenance week."""
    runs = min(ctx.running.runs_per_week, ctx.dosing.runs_per_week_max, max(RUN_DAYS))
    if frame in RUN_DAYS[runs]:
        reduced = block.phase == "return_to_run"
        run = _own_run(block, index, ctx, runs, reduced=reduced)
        if reduced:
            return _Slot("run", ctx.say("reduced_run_title"), run=run,
                         notes=(ctx.say("reduced_run_note"), *ctx.walk_run.notes[:1]))  # fmt: skip
        return _Slot("run", ctx.say("easy_run_title"), run=run, notes=ctx.walk_run.notes)
    strength_days = [f for f in range(6) if f not in RUN_DAYS[runs]][:2]
    if frame in strength_days:
        return _Slot("exercise", ctx.say("maintenance_title"), _all_of(block.phase, index, ctx))
    return _cross_day(ctx)


def _cross_day(ctx: Context) -> _Slot:
    return _Slot(
        "cross_training",
        ctx.say("cross_training_title"),
        activity=_walk_or_cross(2, ctx, ctx.say("cross_training_walk")),
    )


def _own_run(block: Block, index: int, ctx: Context, runs: int, *, reduced: bool) -> RunSession:
    """A continuous easy run sized from the person's own week (the maintenance run if unknown)."""
    keep = ctx.walk_run.maintain
    usual = ctx.running.usual_week_km
    fraction = 1.0
    if reduced:
        rise = 1 + ctx.dosing.reduced_weekly_rise_pct / 100
        fraction = min(1.0, ctx.running.start_fraction * rise ** ((index - block.first) // 7))
    if usual:
        top = round(usual * fraction / runs, 1)
        low = round(top * 0.8, 1)
    else:
        top = round(max(keep.distance_km_min, keep.distance_km_max * fraction), 1)
        low = min(keep.distance_km_min, top)
    stage = keep.model_copy(update={"distance_km_min": low, "distance_km_max": top})
    if reduced:
        rpe = min(keep.rpe_max, ctx.dosing.reduced_rpe_max)
        stage = stage.model_copy(update={"label": ctx.say("reduced_run_label"), "rpe_max": rpe})
    return _run(stage, ctx)


def _run(stage: WalkRunStage, ctx: Context) -> RunSession:
    run = RunSession(
        stage.stage,
        stage.label,
        stage.walk_min,
        stage.run_min,
        stage.distance_km_min,
        stage.distance_km_max,
        stage.rpe_max,
        ctx.walk_run.sources,
    )
    return replace(run, text=run_text(run, ctx))


def run_text(run: RunSession, ctx: Context) -> str:
    """The session in one line a runner can follow, from the day texts."""
    low, high = run.distance_km_min, run.distance_km_max
    dist = (
        ctx.say("distance_one", km=f"{high:g}")
        if low == high
        else ctx.say("distance_range", low=f"{low:g}", high=f"{high:g}")
    )
    if run.run_min is None:
        return ctx.say("continuous_run", distance=dist, rpe=run.rpe_max)
    return ctx.say("walk_run_session", walk=run.walk_min, run=run.run_min, distance=dist,
                   rpe=run.rpe_max)  # fmt: skip


def _session(phase: Phase, index: int, ctx: Context, frame: int) -> tuple[Prescription, ...]:
    week = ctx.dose_week(index)
    return tuple(
        _prescription(e, week, ctx) for e in ctx.exercises.get(phase, ()) if on_day(e.dose, frame)
    )


def _all_of(phase: Phase, index: int, ctx: Context) -> tuple[Prescription, ...]:
    week = ctx.dose_week(index)
    return tuple(_prescription(e, week, ctx) for e in ctx.exercises.get(phase, ()))


def _prescription(exercise: Exercise, week: int, ctx: Context) -> Prescription:
    return prescribe(
        exercise,
        week=week,
        ramp_weeks=ctx.dosing.ramp_weeks,
        offered=ctx.alternatives.get(exercise.id, ()),
    )


def _walk_or_cross(frame: int, ctx: Context, walk: str) -> str:
    if frame in (2, 5) and ctx.cross_training:
        choice = ctx.cross_training[(frame // 3) % len(ctx.cross_training)]
        return ctx.say("walk_or_cross", walk=walk, choice=choice)
    return ctx.say("walk", walk=walk)

"""Advance, hold or step back a phase from diary entries (the pain-monitoring rule)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from statistics import fmean, median

from backstride.domain.diary import DiaryEntry
from backstride.knowledge.content import PHASES, Exercise, Phase
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import SafetyText
from backstride.plan.model import ProgressDecision

MAX_PAIN_DURING = 5  # pain during activity up to 5/10 is acceptable
RISE_POINTS = 1.0  # a weekly mean rising this much counts as "rising week to week"
MIN_ENTRIES_PER_WEEK = 3
RUN_STAGES = 4  # 2/3 -> 2/4 -> 1/4 -> continuous
RUNS_PER_STAGE = 2
RULE_SOURCES = ("silbernagel-2007", "trials-2023-walkrun")


def decide(
    progress: Sequence[DiaryEntry],
    *,
    today: date,
    kb: KnowledgeBase,
    leg_symptoms_at_start: bool,
) -> ProgressDecision | None:
    """Where the diary puts the person and whether the pain-monitoring rule lets them move on.

    References: silbernagel-2007, trials-2023-walkrun
    """
    recent = [e for e in progress if today - timedelta(days=28) < e.at.date() <= today]
    if not recent:
        return None
    phase, stage, where, complete = _current(recent, today=today, kb=kb)
    week = [e for e in recent if e.at.date() > today - timedelta(days=7)]
    before = [e for e in recent if today - timedelta(days=14) < e.at.date() <= today - timedelta(7)]
    if any(e.new_red_flags for e in week):
        stop = kb.one(SafetyText, "safety.stop_plan").text
        return _decision("stop", phase, "settle", 0, where, (stop,))
    if any(e.leg_symptoms for e in week) and not leg_symptoms_at_start:
        to_phase, to_stage = _step_back(phase, stage)
        return _decision("step_back", phase, to_phase, to_stage, where, _NEW_LEG)
    problems = _rule_problems(week, before)
    if problems and problems[0].startswith("Pain during"):
        to_phase, to_stage = _step_back(phase, stage)
        return _decision("step_back", phase, to_phase, to_stage, where, problems)
    if problems:
        return _decision("hold", phase, phase, stage, where, problems)
    if not complete:
        repeat = f"Do each walk-run step at least {RUNS_PER_STAGE} times before moving on."
        return _decision("hold", phase, phase, stage, where, (repeat,))
    to_phase, to_stage = _advance(phase, stage)
    held = (
        f"The pain-monitoring rule held this week: pain during activity stayed at or below "
        f"{MAX_PAIN_DURING}/10, settled by the next morning and did not rise week to week."
    )
    return _decision("advance", phase, to_phase, to_stage, where, (held,))


_NEW_LEG = (
    "New leg or nerve symptoms (numbness, tingling, weakness or pain spreading down a leg) "
    "stop progression at once: go back one step and book a review with a GP or "
    "physiotherapist.",
)


def _decision(
    decision: str,
    from_phase: Phase,
    to_phase: Phase,
    stage: int,
    where: str,
    reasons: Sequence[str],
) -> ProgressDecision:
    return ProgressDecision(
        decision=decision,  # type: ignore[arg-type]
        from_phase=from_phase,
        to_phase=to_phase,
        run_stage=stage if to_phase == "return_to_run" else 0,
        reasons=(where, *reasons),
        sources=RULE_SOURCES,
    )


def _rule_problems(week: list[DiaryEntry], before: list[DiaryEntry]) -> list[str]:
    """Reasons the rule does not hold this week (pain-during problems first)."""
    problems: list[str] = []
    during = [e.pain_during_run for e in week if e.pain_during_run is not None]
    if during and max(during) > MAX_PAIN_DURING:
        problems.append(
            f"Pain during running reached {max(during)}/10, above the {MAX_PAIN_DURING}/10 limit."
        )
    baseline = median([e.pain_now for e in before]) if before else None
    mornings = [e.pain_next_morning for e in week if e.pain_next_morning is not None]
    if baseline is not None and mornings and max(mornings) > baseline:
        problems.append(
            f"Pain the next morning ({max(mornings)}/10) had not settled back to your usual "
            f"level ({baseline:g}/10)."
        )
    if (
        before
        and week
        and fmean(e.pain_now for e in week) - fmean(e.pain_now for e in before) >= RISE_POINTS
    ):
        problems.append("Your average pain rose compared with the week before.")
    if len(week) < MIN_ENTRIES_PER_WEEK and not problems:
        problems.append(
            f"Fewer than {MIN_ENTRIES_PER_WEEK} diary entries this week: not enough to judge, "
            "so stay at this step and keep logging."
        )
    return problems


def _current(
    recent: list[DiaryEntry], *, today: date, kb: KnowledgeBase
) -> tuple[Phase, int, str, bool]:
    """The phase (and walk-run stage) the diary shows, how we know, and if the step is done."""
    runs = [e for e in recent if e.pain_during_run is not None]
    if runs:
        stage = min((len(runs) - 1) // RUNS_PER_STAGE + 1, RUN_STAGES)
        where = f"Your diary logs {len(runs)} runs in the last 4 weeks (walk-run step {stage})."
        return "return_to_run", stage, where, len(runs) >= stage * RUNS_PER_STAGE
    done = {x for e in recent if e.at.date() > today - timedelta(14) for x in e.exercises_done}
    phases = [_entry_phase(kb.records[x]) for x in sorted(done) if x in kb.records]
    known = [p for p in phases if p is not None]
    if known:
        phase = max(known, key=PHASES.index)
        return phase, 0, f"Your diary logs {PHASE_NAMES[phase].lower()} exercises.", True
    return "settle", 0, "Your diary logs pain scores but no exercises or runs yet.", True


def _entry_phase(record: object) -> Phase | None:
    if isinstance(record, Exercise):
        return min(record.phases, key=PHASES.index)
    return None


def _advance(phase: Phase, stage: int) -> tuple[Phase, int]:
    if phase == "return_to_run":
        if stage >= RUN_STAGES:
            return "prevent", 0
        return "return_to_run", min(stage + 1, RUN_STAGES)
    if phase == "prevent":
        return "prevent", 0
    nxt = PHASES[PHASES.index(phase) + 1]
    return nxt, 1 if nxt == "return_to_run" else 0


def _step_back(phase: Phase, stage: int) -> tuple[Phase, int]:
    if phase == "return_to_run" and stage > 1:
        return "return_to_run", stage - 1
    if phase == "settle":
        return "settle", 0
    prev = PHASES[PHASES.index(phase) - 1]
    return prev, RUN_STAGES if prev == "return_to_run" else 0


PHASE_NAMES: dict[Phase, str] = {
    "settle": "Settle",
    "restore": "Restore",
    "strengthen": "Strengthen",
    "return_to_run": "Return to running",
    "prevent": "Prevent",
}

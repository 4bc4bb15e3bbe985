"""Advance, hold or step back a phase from diary entries, by the pain-monitoring rule.

The verdict is `progress.monitoring.week_verdict`, the same one `backstride progress`
shows; this module only places it on the plan's phases and walk-run stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from backstride.domain.diary import DiaryEntry
from backstride.knowledge.care import PainMonitoringRule
from backstride.knowledge.content import PHASES, Exercise, Phase
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_rules import plan_dosing
from backstride.knowledge.plan_texts import WALK_RUN_ID, WalkRunTemplate, phase_record
from backstride.knowledge.templates import fill
from backstride.plan.model import Decision, ProgressDecision
from backstride.progress.monitoring import monitoring_rule, week_verdict


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
    rule = monitoring_rule(kb)
    recent = [e for e in progress if today - timedelta(rule.recent_days) < e.at.date() <= today]
    verdict = week_verdict(progress, rule, today=today, leg_symptoms_at_start=leg_symptoms_at_start)
    if not recent or verdict is None:
        return None
    stages = len(kb.one(WalkRunTemplate, WALK_RUN_ID).stages)
    phase, stage, where, complete = _current(recent, today=today, kb=kb, rule=rule, stages=stages)
    made = _Made(rule, phase, where)
    if any(e.new_red_flags for e in recent if e.at.date() > today - timedelta(rule.window_days)):
        return made("stop", "settle", 0, (fill(rule.reasons["new_red_flag"], {}),))
    if verdict.advice == "step_back":
        return made("step_back", *_step_back(phase, stage, stages), verdict.reasons)
    if verdict.advice == "hold":
        return made("hold", phase, stage, verdict.reasons)
    if not complete:
        repeat = fill(rule.reasons["repeat_step"], {"runs_per_stage": rule.runs_per_stage})
        return made("hold", phase, stage, (repeat,))
    return made("advance", *_advance(phase, stage, stages), verdict.reasons)


class _Made:
    """Builds the decision from the rule, the phase the diary shows and how we know."""

    def __init__(self, rule: PainMonitoringRule, phase: Phase, where: str) -> None:
        self.rule, self.phase, self.where = rule, phase, where

    def __call__(
        self, decision: Decision, to_phase: Phase, stage: int, reasons: Sequence[str]
    ) -> ProgressDecision:
        return ProgressDecision(
            decision=decision,
            from_phase=self.phase,
            to_phase=to_phase,
            run_stage=stage if to_phase == "return_to_run" else 0,
            reasons=(self.where, *reasons),
            sources=self.rule.sources,
            records=(self.rule.id,),
        )


def _current(
    recent: list[DiaryEntry],
    *,
    today: date,
    kb: KnowledgeBase,
    rule: PainMonitoringRule,
    stages: int,
) -> tuple[Phase, int, str, bool]:
    """The phase (and walk-run stage) the diary shows, how we know, and if the step is done."""
    runs = [e for e in recent if e.pain_during_run is not None]
    per = rule.runs_per_stage
    if runs:
        stage = min((len(runs) - 1) // per + 1, stages)
        values = {"runs": len(runs), "stage": stage, "recent_weeks": rule.recent_days // 7}
        where = fill(rule.reasons["where_runs"], values)
        return "return_to_run", stage, where, len(runs) >= stage * per
    since = today - timedelta(plan_dosing(kb).exercise_recent_days)
    done = {x for e in recent if e.at.date() > since for x in e.exercises_done}
    phases = [_entry_phase(kb.records[x]) for x in sorted(done) if x in kb.records]
    known = [p for p in phases if p is not None]
    if known:
        phase = max(known, key=PHASES.index)
        name = phase_record(kb, phase).name.lower()
        where = fill(rule.reasons["where_exercises"], {"phase": name})
        return phase, 0, where, True
    return "settle", 0, fill(rule.reasons["where_pain_only"], {}), True


def _entry_phase(record: object) -> Phase | None:
    if isinstance(record, Exercise):
        return min(record.phases, key=PHASES.index)
    return None


def _advance(phase: Phase, stage: int, stages: int) -> tuple[Phase, int]:
    if phase == "return_to_run":
        if stage >= stages:
            return "prevent", 0
        return "return_to_run", min(stage + 1, stages)
    if phase == "prevent":
        return "prevent", 0
    nxt = PHASES[PHASES.index(phase) + 1]
    return nxt, 1 if nxt == "return_to_run" else 0


def _step_back(phase: Phase, stage: int, stages: int) -> tuple[Phase, int]:
    if phase == "return_to_run" and stage > 1:
        return "return_to_run", stage - 1
    if phase == "settle":
        return "settle", 0
    prev = PHASES[PHASES.index(phase) - 1]
    return prev, stages if prev == "return_to_run" else 0

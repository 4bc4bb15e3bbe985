"""`build_plan`: from an assessment, a profile, findings and a diary to a personal plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from backstride.analytics.rules import FindingRules
from backstride.assess.conditions import facts_of, holds
from backstride.assess.intake import Case, Running
from backstride.assess.result import AssessmentResult
from backstride.domain.checkin import CheckIn
from backstride.domain.diary import DiaryEntry
from backstride.domain.finding import Finding
from backstride.knowledge import urgency as urgency_table
from backstride.knowledge.content import PHASES, CautionTag, Exercise, Phase
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_rules import PlanDosing, StartRule, plan_dosing
from backstride.knowledge.plan_texts import (
    DAY_TEXTS_ID,
    WALK_RUN_ID,
    DayTexts,
    ItemKind,
    PlanText,
    WalkRunTemplate,
    phase_record,
)
from backstride.knowledge.rules import SafetyText, TriageRule
from backstride.knowledge.templates import fill
from backstride.plan import advice, matched, stage
from backstride.plan.adapt import decide
from backstride.plan.cautions import case_cautions, has_leg_symptoms
from backstride.plan.checkin import retailor
from backstride.plan.exercises import alternatives, phase_exercises
from backstride.plan.load_limits import LoadLimits, ledger
from backstride.plan.model import (
    AssessmentSummary,
    Plan,
    PlanItem,
    PlanStatus,
    ProgressDecision,
)
from backstride.plan.personal import personal_items
from backstride.plan.phases import phase_blocks
from backstride.plan.retriage import Retriage, counted_entries, retriage
from backstride.plan.schedule import Block, Context, build_days, layout, reduced_weeks
from backstride.plan.schedule import Running as OwnRunning
from backstride.plan.stage import start_rule
from backstride.progress.monitoring import monitoring_rule

DISCLAIMER_ID = "text.disclaimer"
REFERRAL_ID = "text.top.referral"
REFERRAL_WHY_ID = "text.top.referral_why"
#: The referral rule whose age condition also keeps a self-care plan from a young person.
UNDER_AGE_ID = "referral.under_16"
REPORTED_ID = "text.top.reported"
DEFAULT_CROSS = ("walking", "swimming", "pool running", "elliptical trainer")
SITTING_HEAVY = frozenset({"cycling", "rowing"})


def build_plan(
    assessment: AssessmentResult,
    profile: Case | Running | None,
    findings: Sequence[Finding],
    progress: Sequence[DiaryEntry],
    today: date,
    kb: KnowledgeBase,
    *,
    weeks: int | None = None,
    start: date | None = None,
    shoe_inspection_km: float,
    reviewed_at: datetime | None = None,
    checkins: Sequence[CheckIn] = (),
) -> Plan:
    """The personal plan: no self-care for emergency/urgent, an interim plan for soon.

    A warning sign in the diary (after `reviewed_at`, the latest clinician review) re-runs
    the real triage; its level then leads the plan in that level's words.

    References: nice-ng59, acp-2017, trials-2023-walkrun, silbernagel-2007, hill-2011-startback
    """
    weeks = plan_dosing(kb).default_weeks if weeks is None else weeks
    case = profile if isinstance(profile, Case) else None
    running = profile.running if isinstance(profile, Case) else _running(profile)
    diary = [e for e in progress if e.at.date() <= today]
    raised = retriage(
        case, assessment, counted_entries(diary, assessed_at=None, reviewed_at=reviewed_at), kb
    )
    if raised is not None:
        assessment = raised.result
    bare = _bare_plan(assessment, case, kb, start=start or today, weeks=weeks, raised=raised)
    if bare.status == "no_self_care":
        return bare
    cautions = case_cautions(assessment, case, progress, severe_pain=plan_dosing(kb).severe_pain)
    leg_at_start = case is not None and has_leg_symptoms(case)
    decision = decide(progress, today=today, kb=kb, leg_symptoms_at_start=leg_at_start)
    if decision is not None and decision.decision == "stop":
        # a new danger sign in the diary withdraws self-care until a clinician has seen it
        stop = _decision_items(decision, kb)
        return replace(bare, status="no_self_care", top=bare.top + stop, decision=decision)
    rule = start_rule(case, assessment, kb)
    week = retailor(checkins, today=today, kb=kb)
    phases = _phases(rule, decision)
    facets = matched.facets(assessment, case)
    care = matched.care_records(kb, facets)
    education_first = advice.education_priorities(kb, assessment, facets)
    first = matched.exercises_first(care)
    only = frozenset(plan_dosing(kb).only_with_care)
    exercises = {p: phase_exercises(kb, p, cautions, first, only) for p in phases}
    eased = week is not None and week.verdict == "ease"
    blocks, ctx = _schedule(rule, decision, phases, exercises, running, cautions,
                            education_first, kb, start=bare.start, weeks=weeks,
                            eased=eased)  # fmt: skip
    limits = LoadLimits.from_kb(
        FindingRules.from_kb(kb),
        recent_longest_km=running.longest_run_km if stage.running_now(running) else None,
        last_week_km=running.weekly_km if stage.running_now(running) else None,
    )
    days = build_days(blocks, ctx, ledger(limits, bare.start))
    checkin_items = (week.item,) if week is not None else ()
    start_items = () if decision is not None else (stage.start_item(rule, case, assessment, kb),)
    return replace(
        bare,
        top=bare.top + start_items + _decision_items(decision, kb) + checkin_items,
        cautions=tuple(sorted(cautions)),
        decision=decision,
        phases=phase_blocks(
            blocks, exercises, bare.start, kb=kb, leg_wait=rule.running == "after_leg_symptoms"
        ),
        personal=matched.care_items(kb, care)
        + personal_items(running, findings, kb, shoe_inspection_km=shoe_inspection_km),
        treatments=advice.treatment_items(kb),
        prevention=advice.prevention_items(kb),
        days=days,
        education=advice.education_items(kb, days, education_first),
    )


def _schedule(
    rule: StartRule,
    decision: ProgressDecision | None,
    phases: tuple[Phase, ...],
    exercises: dict[Phase, tuple[Exercise, ...]],
    running: Running,
    cautions: frozenset[CautionTag],
    education_first: dict[str, str],
    kb: KnowledgeBase,
    *,
    start: date,
    weeks: int,
    eased: bool = False,
) -> tuple[tuple[Block, ...], Context]:
    """The phase blocks and the day builders' context for the plan's start and diary.

    A flare in the diary or an eased weekly check-in deloads the doses.
    """
    dosing = plan_dosing(kb)
    walk_run = kb.one(WalkRunTemplate, WALK_RUN_ID)
    runs_per_stage = monitoring_rule(kb).runs_per_stage
    flare = eased or (decision is not None and decision.decision == "step_back")
    mode = rule.running
    own = _own_running(running, dosing, flare=flare)
    lengths = dict(dosing.phase_min_days)
    lengths["settle"] = rule.rest_days if decision is None else dosing.phase_min_days["settle"]
    lengths["return_to_run"] = 7 * reduced_weeks(own, dosing)
    blocks = layout(
        phases, total_days=weeks * 7, lengths=lengths,
        run_stage=decision.run_stage if decision else 1, stages=len(walk_run.stages),
        runs_per_stage=runs_per_stage, mode=mode, rest_day=dosing.rest_day,
        start_weekday=start.weekday(),
    )  # fmt: skip
    ramp_first, ramp_base = _ramp(blocks, decision, dosing, flare=flare)
    education = advice.education_order(kb, education_first)
    offered = {e.id: alternatives(kb, e, cautions) for chosen in exercises.values() for e in chosen}
    ctx = Context(
        start, exercises, ramp_first, ramp_base, _cross_training(running, cautions), education,
        walk_run, kb.one(DayTexts, DAY_TEXTS_ID).texts, runs_per_stage, dosing, own, offered,
    )  # fmt: skip
    return blocks, ctx


def _own_running(running: Running, dosing: PlanDosing, *, flare: bool) -> OwnRunning:
    runs = running.runs_per_week or dosing.default_runs_per_week
    fraction = dosing.reduced_deload_fraction if flare else dosing.reduced_start_fraction
    return OwnRunning(running.weekly_km or None, max(1, runs), fraction)


def _ramp(
    blocks: Sequence[Block], decision: ProgressDecision | None, dosing: PlanDosing, *, flare: bool
) -> tuple[int, int]:
    """Where exercise doses start climbing, and from which ramp week.

    Doses climb from the strengthen phase (or the first day when the plan starts past it).
    The diary places someone further on at the dose of that phase; after a flare the plan
    gives back `deload_weeks` of the climb before rising again.
    """
    first = next((b.first for b in blocks if b.phase == "strengthen"), 0)
    where = decision.from_phase if decision is not None else None
    reached = {"return_to_run": 2, "prevent": dosing.ramp_weeks}.get(where or "", 0)
    if flare:
        return first, max(0, reached - dosing.deload_weeks)
    return first, reached


def _bare_plan(
    assessment: AssessmentResult,
    case: Case | None,
    kb: KnowledgeBase,
    *,
    start: date,
    weeks: int,
    raised: Retriage | None = None,
) -> Plan:
    """The plan's frame: status, the assessment, the top items and provenance; no content."""
    status = plan_status(assessment, case, kb)
    return Plan(
        status=status,
        start=start,
        weeks=weeks,
        assessment=summarise(assessment, kb),
        top=_top_items(assessment, status, kb, raised),
        cautions=(),
        decision=None,
        phases=(),
        personal=(),
        treatments=(),
        prevention=(),
        days=(),
        kb_version=kb.version,
        kb_digest=kb.digest,
        disclaimer=kb.one(PlanText, DISCLAIMER_ID).text,
        safety_net=assessment.safety_net,
        urgency_label=urgency_table.label(kb, assessment.urgency),
        urgency_heading=urgency_table.heading(kb, assessment.urgency),
    )


def _running(profile: Running | None) -> Running:
    return profile if profile is not None else Running()


def plan_status(assessment: AssessmentResult, case: Case | None, kb: KnowledgeBase) -> PlanStatus:
    """no_self_care for emergency, urgent, under 16 or thoracic pain; interim for soon.

    Upper and mid-back pain is outside a low-back self-care plan (NICE CKS).
    """
    if assessment.urgency in ("emergency", "urgent") or {"under_16", "thoracic_pain"} & set(
        assessment.referral_reasons
    ):
        return "no_self_care"
    if case is not None and _under_age(case, kb):
        return "no_self_care"
    return "interim" if assessment.urgency == "soon" else "self_care"


def _under_age(case: Case, kb: KnowledgeBase) -> bool:
    """The `referral.under_16` record's own age condition, asked of the case."""
    condition = kb.one(TriageRule, UNDER_AGE_ID).when
    return condition is not None and holds(condition, facts_of(case))


def summarise(assessment: AssessmentResult, kb: KnowledgeBase) -> AssessmentSummary:
    """The assessment in the plan's own words."""
    sb = assessment.start_back
    return AssessmentSummary(
        urgency=assessment.urgency,
        action=assessment.action,
        red_flags=assessment.red_flags,
        red_flag_text=tuple(urgency_table.flag_summary(kb, f) for f in assessment.red_flags),
        referral_reasons=assessment.referral_reasons,
        duration=assessment.duration,
        patterns=assessment.patterns,
        start_back_risk=sb.risk if sb else None,
        start_back_total=sb.total if sb else None,
        start_back_psychosocial=sb.psychosocial if sb else None,
        rmdq_score=assessment.rmdq_score,
        reasons=advice.reason_items(assessment),
    )


def _top_items(
    assessment: AssessmentResult,
    status: PlanStatus,
    kb: KnowledgeBase,
    raised: Retriage | None = None,
) -> tuple[PlanItem, ...]:
    sources = tuple(dict.fromkeys(s for r in assessment.reasons for s in r.sources)) or (
        "nice-ng59",
    )
    title = urgency_table.label(kb, assessment.urgency)
    items = [PlanItem("top.action", "action", title, assessment.action, (), sources)]
    if raised is not None:
        note = kb.one(SafetyText, "safety.diary_flag")
        text = note.text.format(
            date=f"{raised.since:%d %B %Y}", signs="; ".join(s.rstrip(".") for s in raised.signs)
        )
        flagged = (note.id,)
        items.append(PlanItem("top.diary_flag", "warning", note.title, text, flagged, note.sources))
    if status == "no_self_care":
        told = kb.one(PlanText, "text.top.clinician")
        items.append(
            PlanItem(
                "top.clinician",
                "clinician",
                told.title,
                clinician_text(assessment, kb),
                (told.id, REPORTED_ID),
                sources,
            )
        )
        none = kb.one(PlanText, "text.top.no_plan")
        items.append(
            PlanItem("top.no_plan", "warning", none.title, none.text, (none.id,), none.sources)
        )
    if status == "interim":
        why = "; ".join(urgency_table.referral_words(kb, r) for r in assessment.referral_reasons)
        ref = kb.one(PlanText, REFERRAL_ID)
        reason = fill(kb.one(PlanText, REFERRAL_WHY_ID).text, {"why": why}) if why else ""
        text = f"{reason} {ref.text}".strip()
        used: tuple[str, ...] = (ref.id, REFERRAL_WHY_ID) if why else (ref.id,)
        items.append(PlanItem("top.referral", "referral", ref.title, text, used, sources))
    return tuple(items)


def clinician_text(assessment: AssessmentResult, kb: KnowledgeBase) -> str:
    """What to tell the clinician: the suspected problems, then what was reported, in words.

    For an emergency or urgent result only the warning signs are reported: nothing else
    (no likely pattern) competes with the action.
    """
    concerns = [urgency_table.flag_summary(kb, f) for f in assessment.red_flags]
    concerns += [urgency_table.referral_words(kb, r) for r in assessment.referral_reasons]
    flagged = assessment.urgency in ("emergency", "urgent")
    reported = [
        r.text.strip().rstrip(".") + "."
        for r in assessment.reasons
        if not flagged or r.rule.split(".", 1)[0] in assessment.red_flags
    ]
    told = kb.one(PlanText, "text.top.clinician").text
    text = fill(told, {"concerns": "; ".join(dict.fromkeys(concerns))}) if concerns else ""
    said = fill(kb.one(PlanText, REPORTED_ID).text,
                {"reported": " ".join(dict.fromkeys(reported))})  # fmt: skip
    return f"{text} {said}".strip()


def _decision_items(decision: ProgressDecision | None, kb: KnowledgeBase) -> tuple[PlanItem, ...]:
    if decision is None:
        return ()
    verb = kb.one(PlanText, f"text.decision.{decision.decision}").title
    frame = kb.one(PlanText, "text.decision.titles")
    title = fill(frame.title, {"verb": verb, "phase": phase_record(kb, decision.to_phase).name})
    if decision.to_phase == "return_to_run" and decision.run_stage:
        title += fill(frame.text, {"stage": decision.run_stage})
    kind: ItemKind = "warning" if decision.decision in ("stop", "step_back") else "advice"
    return (
        PlanItem(
            "top.progress",
            kind,
            title,
            " ".join(decision.reasons),
            (*decision.records, f"text.decision.{decision.decision}", frame.id),
            decision.sources,
        ),
    )


def _phases(rule: StartRule, decision: ProgressDecision | None) -> tuple[Phase, ...]:
    """From where the person is (the diary, else the start rule) to the last phase.

    Rest days of the start rule come first as a short settle phase; with leg symptoms the
    plan ends before the walk-run (the diary starts it once the leg has settled).
    """
    last: Phase = "strengthen" if rule.running == "after_leg_symptoms" else "prevent"
    first = rule.phase
    if decision is not None and (
        decision.decision == "step_back" or PHASES.index(decision.to_phase) > PHASES.index(first)
    ):
        first = decision.to_phase  # the diary moves on past the start, or steps back
    if PHASES.index(first) > PHASES.index(last):
        first = last
    chosen = PHASES[PHASES.index(first) : PHASES.index(last) + 1]
    if decision is None and rule.rest_days and first != "settle":
        return ("settle", *chosen)
    return chosen


def _cross_training(running: Running, cautions: frozenset[CautionTag]) -> tuple[str, ...]:
    """Cross-training from what they already do; sitting-heavy ones dropped if sitting hurts."""
    own = tuple(
        x.replace("_", " ")
        for x in running.cross_training
        if not ("worse_sitting" in cautions and x in SITTING_HEAVY)
    )
    return own or DEFAULT_CROSS

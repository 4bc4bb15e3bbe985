"""`build_plan`: from an assessment, a profile, findings and a diary to a personal plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from backstride.assess.intake import Case, Running
from backstride.assess.result import AssessmentResult
from backstride.domain.diary import DiaryEntry
from backstride.domain.finding import Finding
from backstride.knowledge.content import PHASES, CautionTag, Phase
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_texts import (
    DAY_TEXTS_ID,
    WALK_RUN_ID,
    DayTexts,
    ItemKind,
    WalkRunTemplate,
    phase_record,
)
from backstride.plan import advice
from backstride.plan.adapt import decide
from backstride.plan.cautions import case_cautions, has_leg_symptoms
from backstride.plan.exercises import phase_exercises
from backstride.plan.model import (
    AssessmentSummary,
    Plan,
    PlanItem,
    PlanStatus,
    ProgressDecision,
)
from backstride.plan.personal import personal_items
from backstride.plan.phases import phase_blocks
from backstride.plan.schedule import Block, Context, build_days, layout, settle_days
from backstride.progress.monitoring import monitoring_rule

DISCLAIMER = (
    "This plan is information and self-management support for adults with low back pain "
    "linked to running. It is not a diagnosis and does not replace a clinician. If new or "
    "worsening symptoms appear, stop and get checked."
)
INTERIM_LAST: Phase = "strengthen"  # a "soon" result keeps running paused until the review
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
    weeks: int = 6,
    start: date | None = None,
    shoe_inspection_km: float = 600.0,
) -> Plan:
    """The personal plan: no self-care for emergency/urgent, an interim plan for soon.

    References: nice-ng59, acp-2017, trials-2023-walkrun, silbernagel-2007, hill-2011-startback
    """
    case = profile if isinstance(profile, Case) else None
    running = profile.running if isinstance(profile, Case) else _running(profile)
    bare = _bare_plan(assessment, case, kb, start=start or today, weeks=weeks)
    if bare.status == "no_self_care":
        return bare
    cautions = case_cautions(assessment, case, progress)
    leg_at_start = case is not None and has_leg_symptoms(case)
    decision = decide(progress, today=today, kb=kb, leg_symptoms_at_start=leg_at_start)
    if decision is not None and decision.decision == "stop":
        # a new danger sign in the diary withdraws self-care until a clinician has seen it
        stop = _decision_items(decision, kb)
        return replace(bare, status="no_self_care", top=bare.top + stop, decision=decision)
    phases = _phases(bare.status, decision)
    exercises = {p: phase_exercises(kb, p, cautions) for p in phases}
    walk_run = kb.one(WalkRunTemplate, WALK_RUN_ID)
    runs_per_stage = monitoring_rule(kb).runs_per_stage
    blocks = layout(
        phases,
        total_days=weeks * 7,
        settle_length=settle_days(case.pain.intensity if case else 5, assessment.duration),
        run_stage=decision.run_stage if decision else 1,
        stages=len(walk_run.stages),
        runs_per_stage=runs_per_stage,
    )
    ctx = Context(
        bare.start,
        exercises,
        _strengthen_first(blocks, phases),
        _cross_training(running, cautions),
        advice.education_order(kb, assessment),
        walk_run,
        kb.one(DayTexts, DAY_TEXTS_ID).texts,
        runs_per_stage,
    )
    return replace(
        bare,
        top=bare.top + _decision_items(decision, kb),
        cautions=tuple(sorted(cautions)),
        decision=decision,
        phases=phase_blocks(blocks, exercises, bare.start, kb=kb, interim=bare.status == "interim"),
        personal=_personal(assessment, running, findings, kb, shoe_inspection_km),
        treatments=advice.treatment_items(kb),
        prevention=advice.prevention_items(kb),
        days=build_days(blocks, ctx),
    )


def _bare_plan(
    assessment: AssessmentResult, case: Case | None, kb: KnowledgeBase, *, start: date, weeks: int
) -> Plan:
    """The plan's frame: status, the assessment, the top items and provenance; no content."""
    status = plan_status(assessment, case)
    return Plan(
        status=status,
        start=start,
        weeks=weeks,
        assessment=summarise(assessment),
        top=_top_items(assessment, status),
        cautions=(),
        decision=None,
        phases=(),
        personal=(),
        treatments=(),
        prevention=(),
        days=(),
        kb_version=kb.version,
        kb_digest=kb.digest,
        disclaimer=DISCLAIMER,
    )


def _running(profile: Running | None) -> Running:
    return profile if profile is not None else Running()


def plan_status(assessment: AssessmentResult, case: Case | None) -> PlanStatus:
    """no_self_care for emergency, urgent or under 16; interim for soon; else self_care."""
    if assessment.urgency in ("emergency", "urgent") or "under_16" in assessment.referral_reasons:
        return "no_self_care"
    if case is not None and case.age < 16:
        return "no_self_care"
    return "interim" if assessment.urgency == "soon" else "self_care"


def summarise(assessment: AssessmentResult) -> AssessmentSummary:
    """The assessment in the plan's own words."""
    sb = assessment.start_back
    return AssessmentSummary(
        urgency=assessment.urgency,
        action=assessment.action,
        red_flags=assessment.red_flags,
        red_flag_text=tuple(advice.RED_FLAG_WORDS.get(f, f) for f in assessment.red_flags),
        referral_reasons=assessment.referral_reasons,
        duration=assessment.duration,
        patterns=assessment.patterns,
        start_back_risk=sb.risk if sb else None,
        start_back_total=sb.total if sb else None,
        start_back_psychosocial=sb.psychosocial if sb else None,
        rmdq_score=assessment.rmdq_score,
        reasons=advice.reason_items(assessment),
    )


def _top_items(assessment: AssessmentResult, status: PlanStatus) -> tuple[PlanItem, ...]:
    sources = tuple(dict.fromkeys(s for r in assessment.reasons for s in r.sources)) or (
        "nice-ng59",
    )
    items = [PlanItem("top.action", "action", "What to do now", assessment.action, (), sources)]
    if status == "no_self_care":
        text = clinician_text(assessment)
        items.append(
            PlanItem("top.clinician", "clinician", "What to tell the clinician", text, (), sources)
        )
        items.append(
            PlanItem(
                "top.no_plan",
                "warning",
                "No self-care plan",
                "This needs a clinician first, so no exercise or running plan is given.",
                (),
                ("nice-ng59",),
            )
        )
    if status == "interim":
        why = "; ".join(advice.REFERRAL_WORDS.get(r, r) for r in assessment.referral_reasons)
        text = (
            "Book an appointment with a GP or physiotherapist within 1–2 weeks"
            + (f". Why: {why}." if why else ".")
            + " Until then, follow this conservative plan; running stays paused until "
            "the review."
        )
        items.append(PlanItem("top.referral", "referral", "Book a review", text, (), sources))
    return tuple(items)


def clinician_text(assessment: AssessmentResult) -> str:
    """What to tell the clinician: the suspected problems, then what was reported, in words."""
    concerns = [advice.RED_FLAG_WORDS.get(f, f) for f in assessment.red_flags]
    concerns += [advice.REFERRAL_WORDS.get(r, r) for r in assessment.referral_reasons]
    reported = [r.text.strip().rstrip(".") + "." for r in assessment.reasons]
    text = (
        "Tell the clinician about " + "; ".join(dict.fromkeys(concerns)) + "." if concerns else ""
    )
    return f"{text} What you reported: {' '.join(dict.fromkeys(reported))}".strip()


def _decision_items(decision: ProgressDecision | None, kb: KnowledgeBase) -> tuple[PlanItem, ...]:
    if decision is None:
        return ()
    verb = {
        "advance": "Move on",
        "hold": "Stay at this step",
        "step_back": "Step back",
        "stop": "Stop and get checked",
        "start": "Start",
    }[decision.decision]
    title = f"{verb}: {phase_record(kb, decision.to_phase).name}"
    if decision.to_phase == "return_to_run" and decision.run_stage:
        title += f", walk-run step {decision.run_stage}"
    kind: ItemKind = "warning" if decision.decision in ("stop", "step_back") else "advice"
    return (
        PlanItem(
            "top.progress",
            kind,
            title,
            " ".join(decision.reasons),
            decision.records,
            decision.sources,
        ),
    )


def _phases(status: PlanStatus, decision: ProgressDecision | None) -> tuple[Phase, ...]:
    first = decision.to_phase if decision else "settle"
    last = INTERIM_LAST if status == "interim" else "prevent"
    if PHASES.index(first) > PHASES.index(last):
        first = last
    return PHASES[PHASES.index(first) : PHASES.index(last) + 1]


def _strengthen_first(blocks: Sequence[Block], phases: Sequence[Phase]) -> int:
    for block in blocks:
        if block.phase == "strengthen":
            return block.first
    # starting past strengthen: strength work is already a few weeks in
    return -14 if phases and PHASES.index(phases[0]) > PHASES.index("strengthen") else 10**6


def _cross_training(running: Running, cautions: frozenset[CautionTag]) -> tuple[str, ...]:
    """Cross-training from what they already do; sitting-heavy ones dropped if sitting hurts."""
    own = tuple(
        x.replace("_", " ")
        for x in running.cross_training
        if not ("worse_sitting" in cautions and x in SITTING_HEAVY)
    )
    return own or DEFAULT_CROSS


def _personal(
    assessment: AssessmentResult,
    running: Running,
    findings: Sequence[Finding],
    kb: KnowledgeBase,
    shoe_inspection_km: float,
) -> tuple[PlanItem, ...]:
    sb = advice.start_back_item(assessment)
    items = personal_items(running, findings, kb, shoe_inspection_km=shoe_inspection_km)
    return ((sb,) if sb else ()) + items

"""Recovery tracking use cases: store assessments, keep the diary, compute progress.

A new red-flag answer in the diary re-runs the real triage on the latest assessment's case
with that answer set; the result leads everything else the runner sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from backstride.analytics.rules import FindingRules
from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult
from backstride.config import Settings
from backstride.domain.diary import DiaryEntry
from backstride.errors import InputError
from backstride.knowledge import load as kb_load
from backstride.knowledge.analytics_params import REPORT_SPANS_ID, ReportSpans
from backstride.knowledge.care import AssociationWords
from backstride.progress.association import (
    WORDS_ID,
    Association,
    RunLoad,
    pain_load_associations,
)
from backstride.progress.change import ProgressSummary, change_rule, summarise_progress
from backstride.progress.escalation import Escalation, escalations, red_flag_escalation
from backstride.progress.monitoring import check_runs, monitoring_rule, recent_runs, week_verdict
from backstride.progress.status import ProgressStatus
from backstride.services.cache import cached
from backstride.services.diary import (
    DiaryForm,
    DiaryOutcome,
    add_diary_entry,
    parse_diary_form,
    run_loads,
)
from backstride.services.standing import Standing, standing_from
from backstride.services.store import local_runner, store_session
from backstride.storage import direct
from backstride.storage import tracking as repo
from backstride.storage.db import direct_store_of

#: Adding an entry runs on the direct store path (`services.diary`); its names stay here too.
__all__ = ["DiaryForm", "DiaryOutcome", "add_diary_entry", "parse_diary_form"]


def record_assessment(
    session: Session, case: Case, result: AssessmentResult, *, now: datetime
) -> int:
    """Store an assessment (the case as answered and its result) for the local runner."""
    runner = local_runner(session)
    return repo.add_assessment(
        session,
        runner_id=runner.id,
        case=case.model_dump(mode="json", exclude_defaults=True),
        result=result.to_dict(),
        created_at=now,
    )


def record_plan(
    session: Session,
    plan: dict[str, Any],
    *,
    phase: str | None,
    kb_version: str,
    now: datetime,
) -> int:
    """Store the plan as given to the runner (for the report's plan phase)."""
    runner = local_runner(session)
    return repo.add_plan_snapshot(
        session,
        runner_id=runner.id,
        plan=plan,
        phase=phase,
        kb_version=kb_version,
        created_at=now,
    )


def diary_days_before_first_check() -> int:
    """How many days before the first check a diary entry may be for (`report.spans`)."""
    spans = kb_load.load_knowledge_base().one(ReportSpans, REPORT_SPANS_ID)
    return spans.diary_days_before_first_check


def diary_date_window(settings: Settings, *, today: date) -> tuple[date, date]:
    """The days a diary entry may be for: from the record's span before the first check to
    today."""
    with store_session(settings) as session:
        found = repo.list_assessments(session, runner_id=local_runner(session).id)
    first = found[0].created_at.date() if found else today
    return first - timedelta(days=diary_days_before_first_check()), today


def add_rmdq(settings: Settings, *, on: date, items: tuple[int, ...], now: datetime) -> int:
    """Store a weekly RMDQ response on its own."""
    if len(set(items)) != len(items) or any(not 1 <= i <= 24 for i in items):
        raise InputError("rmdq: expected distinct statement numbers 1-24")
    with store_session(settings) as session:
        runner = local_runner(session)
        return repo.add_rmdq(session, runner_id=runner.id, on=on, items=items, created_at=now)


def list_entries(
    settings: Settings, *, since: date | None = None, last: int | None = None
) -> list[repo.StoredEntry]:
    """The diary (from `since` on, or only the `last` few entries), oldest first."""
    with store_session(settings) as session:
        runner = local_runner(session)
        return repo.list_diary_entries(session, runner_id=runner.id, since=since, last=last)


def delete_entry(settings: Settings, entry_id: int) -> None:
    """Remove one diary entry."""
    with store_session(settings) as session:
        repo.delete_diary_entry(session, runner_id=local_runner(session).id, entry_id=entry_id)


def progress_status(settings: Settings, *, today: date) -> ProgressStatus:
    """Progress, escalations, run checks and pain-load associations as of `today`."""
    with store_session(settings) as session:
        return progress_in_session(session, today=today)


def progress_in_session(session: Session, *, today: date) -> ProgressStatus:
    """`progress_status` inside a caller's transaction (kept until the runner's data changes)."""
    runner_id = local_runner(session).id
    return cached(session, runner_id, ("progress", today),
                  lambda: _progress(session, runner_id, today=today))  # fmt: skip


def _progress(session: Session, runner_id: int, *, today: date) -> ProgressStatus:
    stored = repo.list_diary_entries(session, runner_id=runner_id)
    entries = [s.entry for s in stored if s.entry.at.date() <= today]  # as of `today`
    rmdq = [p for p in repo.list_rmdq(session, runner_id=runner_id) if p.on <= today]
    assessments = repo.list_assessments(session, runner_id=runner_id)
    first = assessments[0] if assessments else None
    kb = kb_load.load_knowledge_base()
    rules = change_rule(kb)
    thresholds = _rmdq_thresholds()
    summary = summarise_progress(
        entries,
        rmdq,
        today=today,
        assessed_pain=_case_value(first, "pain", "intensity"),
        assessed_rmdq=_result_rmdq(first),
        rule=rules,
        **thresholds,
    )
    standing = _standing(session, runner_id, stored_entries=entries, assessments=assessments)
    flags = standing.flag_ids
    runs = tuple(_run_loads(session, runner_id))
    rule = monitoring_rule(kb)
    leg_at_start = _leg_symptoms_at_start(assessments[-1] if assessments else None)
    run_checks = check_runs(entries, rule, leg_symptoms_at_start=leg_at_start)
    verdict = week_verdict(entries, rule, today=today, leg_symptoms_at_start=leg_at_start)
    recent = recent_runs(run_checks, today=today, days=rule.recent_days)
    return ProgressStatus(
        today=today,
        summary=summary,
        escalations=escalations(
            summary,
            retriage_urgency=standing.urgency,
            new_red_flags=standing.signs,
            self_care_days=_self_care_days(first, entries, today),
            pain_days=_pain_days(first, today),
            run_advice=tuple(c.advice for c in recent),
            week_advice=verdict.advice if verdict else None,
            rule=rules,
            kb=kb,
        ),
        run_checks=run_checks,
        verdict=verdict,
        change_rule=rules,
        recovered_rmdq_max=thresholds["recovered_rmdq_max"],
        associations=_associations(summary, runs, kb.one(AssociationWords, WORDS_ID)),
        rmdq=tuple(rmdq),
        assessments=tuple(assessments),
        new_red_flags=flags,
        runs=runs,
    )


def _associations(
    summary: ProgressSummary, runs: Sequence[RunLoad], words: AssociationWords
) -> tuple[Association, ...]:
    """Next-day pain against the day's load, by the association record."""
    pain = {d.on: d.mean_pain for d in summary.daily}
    spike = FindingRules.from_kb(kb_load.load_knowledge_base()).spike
    return pain_load_associations(pain, runs, words=words, lookback_days=spike.lookback_days)


def standing_escalation(session: Session, runner_id: int) -> Escalation | None:
    """The standing red-flag escalation for this runner now, or None (kept until the
    runner's data changes)."""
    return cached(session, runner_id, ("standing",), lambda: _standing_now(session, runner_id))


def _standing_now(session: Session, runner_id: int) -> Escalation | None:
    stored = repo.list_diary_entries(session, runner_id=runner_id)
    assessments = repo.list_assessments(session, runner_id=runner_id)
    standing = _standing(
        session, runner_id, stored_entries=[s.entry for s in stored], assessments=assessments
    )
    return red_flag_escalation(standing.urgency, standing.signs, kb_load.load_knowledge_base())


def current_escalation(settings: Settings) -> Escalation | None:
    """The acting account's standing red-flag escalation (it leads every page), or None."""
    with store_session(settings) as session:
        return standing_escalation(session, local_runner(session).id)


def _standing(
    session: Session,
    runner_id: int,
    *,
    stored_entries: Sequence[DiaryEntry],
    assessments: Sequence[repo.StoredAssessment],
) -> Standing:
    """The standing escalation from this session's rows (see `standing.standing_from`)."""
    reviewed_at = reviewed_since(session, runner_id)
    kb = kb_load.load_knowledge_base()
    return standing_from(stored_entries, assessments, reviewed_at=reviewed_at, kb=kb)


def reviewed_since(session: Session, runner_id: int) -> datetime | None:
    """When a clinician last reviewed this runner (tz-aware), or None."""
    from backstride.storage import reviews
    from backstride.storage.accounts import user_of_runner

    user = user_of_runner(session, runner_id)
    if user is None:
        return None
    review = reviews.latest_review(session, user_id=user.id)
    return None if review is None else review.at


def _rmdq_thresholds() -> dict[str, Any]:
    """Meaningful change and the recovered cut-off for the RMDQ, from the knowledge base."""
    from backstride.knowledge.rules import Questionnaire

    thresholds = kb_load.load_knowledge_base().one(Questionnaire, "rmdq").thresholds
    return {
        "rmdq_points": float(thresholds["meaningful_change_points"]),
        "recovered_rmdq_max": int(thresholds["recovered_max"]),
    }


def _case_value(stored: repo.StoredAssessment | None, section: str, key: str) -> float | None:
    if stored is None:
        return None
    value = (stored.case.get(section) or {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def _result_rmdq(stored: repo.StoredAssessment | None) -> int | None:
    if stored is None or not isinstance(stored.result.get("rmdq"), dict):
        return None
    score = stored.result["rmdq"].get("score")
    return int(score) if isinstance(score, int) else None


def _self_care_days(
    first: repo.StoredAssessment | None, entries: Sequence[DiaryEntry], today: date
) -> int | None:
    if first is not None:
        weeks_before = _case_value(first, "history", "self_care_weeks") or 0.0
        return (today - first.created_at.date()).days + round(weeks_before * 7)
    if entries:
        return (today - entries[0].at.date()).days
    return None


def _leg_symptoms_at_start(latest: repo.StoredAssessment | None) -> bool:
    """Leg symptoms in the latest assessment's case: the plan counts only newer ones as new."""
    from backstride.plan.cautions import has_leg_symptoms

    if latest is None:
        return False
    try:
        return has_leg_symptoms(Case.model_validate(latest.case))
    except ValidationError:  # a case stored by an older version: treat every one as new
        return False


def _pain_days(first: repo.StoredAssessment | None, today: date) -> int | None:
    started = _case_value(first, "pain", "started_days_ago")
    if first is None or started is None:
        return None
    return round(started) + (today - first.created_at.date()).days


def _run_loads(session: Session, runner_id: int) -> list[RunLoad]:
    """The runner's imported runs as load summaries (none until activities are stored)."""
    return run_loads(direct.list_runs(direct_store_of(session), runner_id=runner_id))


def clinician_report(settings: Settings, *, fmt: str, today: date) -> bytes:
    """The clinician report as HTML or PDF bytes."""
    from backstride.report.clinician_report import ReportData, render_html, render_pdf

    if fmt not in ("html", "pdf"):
        raise InputError(f"--format must be pdf or html, got {fmt!r}")
    with store_session(settings) as session:
        status = progress_in_session(session, today=today)
        plan = repo.latest_plan_snapshot(session, runner_id=local_runner(session).id)
        phase, created = (None, None) if plan is None else (plan.phase, repo.utc(plan.created_at))
    data = ReportData(
        generated_on=today,
        assessments=status.assessments,
        summary=status.summary,
        escalations=status.escalations,
        run_checks=status.run_checks,
        associations=status.associations,
        rmdq=status.rmdq,
        runs=status.runs,
        new_red_flags=status.new_red_flags,
        plan_phase=phase,
        plan_created=created,
    )
    kb = kb_load.load_knowledge_base()
    if fmt == "pdf":
        return render_pdf(data, kb)
    return render_html(data, kb).encode("utf-8")


def store_assessment(settings: Settings, case: Case, *, now: datetime) -> AssessmentResult:
    """Assess a case and keep it as the diary's baseline (and for the report)."""
    return keep_assessment(settings, case, now=now)[0]


def keep_assessment(
    settings: Settings, case: Case, *, now: datetime
) -> tuple[AssessmentResult, int]:
    """`store_assessment`, with the id the kept assessment was given."""
    from backstride.services.assessment import assess_case

    result = assess_case(case)
    with store_session(settings) as session:
        return result, record_assessment(session, case, result, now=now)

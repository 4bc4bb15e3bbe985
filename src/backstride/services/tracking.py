"""Recovery tracking use cases: store assessments, keep the diary, compute progress.

A new red-flag answer in the diary re-runs the real triage on the latest assessment's case
with that answer set; the result leads everything else the runner sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult
from backstride.config import Settings
from backstride.domain.diary import DiaryEntry
from backstride.errors import InputError
from backstride.knowledge import load as kb_load
from backstride.knowledge.care import AssociationWords
from backstride.progress.association import (
    WORDS_ID,
    Association,
    RunLoad,
    daily_load,
    lagged_associations,
)
from backstride.progress.change import ProgressSummary, change_rule, summarise_progress
from backstride.progress.escalation import Escalation, escalations, red_flag_escalation
from backstride.progress.monitoring import check_runs, monitoring_rule, recent_runs, week_verdict
from backstride.progress.questions import check_locations, check_red_flag_ids
from backstride.progress.status import ProgressStatus
from backstride.services.cache import cached
from backstride.services.store import local_runner, store_session
from backstride.storage import tracking as repo

Score = Annotated[int, Field(ge=0, le=10)]


class DiaryForm(BaseModel):
    """One diary entry as typed or scripted (the boundary model: ranges checked here)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    on: date
    at_time: time | None = None
    pain_now: Score
    pain_worst: Score | None = None
    pain_during_run: Score | None = None
    pain_next_morning: Score | None = None
    stiffness: Score | None = None
    locations: tuple[str, ...] = ()
    leg_symptoms: bool = False
    red_flags: tuple[str, ...] = ()
    exercises_done: tuple[str, ...] = ()
    sleep_hours: Annotated[float, Field(ge=0, le=24)] | None = None
    rmdq_items: tuple[Annotated[int, Field(ge=1, le=24)], ...] | None = None
    note: Annotated[str, Field(max_length=4000)] | None = None
    run_keys: tuple[str, ...] = ()
    steps: Annotated[int, Field(ge=0, le=100_000)] | None = None
    link_runs: bool = True


@dataclass(frozen=True, slots=True)
class DiaryOutcome:
    """What adding an entry did: its id, linked runs and any immediate escalation."""

    entry_id: int
    entry: DiaryEntry
    escalation: Escalation | None


def parse_diary_form(values: dict[str, Any]) -> DiaryForm:
    """Validate raw diary values; the first problem becomes an InputError naming the field."""
    try:
        form = DiaryForm.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "entry"
        raise InputError(f"diary {where}: {first['msg']} (got {first.get('input')!r})") from exc
    check_locations(form.locations)
    check_red_flag_ids(form.red_flags, kb_load.load_knowledge_base())
    if form.rmdq_items is not None and len(set(form.rmdq_items)) != len(form.rmdq_items):
        raise InputError("diary rmdq: each statement number 1-24 may appear once")
    return form


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


def add_diary_entry(settings: Settings, form: DiaryForm, *, now: datetime) -> DiaryOutcome:
    """Store one diary entry (and its RMDQ); new red flags re-run triage at once."""
    with store_session(settings) as session:
        runner = local_runner(session)
        run_keys = _link_runs(session, runner.id, form)
        entry = _entry_from(form, now=now, run_keys=run_keys)
        entry_id = repo.add_diary_entry(session, runner_id=runner.id, entry=entry, created_at=now)
        if form.rmdq_items is not None:
            repo.add_rmdq(
                session, runner_id=runner.id, on=form.on, items=form.rmdq_items, created_at=now
            )
        escalation = standing_escalation(session, runner.id)
    return DiaryOutcome(entry_id, entry, escalation)


def diary_date_window(settings: Settings, *, today: date) -> tuple[date, date]:
    """The days a diary entry may be for: from a year before the first check to today."""
    with store_session(settings) as session:
        found = repo.list_assessments(session, runner_id=local_runner(session).id)
    first = found[0].created_at.date() if found else today
    return first - timedelta(days=365), today


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
    return lagged_associations(pain, daily_load(runs, words=words), words=words)


def _entry_from(form: DiaryForm, *, now: datetime, run_keys: tuple[str, ...]) -> DiaryEntry:
    at_time = form.at_time
    if at_time is None:
        at_time = now.time() if form.on == now.date() else time(12, 0)
    return DiaryEntry(
        at=datetime.combine(form.on, at_time.replace(microsecond=0, tzinfo=None)),
        pain_now=form.pain_now,
        pain_worst=form.pain_worst,
        pain_during_run=form.pain_during_run,
        pain_next_morning=form.pain_next_morning,
        stiffness=form.stiffness,
        locations=check_locations(form.locations),
        leg_symptoms=form.leg_symptoms,
        new_red_flags=check_red_flag_ids(form.red_flags, kb_load.load_knowledge_base()),
        exercises_done=tuple(x.strip() for x in form.exercises_done if x.strip()),
        sleep_hours=form.sleep_hours,
        rmdq_score=None if form.rmdq_items is None else len(form.rmdq_items),
        note=form.note,
        run_keys=run_keys,
        steps=form.steps,
    )


@dataclass(frozen=True, slots=True)
class Standing:
    """A warning sign that leads every output until a clinician's review is recorded."""

    urgency: str | None
    signs: tuple[str, ...]  # in plain words
    flag_ids: tuple[str, ...]  # the diary's red-flag question ids among them
    since: datetime | None


NO_STANDING = Standing(None, (), (), None)


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
    """The latest check's own red flag, or the diary's re-triage, since the latest review.

    The diary's red-flag answers and where it hurts are applied to the latest check's case
    and the real triage runs again (the screen alone on the diary when no check is stored).

    References: nice-ng59, girft-cauda-equina
    """
    from backstride.plan.retriage import counted_entries, retriage

    kb = kb_load.load_knowledge_base()
    reviewed_at = reviewed_since(session, runner_id)
    latest = assessments[-1] if assessments else None
    own = _check_standing(latest, reviewed_at, kb)
    if own is not None:
        return own
    assessed_at = None if latest is None else latest.created_at.replace(tzinfo=None)
    counted = counted_entries(
        stored_entries,
        assessed_at=assessed_at,
        reviewed_at=None if reviewed_at is None else _local_naive(reviewed_at),
    )
    raised = retriage(
        _stored_case(latest), [] if latest is None else latest.result.get("red_flags") or [],
        counted, kb,
    )  # fmt: skip
    if raised is None:
        return NO_STANDING
    ids = tuple(dict.fromkeys(i for e in counted for i in e.new_red_flags))
    return Standing(raised.result.urgency, raised.signs, ids, raised.since)


def _check_standing(
    latest: repo.StoredAssessment | None, reviewed_at: datetime | None, kb: Any
) -> Standing | None:
    """A stored check that itself found an urgent or emergency flag after the latest review."""
    from backstride.knowledge import urgency as urgency_table

    if latest is None or latest.result.get("urgency") not in ("emergency", "urgent"):
        return None
    made = repo.utc(latest.created_at)
    if reviewed_at is not None and reviewed_at >= made:
        return None
    flags = [f for f in latest.result.get("red_flags") or [] if isinstance(f, str)]
    signs = tuple(urgency_table.flag_summary(kb, f) for f in flags)
    return Standing(str(latest.result["urgency"]), signs, (), made)


def reviewed_since(session: Session, runner_id: int) -> datetime | None:
    """When a clinician last reviewed this runner (tz-aware), or None."""
    from backstride.storage import reviews
    from backstride.storage.accounts import user_of_runner

    user = user_of_runner(session, runner_id)
    if user is None:
        return None
    review = reviews.latest_review(session, user_id=user.id)
    return None if review is None else review.at


def _local_naive(moment: datetime) -> datetime:
    """A tz-aware moment as the naive local time diary entries are stored in."""
    return moment.astimezone().replace(tzinfo=None)


def _stored_case(latest: repo.StoredAssessment | None) -> Case | None:
    if latest is None:
        return None
    try:
        return Case.model_validate(latest.case)
    except ValidationError:  # a case stored by an older version: the screen runs alone
        return None


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


def _link_runs(session: Session, runner_id: int, form: DiaryForm) -> tuple[str, ...]:
    """Explicit run keys (checked to exist) plus, by default, every run on the entry's day."""
    known = {run.key: run for run in _run_loads(session, runner_id)}
    for key in form.run_keys:
        if key not in known:
            raise InputError(f"diary run: no imported activity with key {key!r}")
    keys = list(form.run_keys)
    if form.link_runs:
        keys += [k for k, r in known.items() if r.start.date() == form.on and k not in keys]
    return tuple(keys)


def _run_loads(session: Session, runner_id: int) -> list[RunLoad]:
    """The runner's imported runs as load summaries (none until activities are stored)."""
    try:
        from backstride.storage.activity_tables import ActivityRow
    except ImportError:  # the activity store is optional for tracking
        return []
    rows = session.execute(
        select(
            ActivityRow.source_hash,
            ActivityRow.start_time,
            ActivityRow.distance_m,
            ActivityRow.duration_s,
            ActivityRow.avg_cadence_spm,
            ActivityRow.surface,
            ActivityRow.sub_sport,
        )
        .where(ActivityRow.runner_id == runner_id, ActivityRow.sport == "running")
        .order_by(ActivityRow.start_time)
    ).all()
    if not rows:
        return []
    from backstride.analytics.history import surface_of  # numpy: only when there are runs

    return [
        RunLoad(
            key=row[0],
            start=repo.utc(row[1]).astimezone(),  # the runner's local day
            distance_m=float(row[2] or 0.0),
            duration_s=float(row[3] or 0.0),
            cadence_spm=row[4],
            surface=surface_of(row[6], row[5]),  # the runner's tag wins over sub_sport
        )
        for row in rows
    ]


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
    from backstride.services.assessment import assess_case

    result = assess_case(case)
    with store_session(settings) as session:
        record_assessment(session, case, result, now=now)
    return result

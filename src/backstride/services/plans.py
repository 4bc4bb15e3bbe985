"""Plan use cases: read a case (and optional findings or stored history), build and render."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult, urgency_rank
from backstride.config import Settings
from backstride.domain.checkin import CHECKIN_BOUNDS, GOAL_MAX_CHARS, CheckIn
from backstride.domain.diary import DiaryEntry
from backstride.domain.finding import Finding, FindingId, Severity
from backstride.errors import InputError
from backstride.knowledge import KnowledgeBase
from backstride.plan import Plan, build_plan
from backstride.plan.checkin import Retailored, retailor
from backstride.services.assessment import knowledge_base

PlanFormat = Literal["text", "json", "md", "html", "pdf", "ics"]
MAX_WEEKS = 26


class FindingIn(BaseModel):
    """A finding as `backstride analyze --format json` writes it (extra keys ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: FindingId
    severity: Severity = "consider"
    title: str = ""
    evidence: str = ""
    runs: tuple[str, ...] = ()
    metrics: dict[str, float | None] = Field(default_factory=dict)
    sources: tuple[str, ...] = ()
    on: date | None = None
    rule: str | None = None

    @field_validator("runs", mode="before")
    @classmethod
    def _run_keys(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [v.get("key") if isinstance(v, dict) else v for v in value]
        return value

    def finding(self) -> Finding:
        """The domain value."""
        metrics = {k: v for k, v in self.metrics.items() if v is not None}
        return Finding(
            self.id,
            self.severity,
            self.title,
            self.evidence,
            self.runs,
            metrics,
            self.sources,
            self.on,
            self.rule,
        )


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    """A built plan and the knowledge base it was built from (renderers need both)."""

    plan: Plan
    kb: KnowledgeBase
    today: date


def plan_for_case(
    case: Case,
    result: AssessmentResult,
    *,
    settings: Settings,
    today: date,
    start: date | None = None,
    weeks: int | None = None,
    findings: list[Finding] | None = None,
    use_store: bool = False,
    keep: bool = False,
    now: datetime | None = None,
    lead_with_store: bool = False,
) -> PlanOutcome:
    """Build the plan of an assessed case (the stored history too with `use_store`; a stored
    warning sign leads it with `lead_with_store` or `use_store`)."""
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"--weeks: expected a whole number of weeks 1–{MAX_WEEKS}, got {weeks}")
    kb = knowledge_base()
    findings = list(findings or [])
    diary: list[DiaryEntry] = []
    checkins: list[CheckIn] = []
    reviewed_at: datetime | None = None
    if use_store:
        stored_findings, diary = _from_store(settings, today=today)
        findings += stored_findings
        checkins = list_checkins(settings)
    elif lead_with_store:
        from backstride.services.tracking import list_entries

        diary = [s.entry for s in list_entries(settings)]
    if use_store or lead_with_store:
        reviewed_at, standing = _store_standing(settings)
        if standing is not None and urgency_rank(standing[1].urgency) > urgency_rank(
            result.urgency
        ):
            case, result = standing
    plan = build_plan(result, case, findings, diary, today, kb, weeks=weeks, start=start,
                      shoe_inspection_km=settings.shoe_inspection_km,
                      reviewed_at=reviewed_at, checkins=checkins)  # fmt: skip
    outcome = PlanOutcome(plan, kb, today)
    if keep or use_store:
        if now is None:
            raise ValueError("plan_for_case: keeping the plan needs the shell's `now`")
        record(outcome, settings, now=now)
    return outcome


def _store_standing(
    settings: Settings,
) -> tuple[datetime | None, tuple[Case, AssessmentResult] | None]:
    """The latest review (as naive local time) and a stored check that leads until reviewed.

    A stored check (a re-check) that found an urgent or emergency warning sign after the
    latest clinician review leads the plan, whatever case file the plan is built from.
    """
    from backstride.assess.triage import assess
    from backstride.services.standing import check_standing, stored_case
    from backstride.services.store import local_runner, store_session
    from backstride.services.tracking import reviewed_since
    from backstride.storage import tracking as repo

    kb = knowledge_base()
    with store_session(settings) as session:
        runner = local_runner(session)
        reviewed = reviewed_since(session, runner.id)
        assessments = repo.list_assessments(session, runner_id=runner.id)
    local = None if reviewed is None else reviewed.astimezone().replace(tzinfo=None)
    latest = assessments[-1] if assessments else None
    stored = stored_case(latest)
    if stored is None or check_standing(latest, reviewed, kb) is None:
        return local, None
    return local, (stored, assess(stored, kb))


#: A check-in's bounds: (low, high) per field a person types.


def record_checkin(settings: Settings, checkin: CheckIn, *, now: datetime) -> Retailored | None:
    """Store a weekly check-in (refused when out of range); what it does to next week."""
    for name, (low, high) in CHECKIN_BOUNDS.items():
        value = getattr(checkin, name)
        if value is not None and not low <= value <= high:
            raise InputError(f"{name.replace('_', ' ')}: expected {low}–{high}, got {value}")
    if checkin.goal is not None and len(checkin.goal) > GOAL_MAX_CHARS:
        raise InputError(f"goal: expected at most {GOAL_MAX_CHARS} characters")
    from backstride.services.store import local_runner, store_session
    from backstride.storage import checkins as repo

    with store_session(settings) as session:
        runner = local_runner(session)
        repo.add_checkin(session, runner_id=runner.id, checkin=checkin, created_at=now)
        stored = repo.list_checkins(session, runner_id=runner.id)
    return retailor(stored, today=checkin.week_end, kb=knowledge_base())


def step_goal(settings: Settings, *, today: date) -> int | None:
    """The daily step goal set by the latest recent check-in (None without one)."""
    outcome = retailor(list_checkins(settings), today=today, kb=knowledge_base())
    return None if outcome is None else outcome.goal_steps


def list_checkins(settings: Settings) -> list[CheckIn]:
    """The stored weekly check-ins, oldest first."""
    from backstride.services.store import local_runner, store_session
    from backstride.storage import checkins as repo

    with store_session(settings) as session:
        return repo.list_checkins(session, runner_id=local_runner(session).id)


def read_findings(path_text: str) -> list[Finding]:
    """Findings from a JSON file: a list, or an object with a `findings` list."""
    path = Path(path_text)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--findings: file not found: {path_text}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"--findings: cannot read {path_text} as JSON: {exc}") from None
    items = data.get("findings") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError("--findings: expected a list of findings or an object with 'findings'")
    out: list[Finding] = []
    for index, raw in enumerate(items):
        try:
            out.append(FindingIn.model_validate(raw).finding())
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"]) or "(finding)"
            raise InputError(f"--findings: finding {index + 1}: {where}: {first['msg']}") from None
    return out


def _from_store(settings: Settings, *, today: date) -> tuple[list[Finding], list[DiaryEntry]]:
    """Analytics findings and diary entries from the store (imported here: optional path)."""
    from backstride.services.analysis import analyze
    from backstride.services.tracking import list_entries

    report = analyze(settings, as_of=today)
    entries = [s.entry for s in list_entries(settings)]
    return list(report.findings), entries


def record(outcome: PlanOutcome, settings: Settings, *, now: datetime) -> int:
    """Keep a snapshot of the plan in the store (the clinician report shows its phase).

    The same plan given again (another view of it, another worker building it) adds no row:
    the latest snapshot stays the plan as the runner was given it.
    """
    from backstride.services.store import local_runner, store_session
    from backstride.services.tracking import record_plan
    from backstride.storage.tracking import latest_plan_snapshot

    current = outcome.plan.current_phase(outcome.today)
    given = outcome.plan.to_dict()
    with store_session(settings) as session:
        latest = latest_plan_snapshot(session, runner_id=local_runner(session).id)
        if latest is not None and latest.plan == given:
            return latest.id
        return record_plan(
            session,
            given,
            phase=current.phase if current else None,
            kb_version=outcome.plan.kb_version,
            now=now,
        )


def render(
    outcome: PlanOutcome,
    fmt: PlanFormat,
    *,
    reminders: bool = True,
    all_sources: bool = False,
    app_nav: str = "",
) -> str | bytes:
    """The plan in a file format (text is rendered by the CLI with Rich); `app_nav` is the web
    app's navigation for the HTML plan served as a page."""
    plan, kb, today = outcome.plan, outcome.kb, outcome.today
    if fmt == "json":
        return plan.to_json()
    if fmt == "md":
        from backstride.report.markdown import plan_markdown

        return plan_markdown(plan, kb, today=today, all_sources=all_sources)
    if fmt == "html":
        from backstride.report.html import plan_html

        return plan_html(plan, kb, today=today, all_sources=all_sources, app_nav=app_nav)
    if fmt == "pdf":
        from backstride.report.pdf import plan_pdf

        return plan_pdf(plan, kb, today=today, all_sources=all_sources)
    if fmt == "ics":
        from backstride.report.ics import plan_ics

        return plan_ics(plan, kb, reminder=reminders)
    raise InputError(f"--format: expected text, json, md, html, pdf or ics, got {fmt}")

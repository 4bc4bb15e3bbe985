"""Training analysis use cases: read the stored history, run the pure analytics, chart, shoes.

The store gives activity summaries and samples; `analytics` turns them into metrics and
findings; `report.charts` draws them. A run's day is the local calendar day of its start
(this machine's time zone), the same day the diary links it to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backstride.analytics.analysis import TrainingAnalysis, analyze_training, form_window_start
from backstride.analytics.equipment import Shoe
from backstride.analytics.findings import findings_from
from backstride.analytics.form import RunForm, run_form
from backstride.analytics.history import TrainingActivity
from backstride.analytics.rules import FindingRules
from backstride.config import Settings
from backstride.domain.finding import Finding
from backstride.errors import InputError, NotFoundError, StorageError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.analytics_params import REPORT_SPANS_ID, FormSampling, ReportSpans
from backstride.services.direct_store import acting_runner_id, direct_store
from backstride.services.texts import service_text
from backstride.services.versions import Slot, slot_at
from backstride.storage import direct

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class RunLabel:
    """How a run is shown to the runner: stored id, day, name and distance."""

    activity_id: int
    day: date
    name: str | None
    distance_km: float


@dataclass(frozen=True, slots=True)
class AnalysisReport:
    """Everything `analyze` shows: the analysis, its findings and how to label runs."""

    analysis: TrainingAnalysis
    findings: list[Finding]
    labels: dict[str, RunLabel]
    activities: int  # stored activities of any sport up to as_of
    first_day: date | None  # first stored activity
    last_day: date | None  # latest stored activity

    @property
    def empty(self) -> bool:
        """True when no running activity has been imported yet."""
        return len(self.analysis.runs.keys) == 0


def _day(row: direct.ActivitySummary) -> date:
    """The local calendar day an activity started on."""
    return row.start_time.astimezone().date()


def _label(row: direct.ActivitySummary) -> RunLabel:
    return RunLabel(row.id, _day(row), row.name, (row.distance_m or 0.0) / 1000.0)


def _training_activity(row: direct.ActivitySummary, key: str) -> TrainingActivity:
    return TrainingActivity(
        key=key,
        start_time=row.start_time.astimezone(),  # local: .date() is the runner's day
        distance_m=float(row.distance_m or 0.0),
        duration_s=float(row.duration_s or 0.0),
        sport=row.sport,
        sub_sport=row.sub_sport,
        surface_tag=row.surface,
        shoe=row.shoe_name,
        avg_hr_bpm=row.avg_hr_bpm,
    )


def _forms(
    settings: Settings,
    rows: Sequence[direct.ActivitySummary],
    keys: dict[int, str],
    sampling: FormSampling,
) -> list[RunForm]:
    """Per-run form for running activities that carry cadence (samples read from disk)."""
    from backstride.storage.samples import read_samples

    forms = []
    for row in rows:
        if row.sport != "running" or row.avg_cadence_spm is None or row.samples_path is None:
            continue
        try:
            samples = read_samples(settings.samples_dir, row.samples_path)
        except (NotFoundError, StorageError):
            continue  # a missing samples file only costs this run its form
        form = run_form(samples, key=keys[row.id], day=_day(row), sampling=sampling)
        if form is not None:
            forms.append(form)
    return forms


def rotation_weeks() -> int:
    """The weeks back a pair of shoes counts as in rotation (`finding.shoe_inspection_due`)."""
    weeks: int = FindingRules.from_kb(load_knowledge_base()).params.rotation_weeks
    return weeks


def report_spans() -> ReportSpans:
    """The default periods of the analysis, the charts and the reports (`report.spans`)."""
    return load_knowledge_base().one(ReportSpans, REPORT_SPANS_ID)


def _window(since: date | None, as_of: date | None, today: date) -> tuple[date, date]:
    end = as_of or today
    start = since or end - timedelta(days=report_spans().analysis_days - 1)
    if start > end:
        raise InputError(service_text("analysis", "window_refused", start=start, end=end))
    return start, end


@dataclass(frozen=True, slots=True)
class _Stored:
    """What the analysis reads from the store, in one transaction."""

    rows: list[direct.ActivitySummary]
    keys: dict[int, str]
    forms: list[RunForm]
    shoes: list[Shoe]


def _read_store(
    settings: Settings, *, runner_id: int, end: date, form_start: date, sampling: FormSampling
) -> _Stored:
    with direct_store(settings) as store:
        summaries = direct.list_activity_summaries(store, runner_id=runner_id)
        keys = direct.activity_keys(store, runner_id=runner_id)
        shoes = [
            Shoe(s.name, start_km=s.start_km, retired=s.retired, added_on=s.added_on)
            for s in direct.list_shoes(store, runner_id=runner_id)
        ]
    rows = [r for r in summaries if _day(r) <= end]
    forms = _forms(settings, [r for r in rows if _day(r) >= form_start], keys, sampling)
    return _Stored(rows, keys, forms, shoes)


def analyze(
    settings: Settings,
    *,
    since: date | None = None,
    as_of: date,
    all_forms: bool = False,
) -> AnalysisReport:
    """Analyse the stored history from `since` to `as_of` (default: the last 28 days).

    Per-run form is read from samples only for the 16 weeks the form findings compare,
    or from `since` on as well when `all_forms` (charts) asks for it. The report is kept
    until the runner's data changes.
    """
    key = ("analysis", since, as_of, all_forms, settings.shoe_inspection_km)
    with direct_store(settings) as store:
        runner_id = acting_runner_id(store, settings)
    url = settings.resolved_database_url
    kept: Slot[AnalysisReport] = slot_at(settings.home, url, runner_id, key)
    if kept.hit:
        return kept.value
    report = _analyze(settings, runner_id=runner_id, since=since, as_of=as_of, all_forms=all_forms)
    return kept.keep(report)


def _analyze(
    settings: Settings, *, runner_id: int, since: date | None, as_of: date, all_forms: bool
) -> AnalysisReport:
    start, end = _window(since, as_of, as_of)
    rules = FindingRules.from_kb(load_knowledge_base())
    form_start = form_window_start(end, rules.params)
    stored = _read_store(
        settings,
        runner_id=runner_id,
        end=end,
        form_start=min(start, form_start) if all_forms else form_start,
        sampling=rules.params.form,
    )
    rows, keys = stored.rows, stored.keys
    analysis = analyze_training(
        [_training_activity(r, keys[r.id]) for r in rows],
        today=end,
        since=start,
        forms=stored.forms,
        shoes=stored.shoes,
        shoe_inspection_km=settings.shoe_inspection_km,
        params=rules.params,
    )
    days = [_day(r) for r in rows]
    return AnalysisReport(
        analysis=analysis,
        findings=findings_from(analysis, rules),
        labels={keys[r.id]: _label(r) for r in rows},
        activities=len(rows),
        first_day=min(days, default=None),
        last_day=max(days, default=None),
    )


def _finite(value: float) -> float | None:
    return None if value != value else round(float(value), 4)  # NaN -> null


def _finding_json(finding: Finding, labels: dict[str, RunLabel]) -> dict[str, Any]:
    return {
        "id": finding.id,
        "severity": finding.severity,
        "on": finding.on.isoformat() if finding.on else None,
        "title": finding.title,
        "evidence": finding.evidence,
        "runs": [
            {"key": key, "activity_id": labels[key].activity_id if key in labels else None}
            for key in finding.runs
        ],
        "metrics": dict(sorted(finding.metrics.items())),
        "sources": list(finding.sources),
        "rule": finding.rule,
    }


def current_metrics(analysis: TrainingAnalysis) -> dict[str, Any]:
    """The latest value of each load metric, with the method it was computed by."""
    last = len(analysis.series) - 1
    week = analysis.series.distance_km[max(0, last - 6) :]
    fit = analysis.fitness
    return {
        "load_unit": service_text("analysis", "load_unit"),
        "last_7_days_km": round(float(week.sum()), 3),
        "acwr": {name: _finite(series[last]) for name, series in analysis.acwr.items()},
        "acwr_method": analysis.acwr_method,
        "acwr_note": service_text("analysis", "acwr_note"),
        "monotony_7_days": _finite(analysis.monotony[last]),
        "monotony_high": FindingRules.from_kb(load_knowledge_base()).value(
            "high_monotony", "monotony_high"
        ),
        "fitness": _finite(fit.fitness[last]),
        "fatigue": _finite(fit.fatigue[last]),
        "fitness_fatigue_convention": service_text(
            "analysis",
            "fitness_fatigue",
            convention=fit.convention,
            fitness_days=fit.fitness_days,
            fatigue_days=fit.fatigue_days,
        ),
        "shoes_in_rotation_8_weeks": analysis.shoes_in_rotation,
    }


def report_json(report: AnalysisReport) -> dict[str, Any]:
    """The stable JSON document `backstride analyze --format json` prints."""
    a = report.analysis
    weeks = [
        w for w in a.weeks if w.week_start + timedelta(days=6) >= a.since and w.distance_km > 0
    ]
    return {
        "schema": "backstride.analysis/1",
        "since": a.since.isoformat(),
        "as_of": a.today.isoformat(),
        "activities": report.activities,
        "runs": len(a.runs.keys),
        "history": {
            "first_day": report.first_day.isoformat() if report.first_day else None,
            "last_day": report.last_day.isoformat() if report.last_day else None,
        },
        "metrics": current_metrics(a),
        "weeks": [
            {
                "week_start": w.week_start.isoformat(),
                "distance_km": round(w.distance_km, 3),
                "longest_run_km": round(w.longest_run_km, 3),
                "long_run_share": None if w.long_run_share is None else round(w.long_run_share, 4),
                "change_pct": w.change_pct,
            }
            for w in weeks
        ],
        "shoes": [
            {
                "name": s.name,
                "distance_km": round(s.distance_km, 1),
                "runs": s.runs,
                "retired": s.retired,
                "inspection_due": s.inspection_due,
            }
            for s in a.shoes
        ],
        "findings": [_finding_json(f, report.labels) for f in report.findings],
        "note": service_text("analysis", "note"),
    }


def draw_chart(
    settings: Settings,
    kind: str,
    out: Path,
    *,
    since: date | None = None,
    as_of: date,
) -> Path:
    """Draw one chart (load, cadence, form, shoes) of the stored history to `out`."""
    from backstride.report import charts

    if kind not in charts.CHARTS:
        raise InputError(
            service_text("analysis", "chart_refused", kinds=", ".join(charts.CHARTS), kind=kind)
        )
    if out.suffix.lower() not in {".png", ".svg"}:
        raise InputError(service_text("analysis", "chart_out_refused", file=out.name))
    end = as_of
    chart_days = report_spans().chart_days
    start = since or end - timedelta(days=chart_days - 1)
    report = analyze(settings, since=start, as_of=end, all_forms=True)
    if report.empty:
        raise InputError(service_text("analysis", "no_runs"))
    if kind == "load":
        _require_runs_in_window(report.analysis)
    charts.CHARTS[kind](report.analysis, report.findings, out)
    return out


def _require_runs_in_window(analysis: TrainingAnalysis) -> None:
    """Refuse a load chart of a period without runs: it would be an empty, meaningless plot."""
    first = analysis.series.first_day
    days = sorted(first + timedelta(days=int(i)) for i in analysis.runs.day_index)
    if any(analysis.since <= day <= analysis.today for day in days):
        return
    raise InputError(
        service_text("analysis", "no_runs_in_window", since=analysis.since,
                     today=analysis.today, first=days[0], last=days[-1])
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ShoeLine:
    """One shoe as `backstride shoes list` shows it."""

    id: int
    name: str
    brand: str | None
    model: str | None
    start_km: float
    distance_km: float
    runs: int
    retired: bool
    added_on: date
    inspection_due: bool


@dataclass(frozen=True, slots=True)
class ShoeList:
    """The runner's shoes, the inspection distance and how many pairs are in rotation."""

    shoes: list[ShoeLine]
    inspection_km: float
    in_rotation_8_weeks: int


def _shoe_id(session: Session, runner_id: int, name: str) -> int:
    from backstride.storage import activities as repo

    found = repo.find_shoe(session, runner_id=runner_id, name=name)
    if found is None:
        raise NotFoundError(service_text("analysis", "no_such_shoe", shoe=name))
    return found


def add_shoe(
    settings: Settings,
    *,
    name: str,
    brand: str | None = None,
    model: str | None = None,
    start_km: float = 0.0,
    today: date,
    added_on: date | None = None,
) -> int:
    """Register a new pair of shoes (names are unique, case-insensitively); its id.

    `added_on` is the day the pair was first worn (default `today`).
    """
    from backstride.services.store import local_runner, store_session
    from backstride.storage import activities as repo

    with store_session(settings) as session:
        runner = local_runner(session)
        return repo.add_shoe(
            session,
            runner_id=runner.id,
            name=name,
            added_on=added_on or today,
            brand=brand,
            model=model,
            start_km=start_km,
        )


def list_shoes(settings: Settings, *, today: date) -> ShoeList:
    """Every shoe with its distance, the soft inspection flag and the rotation count."""
    from backstride.services.store import local_runner, store_session
    from backstride.storage import activities as repo

    weeks = rotation_weeks()
    with store_session(settings) as session:
        runner = local_runner(session)
        stored = repo.list_shoes(session, runner_id=runner.id)
        recent = repo.list_activity_summaries(
            session, runner_id=runner.id, since=today - timedelta(weeks=weeks), sport="running"
        )
    lines = [
        ShoeLine(
            id=s.id,
            name=s.name,
            brand=s.brand,
            model=s.model,
            start_km=s.start_km,
            distance_km=s.distance_km,
            runs=s.activities,
            retired=s.retired,
            added_on=s.added_on,
            inspection_due=not s.retired and s.distance_km >= settings.shoe_inspection_km,
        )
        for s in stored
    ]
    rotation = len({r.shoe_name for r in recent if r.shoe_name is not None})
    return ShoeList(lines, settings.shoe_inspection_km, rotation)


def assign_shoe(
    settings: Settings,
    *,
    name: str,
    activity_ids: Sequence[int] = (),
    since: date | None = None,
    until: date | None = None,
) -> int:
    """Record the shoe for the given activities and/or every run from `since` to `until`."""
    from backstride.services.store import local_runner, store_session
    from backstride.storage import activities as repo

    if not activity_ids and since is None and until is None:
        raise InputError(service_text("analysis", "assign_needs_runs"))
    with store_session(settings) as session:
        runner = local_runner(session)
        shoe_id = _shoe_id(session, runner.id, name)
        chosen = list(activity_ids)
        if since is not None or until is not None:
            runs = repo.list_activity_summaries(
                session, runner_id=runner.id, since=since, sport="running"
            )
            chosen += [r.id for r in runs if until is None or _day(r) <= until]
        for activity_id in dict.fromkeys(chosen):
            row = session.get(repo.ActivityRow, activity_id)
            if row is None or row.runner_id != runner.id:  # another runner's run is not found
                raise NotFoundError(service_text("analysis", "no_such_activity", id=activity_id))
            repo.assign_shoe(session, activity_id=activity_id, shoe_id=shoe_id)
    return len(dict.fromkeys(chosen))


def retire_shoe(settings: Settings, *, name: str, retired: bool = True) -> None:
    """Mark a shoe retired (or, with retired=False, back in use)."""
    from backstride.services.store import local_runner, store_session
    from backstride.storage import activities as repo

    with store_session(settings) as session:
        runner = local_runner(session)
        repo.retire_shoe(session, shoe_id=_shoe_id(session, runner.id, name), retired=retired)


def edit_shoe(
    settings: Settings,
    *,
    shoe_id: int,
    name: str,
    brand: str | None,
    model: str | None,
    start_km: float,
    retired: bool,
) -> None:
    """Change one of the runner's shoes (another runner's id is not found)."""
    from backstride.services.store import local_runner, store_session
    from backstride.storage import activities as repo

    with store_session(settings) as session:
        runner = local_runner(session)
        if shoe_id not in {s.id for s in repo.list_shoes(session, runner_id=runner.id)}:
            raise NotFoundError(service_text("analysis", "no_such_shoe_id", id=shoe_id))
        repo.update_shoe(
            session, shoe_id=shoe_id, name=name, brand=brand or "", model=model or "",
            start_km=start_km,
        )  # fmt: skip
        repo.retire_shoe(session, shoe_id=shoe_id, retired=retired)

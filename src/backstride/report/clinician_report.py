"""The report a runner hands to a clinician: HTML (Jinja) and PDF (WeasyPrint)."""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from backstride.analytics.spikes import week_totals
from backstride.knowledge.analytics_params import REPORT_SPANS_ID, ReportSpans
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import Questionnaire
from backstride.knowledge.texts import intended_purpose, screen_text
from backstride.progress.association import Association, RunLoad
from backstride.progress.change import ProgressSummary, RmdqPoint, change_rule
from backstride.progress.escalation import Escalation
from backstride.progress.history import AssessmentRecord
from backstride.progress.monitoring import RunCheck
from backstride.report.pain_chart import pain_chart_png

TEMPLATES = Path(__file__).with_name("templates")
#: Sources every report leans on (meaningful change, recovery, the run rule).
BASE_SOURCES = ("ostelo-2008", "kamper-2010", "silbernagel-2007", "nice-ng59")


@dataclass(frozen=True, slots=True)
class WeekLoad:
    """One training week (Monday start): distance, runs and the longest run."""

    start: date
    distance_km: float
    runs: int
    longest_km: float


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the clinician report shows, gathered by the tracking service."""

    generated_on: date
    assessments: Sequence[AssessmentRecord]
    summary: ProgressSummary
    escalations: Sequence[Escalation]
    run_checks: Sequence[RunCheck]
    associations: Sequence[Association]
    rmdq: Sequence[RmdqPoint]
    runs: Sequence[RunLoad]
    new_red_flags: Sequence[str]
    plan_phase: str | None
    plan_created: datetime | None


def weekly_training(runs: Sequence[RunLoad], *, end: date, weeks: int) -> list[WeekLoad]:
    """Distance, run count and longest run for each of the last `weeks` weeks up to `end`
    (the analysis's own weekly aggregation)."""
    totals = week_totals(
        [(r.start.date(), r.distance_m / 1000.0) for r in runs], end=end, weeks=weeks
    )
    return [
        WeekLoad(t.week_start, round(t.distance_km, 1), t.runs, round(t.longest_run_km, 1))
        for t in totals
    ]


def report_context(data: ReportData, kb: KnowledgeBase) -> dict[str, Any]:
    """The template's variables (plain values, easy to test). The spans (8 training weeks,
    a 12-week pain chart, the last 10 run checks) are the `report.spans` record's."""
    spans = kb.one(ReportSpans, REPORT_SPANS_ID)
    start = data.generated_on - timedelta(days=spans.clinician_chart_days - 1)
    distance: dict[date, float] = defaultdict(float)
    for run in data.runs:
        if start <= run.start.date() <= data.generated_on:
            distance[run.start.date()] += run.distance_m / 1000.0
    chart = pain_chart_png(
        [d for d in data.summary.daily if start <= d.on <= data.generated_on],
        [(d, m) for d, m in data.summary.rolling if start <= d <= data.generated_on],
        dict(distance),
        kb=kb,
    )
    from backstride.assess.triage import safety_net_lists
    from backstride.report.plan_view import safety_net_view

    leading = data.escalations[0].urgency if data.escalations else None
    return {
        "data": data,
        "safety_net": None if leading == "emergency" else safety_net_view(safety_net_lists(kb), kb),
        "purpose": intended_purpose(kb),
        "assessments": [_assessment_row(a) for a in data.assessments],
        "training": weekly_training(
            data.runs, end=data.generated_on, weeks=spans.clinician_training_weeks
        ),
        "chart_png": base64.b64encode(chart).decode("ascii"),
        "sources": _sources(data, kb),
        "kb_version": kb.version,
        "recent_checks": list(data.run_checks)[-spans.clinician_recent_checks :],
        **_notes(kb, chart_days=spans.clinician_chart_days),
    }


def _notes(kb: KnowledgeBase, *, chart_days: int) -> dict[str, Any]:
    """The report's two notes, filled from the limits its figures were computed with: the
    meaningful-change rule, the RMDQ's thresholds and the chart's span and mean."""
    rule = change_rule(kb)
    rmdq = kb.one(Questionnaire, "rmdq").thresholds
    change = screen_text(kb, "clinician_report", "change_note", pain_points=rule.pain_points,
                         percent=rule.fraction * 100, rmdq_points=rmdq["meaningful_change_points"],
                         rmdq_max=rmdq["recovered_max"])  # fmt: skip
    chart = screen_text(kb, "clinician_report", "chart_note", weeks=chart_days // 7,
                        window_days=rule.window_days)  # fmt: skip

    def say(name: str, /, **values: object) -> str:
        return screen_text(kb, "clinician_report", name, **values)

    return {"change_note": change, "chart_note": chart, "say": say,
            "window_days": rule.window_days}  # fmt: skip


def render_html(data: ReportData, kb: KnowledgeBase) -> str:
    """The report as a self-contained HTML page (the chart is embedded)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    return env.get_template("report.html.j2").render(**report_context(data, kb))


def render_pdf(data: ReportData, kb: KnowledgeBase) -> bytes:
    """The report as PDF (WeasyPrint renders the HTML)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(data, kb)).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def _assessment_row(record: AssessmentRecord) -> dict[str, Any]:
    result = record.result
    start_back = result.get("start_back") or None
    rmdq = result.get("rmdq") or None
    return {
        "date": record.created_at.date().isoformat(),
        "urgency": record.urgency,
        "red_flags": ", ".join(result.get("red_flags") or []) or "none",
        "weak_flags": ", ".join(result.get("weak_flags") or []),
        "referral": ", ".join(result.get("referral_reasons") or []) or "none",
        "patterns": ", ".join(result.get("patterns") or []) or "-",
        "duration": result.get("duration") or "-",
        "start_back": "-"
        if not start_back
        else f"{start_back['total']}/9, psychosocial {start_back['psychosocial']}/5, "
        f"{start_back['risk']} risk",
        "rmdq": "-" if not rmdq else f"{rmdq['score']}/24",
        "pain": (record.case.get("pain") or {}).get("intensity"),
        "kb_version": record.kb_version,
    }


def _sources(data: ReportData, kb: KnowledgeBase) -> list[dict[str, Any]]:
    from backstride.report.plan_view import source_line

    ids: list[str] = list(BASE_SOURCES)
    for record in data.assessments:
        for reason in record.result.get("reasons") or []:
            ids.extend(reason.get("sources") or [])
    for escalation in data.escalations:
        ids.extend(escalation.sources)
    ids += ["girft-cauda-equina", "nice-cks-sciatica", "nhs-cauda-equina"]
    for check in data.run_checks[-1:]:
        ids.extend(check.sources)
    out = []
    for source_id in dict.fromkeys(ids):
        source = kb.sources.get(source_id)
        if source is not None:
            out.append(
                {
                    "id": source.id,
                    "text": source_line(source, kb),
                    "link": source.url or (f"https://doi.org/{source.doi}" if source.doi else None),
                }
            )
    return out

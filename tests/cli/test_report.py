"""`backstride report`: the clinician report as HTML and PDF."""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest

from backstride.analytics.rules import FindingRules
from backstride.domain.diary import DiaryEntry
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.care import AssociationWords
from backstride.progress.association import WORDS_ID, RunLoad, pain_load_associations
from backstride.progress.escalation import escalations
from backstride.progress.monitoring import check_runs, monitoring_rule
from backstride.report.clinician_report import ReportData, render_html, weekly_training
from tests.conftest import run_backstride
from tests.progress.limits import CHANGE, summarise

CASE = """\
age: 29
pain: {intensity: 5, started_days_ago: 3, onset: during_run}
start_back: [false, false, false, false, false, false, false, false, slightly]
rmdq: [4, 11]
"""
START = date(2026, 3, 2)


@pytest.mark.covers("cauda_equina")
def test_the_html_report_shows_the_escalation_before_the_history(
    database_url: str, tmp_path: Path
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    assert run_backstride("diary", "assessment", "--input", str(case)).code == 0
    today = datetime.now(UTC).astimezone().date()
    added = run_backstride(
        "diary", "add", "--date", today.isoformat(), "--pain", "6", "--red-flag", "saddle_numbness"
    )
    assert added.code == 0, added.stderr
    out = tmp_path / "r.html"
    result = run_backstride("report", "--format", "html", "--out", str(out))
    assert result.code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.index("Get emergency care now (emergency, new_red_flag)") < html.index(
        "Assessment history"
    )
    assert "saddle_numbness" in html  # ids belong in the clinician report
    assert "Numbness around the back passage" in html
    assert 'id="safety-net"' not in html  # an emergency leads; nothing competes
    assert re.search(r"<td>\d{4}-\d\d-\d\d</td><td>self_care</td>", html)
    assert "0/9, psychosocial 0/5, low risk" in html
    assert "No plan has been stored." in html
    png = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert png is not None
    assert base64.b64decode(png.group(1)).startswith(b"\x89PNG")
    assert "[ostelo-2008]" in html


def test_the_pdf_report_is_a_readable_pdf(database_url: str, tmp_path: Path) -> None:
    assert run_backstride("diary", "add", "--date", "2026-03-02", "--pain", "4").code == 0
    out = tmp_path / "r.pdf"
    result = run_backstride("report", "--format", "pdf", "--out", str(out), "--today", "2026-03-03")
    assert result.code == 0, result.stderr
    reader = pypdf.PdfReader(out)
    text = reader.pages[0].extract_text()
    assert "report for a clinician" in text
    assert "not diagnose" in text


def test_an_unknown_report_format_is_an_input_error(home: Path) -> None:
    result = run_backstride("report", "--format", "docx")
    assert result.code == 2
    assert "--format must be pdf or html" in result.stderr


def test_pain_and_load_hypotheses_and_the_training_weeks_are_rendered() -> None:
    kms = [0, 6, 0, 12, 0, 8, 3, 0, 15, 0, 6, 0, 10, 2]
    runs = [
        RunLoad(
            f"r{d}",
            datetime.combine(START + timedelta(days=d), datetime.min.time(), UTC),
            km * 1000,
            km * 360,
        )
        for d, km in enumerate(kms)
        if km
    ]
    entries = [
        DiaryEntry(
            at=datetime.combine(START + timedelta(days=d + 1), datetime.min.time()),
            pain_now=1 + km // 3,
        )
        for d, km in enumerate(kms)
    ]
    today = START + timedelta(days=len(kms))
    summary = summarise(entries, [], today=today)
    data = ReportData(
        generated_on=today,
        assessments=(),
        summary=summary,
        escalations=escalations(
            summary,
            retriage_urgency=None,
            new_red_flags=(),
            self_care_days=None,
            pain_days=None,
            rule=CHANGE,
            kb=load_knowledge_base(),
        ),
        run_checks=check_runs(entries, monitoring_rule(load_knowledge_base())),
        associations=pain_load_associations(
            {d.on: d.mean_pain for d in summary.daily},
            runs,
            words=load_knowledge_base().one(AssociationWords, WORDS_ID),
            lookback_days=FindingRules.from_kb(load_knowledge_base()).spike.lookback_days,
        ),
        rmdq=(),
        runs=runs,
        new_red_flags=(),
        plan_phase="settle",
        plan_created=datetime(2026, 3, 1, tzinfo=UTC),
    )
    html = render_html(data, load_knowledge_base())
    assert "Pain and load: hypotheses" in html
    assert "not proof of a cause" in html
    assert "Current plan phase: <strong>settle</strong>" in html
    weeks = weekly_training(runs, end=today, weeks=8)
    assert sum(w.runs for w in weeks) == len(runs)
    assert sum(w.distance_km for w in weeks) == pytest.approx(sum(kms))


def test_the_pain_chart_draws_even_without_any_data() -> None:
    from backstride.report.pain_chart import pain_chart_png

    assert pain_chart_png([], [], {}, kb=load_knowledge_base()).startswith(b"\x89PNG")

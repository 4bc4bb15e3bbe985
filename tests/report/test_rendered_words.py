"""Every plain-word label is shown where its value is: the interview's choices, the diary's
places, the plan's cautions, the reference list's kinds of evidence and the progress
screen's trend and run advice, each rendered by the real shell code while the label (and
screen sentence) lookups are watched."""

from __future__ import annotations

import html
import json
import warnings
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import get_args

import click
import pytest
from click.testing import CliRunner
from icalendar import Calendar

from backstride.assess.casefile import case_from_data
from backstride.assess.flow import VOCABULARY
from backstride.assess.interview import Question, questions
from backstride.assess.triage import assess
from backstride.knowledge.content import TreatmentStatus
from backstride.knowledge.labels import PlainLabel, Vocabulary
from backstride.knowledge.served import records_served
from backstride.plan.model import PlanStatus
from backstride.progress.monitoring import check_run, monitoring_rule
from backstride.progress.questions import DIARY_LOCATIONS
from backstride.progress.status import ProgressStatus
from backstride.report.html import plan_html
from backstride.report.ics import plan_ics
from backstride.report.markdown import plan_markdown
from backstride.report.plain import duration_words, pattern_names
from backstride.report.plan_view import plan_view, safety_net_view, source_line
from tests.activity_files import GPX_T0, gpx_bytes, straight_run
from tests.assess.conftest import load_vignettes
from tests.plan.report_plans import KB, plan_for
from tests.progress.limits import CHANGE, RMDQ_RECOVERED_MAX, summarise
from tests.progress.test_change import START, diary
from tests.provenance import assert_labelled, assert_produced, assert_said

with warnings.catch_warnings():  # typer imports a click name click deprecates
    warnings.simplefilter("ignore", DeprecationWarning)
    from backstride.cli.analyze import command as analyze_command
    from backstride.cli.assess import _ask, _render
    from backstride.cli.diary import command as diary_command
    from backstride.cli.imports import command as import_command
    from backstride.cli.progress import render_summary

QUESTIONS: dict[str, Question] = {q.key: q for q in questions(KB)}


def _label(vocabulary: Vocabulary, value: str) -> PlainLabel:
    (found,) = (r for r in KB.of(PlainLabel) if (r.vocabulary, r.value) == (vocabulary, value))
    return found


def _values(vocabulary: Vocabulary) -> list[str]:
    return [r.value for r in KB.of(PlainLabel) if r.vocabulary == vocabulary]


def _shown(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("key", sorted(VOCABULARY))
def test_each_interview_choice_is_shown_in_its_labels_words(key: str) -> None:
    """The terminal lists a question's choices numbered, each in its label's words."""
    question = QUESTIONS[key]

    @click.command()
    def ask() -> None:
        _ask(question, KB)

    with records_served() as served:
        result = CliRunner().invoke(ask, input="1\n")
    assert result.exit_code == 0, result.output
    labels = [_label(VOCABULARY[key], value) for value in question.choices]
    assert_labelled(result.output, served, *(label.id for label in labels))
    for number, label in enumerate(labels, start=1):  # at the choice's own number
        assert f"{number}. {_shown(label.words)}" in _shown(result.output)
    hint = {"choice": "hint_one_optional" if question.optional else "hint_one"}
    assert_said(result.output, served, "interview", hint.get(question.kind, "hint_many"))


def test_the_diary_asks_where_it_hurts_in_each_locations_words(database_url: str) -> None:
    """`diary add` without flags lists the places (the spine itself first), then stores
    the one picked by its number."""
    answers = "2026-03-04\n5\n\n\n\nx\n1\nn\n\n\n"  # "x" is refused, then 1 is taken
    with records_served() as served:
        result = CliRunner().invoke(diary_command, ["add"], input=answers)
    assert result.exit_code == 0, result.output
    labels = [_label("location", value) for value in DIARY_LOCATIONS]
    assert_labelled(result.output, served, *(label.id for label in labels))
    for number, label in enumerate(labels, start=1):
        assert f"{number}. {_shown(label.words)}" in _shown(result.output)
    assert_said(result.output, served, "diary", "where_title")
    assert_said(result.output, served, "prompts", "picks_refused", parts="x", count=len(labels))
    listed = CliRunner().invoke(diary_command, ["list", "--format", "json"])
    (entry,) = json.loads(listed.stdout)
    assert entry["locations"] == [DIARY_LOCATIONS[0]]


@pytest.mark.parametrize("tag", _values("caution"))
def test_each_caution_that_left_exercises_out_is_named_in_its_labels_words(tag: str) -> None:
    plan = replace(plan_for("self_care_runner"), cautions=(tag,))
    with records_served() as served:
        text = plan_markdown(plan, KB)
    label = _label("caution", tag)
    assert_labelled(text, served, label.id)
    assert f"Exercises left out because of: {_shown(label.words)}" in _shown(text)


@pytest.mark.parametrize("kind", _values("evidence"))
def test_each_reference_says_its_kind_of_evidence_in_the_labels_words(kind: str) -> None:
    source = next(s for s in sorted(KB.sources.values(), key=lambda s: s.id) if s.evidence == kind)
    with records_served() as served:
        line = source_line(source, KB)
    label = _label("evidence", kind)
    assert_labelled(line, served, label.id)
    assert line.startswith(f"{source.authors} ({source.year}). {source.title}. {source.venue}.")
    assert f"{source.venue}. {label.words}." in line


RULE = monitoring_rule(KB)
#: A diary per trend, and a run per advice (pain before, during, next morning, week rising).
TRENDS = {"improving": [6] * 7 + [4] * 7 + [2] * 7, "same": [5] * 21, "worse": [3] * 7 + [6] * 7}
RUNS = {"advance": (3.0, 3, 3, False), "hold": (3.0, 4, 4, False), "step_back": (3.0, 6, 3, False)}


@pytest.mark.parametrize(("trend", "advice"), list(zip(TRENDS, RUNS, strict=True)))
def test_the_progress_screen_says_the_trend_and_the_run_advice_in_the_labels_words(
    trend: str, advice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    today = START + timedelta(days=len(TRENDS[trend]) - 1)
    summary = summarise(diary(TRENDS[trend]), [], today=today, assessed_pain=TRENDS[trend][0])
    before, during, morning, rising = RUNS[advice]
    check = check_run(
        RULE,
        on=today - timedelta(days=1),
        pain_before=before,
        pain_during=during,
        pain_next_morning=morning,
        week_rising=rising,
    )
    assert (summary.trend, check.advice) == (trend, advice)
    status = ProgressStatus(
        today=today,
        summary=summary,
        escalations=(),
        run_checks=(check,),
        associations=(),
        rmdq=(),
        assessments=(),
        new_red_flags=(),
        change_rule=CHANGE,
        recovered_rmdq_max=RMDQ_RECOVERED_MAX,
    )
    with records_served() as served:
        render_summary(status)
    text = capsys.readouterr().out
    trend_label, advice_label = _label("trend", trend), _label("run_advice", advice)
    assert_labelled(text, served, trend_label.id, advice_label.id)
    assert_said(text, served, "progress", "trend", trend=trend_label.words)
    assert "_" not in text  # no code is shown in place of its words


def test_the_assessment_screen_says_the_likely_pattern_and_how_long_in_its_sentences(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (vignette,) = (v for v in load_vignettes() if v["id"] == "simple_mechanical_after_long_run")
    result = assess(case_from_data(vignette["case"]), KB)
    assert result.patterns
    assert result.duration is not None
    with records_served() as served:
        _render(result)
    text = capsys.readouterr().out
    patterns = ", then ".join(pattern_names(KB, result.patterns))
    assert_said(text, served, "assess", "likely", patterns=patterns)
    assert_said(text, served, "assess", "how_long", duration=duration_words(KB, result.duration))
    for name in ("found", "because", "sources"):
        assert_said(text, served, "assess_result", name)
    digest = result.kb_digest[:12]
    assert_said(text, served, "assess_result", "kb", version=result.kb_version, digest=digest)


def test_the_import_summary_counts_the_files_in_its_sentence(home: Path, tmp_path: Path) -> None:
    good, bad = tmp_path / "run.gpx", tmp_path / "bad.tcx"
    good.write_bytes(gpx_bytes([straight_run(20)]))
    bad.write_bytes(b"<TrainingCenterDatabase>")
    with records_served() as served:
        result = CliRunner().invoke(import_command, [str(good), str(bad)])
    assert result.exit_code == 0, result.output
    assert_said(result.output, served, "import", "counts", imported=1, duplicates=0, failed=1)


def test_the_analysis_page_titles_its_period_and_counts_the_runs(
    home: Path, tmp_path: Path
) -> None:
    run = tmp_path / "run.gpx"
    run.write_bytes(gpx_bytes([straight_run(600)]))
    assert CliRunner().invoke(import_command, [str(run)]).exit_code == 0
    day = GPX_T0.date()
    since = day - timedelta(days=27)
    arguments = ["--as-of", day.isoformat(), "--since", since.isoformat()]
    with records_served() as served:
        result = CliRunner().invoke(analyze_command, arguments)
    assert result.exit_code == 0, result.output
    assert_said(result.output, served, "analyze", "title", since=since, today=day)
    assert_said(result.output, served, "analyze", "history", runs=1, first=day, last=day)


def test_the_plans_safety_net_is_headed_by_its_title_record() -> None:
    plan = plan_for("self_care_runner")
    view = safety_net_view(plan.safety_net, KB)
    assert view is not None
    assert_produced(view, "safety.net_title")
    text = _shown(plan_markdown(plan, KB))
    assert f"## {_shown(view.title)}" in text
    assert _shown(view.intro) in text


def test_every_treatment_and_plan_status_has_its_label() -> None:
    assert set(_values("treatment_status")) == set(get_args(TreatmentStatus))
    assert set(_values("plan_status")) == set(get_args(PlanStatus))


@pytest.mark.parametrize("status", _values("treatment_status"))
def test_each_treatment_status_is_shown_in_its_labels_words(status: str) -> None:
    plan = plan_for("self_care_runner")
    first = replace(plan.treatments[0], status=status)
    plan = replace(plan, treatments=(first, *plan.treatments[1:]))
    label = _label("treatment_status", status)
    for render in (plan_markdown, plan_html):
        with records_served() as served:
            text = render(plan, KB)
        assert_labelled(text, served, label.id)


@pytest.mark.parametrize("status", _values("plan_status"))
def test_the_clinician_page_names_the_plan_status_in_its_labels_words(status: str) -> None:
    plan = replace(plan_for("self_care_runner"), status=status)
    with records_served() as served:
        page = plan_html(plan, KB)
    assert_labelled(page, served, _label("plan_status", status).id)


def test_the_plans_markdown_and_html_read_the_same_sentences() -> None:
    """Both documents head their parts with the words of one record, so they cannot drift."""
    plan = plan_for("self_care_runner")
    dose = plan_view(plan, KB).exercises[0].dose_text
    for render in (plan_markdown, plan_html):
        with records_served() as served:
            text = html.unescape(render(plan, KB))
        for name in ("entry", "exit", "how_to", "reading", "treatments"):
            assert_said(text, served, "plan_document", name)
        assert_said(text, served, "plan_document", "first_dose", dose=dose)
        assert_said(text, served, "plan_document", "week", number=1)
        for name in ("title", "schedule", "sources", "column_session"):
            assert_said(text, served, "plan", name)


def test_a_shortened_source_list_says_how_many_more_in_its_sentence() -> None:
    plan = plan_for("self_care_runner")
    more = plan_view(plan, KB).more_sources
    assert more > 0
    for render in (plan_markdown, plan_html):
        with records_served() as served:
            text = render(plan, KB)
        assert_said(text, served, "sources", "more", count=more)


def test_the_calendar_names_its_events_and_topics_in_their_sentences() -> None:
    plan = plan_for("self_care_runner")
    day = next(d for d in plan.days if d.kind != "rest" and d.education_title)
    with records_served() as served:
        calendar = Calendar.from_ical(plan_ics(plan, KB))
    event = next(e for e in calendar.walk("VEVENT") if e.decoded("dtstart") == day.on)
    assert_said(str(calendar["x-wr-calname"]), served, "plan_calendar", "name")
    assert_said(str(event["summary"]), served, "plan_calendar", "summary", title=day.title)
    learn = str(event["description"])
    assert_said(learn, served, "plan_calendar", "learn", title=day.education_title)


def test_the_clinician_page_heads_its_summary_in_its_sentences() -> None:
    plan = plan_for("self_care_runner")
    with records_served() as served:
        page = html.unescape(plan_html(plan, KB))
    for name in ("title", "triage", "plan_status", "current_phase", "why", "sources"):
        assert_said(page, served, "plan_clinician", name)
    assert_said(page, served, "plan_clinician", "intro", start=plan.start.isoformat())

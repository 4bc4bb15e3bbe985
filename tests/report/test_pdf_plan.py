"""The PDF plan: a clinician summary page first, then the plan (text extracted with pypdf)."""

from __future__ import annotations

import io
from functools import cache

import pytest
from pypdf import PdfReader

from backstride.report.pdf import plan_pdf
from tests.plan.report_plans import KB, plan_for


@cache
def _pages(name: str) -> tuple[str, ...]:
    reader = PdfReader(io.BytesIO(plan_pdf(plan_for(name), KB)))
    return tuple(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.slow
def test_first_page_is_the_clinician_summary_with_assessment_flags_start_back_and_phase() -> None:
    pages = _pages("self_care_runner")
    first = pages[0]
    assert first.startswith("Clinician summary")
    for label in ("Triage", "Red flags", "STarT Back", "RMDQ", "Current phase", "Main sources"):
        assert label in first
    assert "None reported" in first
    assert "Settle" in first
    assert "nice-ng59" in first
    assert "Your back and running plan" not in first


@pytest.mark.slow
def test_plan_pages_follow_with_phases_schedule_exercises_and_sources() -> None:
    pages = _pages("self_care_runner")
    assert len(pages) > 3
    rest = "\n".join(pages[1:])
    assert pages[1].startswith("Your back and running plan")
    for text in ("Your phases", "Day by day", "How to do the exercises", "Sources"):
        assert text in rest
    assert "effort up to" in rest  # the runs


@pytest.mark.slow
def test_emergency_pdf_names_the_flags_for_the_clinician_and_has_no_schedule() -> None:
    pages = _pages("emergency_cauda_equina")
    text = "\n".join(pages)
    assert "cauda equina" in pages[0]
    assert "Day by day" not in text
    assert "What to tell the clinician" in text


@pytest.mark.slow
def test_pdf_renders_without_css_or_resource_warnings(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="weasyprint"):
        data = plan_pdf(plan_for("soon_sciatica"), KB)
    assert data.startswith(b"%PDF-")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_the_same_plan_is_laid_out_once_and_served_again_from_the_cache() -> None:
    import time

    from backstride.report.pdf import render_pdf

    plan = plan_for("emergency_cauda_equina")
    render_pdf.cache_clear()
    first = plan_pdf(plan, KB)
    started = time.process_time()
    again = plan_pdf(plan, KB)
    assert again == first
    assert render_pdf.cache_info().hits == 1
    assert time.process_time() - started < 0.5  # no second layout


def test_the_pdf_is_tagged_for_screen_readers_with_language_title_and_structure() -> None:
    reader = PdfReader(io.BytesIO(plan_pdf(plan_for("self_care_runner"), KB)))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    tree = catalog["/StructTreeRoot"].get_object()
    assert tree["/K"], "the structure tree has elements"
    assert str(catalog["/Lang"]) == "en"
    assert reader.metadata is not None
    assert reader.metadata.title == "Your back and running plan"
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # declares PDF/UA-1

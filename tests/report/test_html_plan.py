"""The HTML plan: self-contained, print-ready, and readable in a real headless browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from backstride.report.html import plan_html
from backstride.report.plan_view import plan_view
from tests.plan.report_plans import KB, plan_for

ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "artifacts"


def test_html_is_self_contained_with_inline_css_and_no_external_fetches() -> None:
    html = plan_html(plan_for("self_care_runner"), KB)
    assert "<style>" in html
    assert not re.search(r"<(link|script|img|iframe)\b", html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "url(" not in html
    style = html.split("<style>")[1].split("</style>")[0]
    assert "&#34;" not in style, "CSS must not be HTML-escaped"
    assert "&quot;" not in style


def test_html_shows_phases_schedule_exercise_steps_and_sources() -> None:
    plan = plan_for("self_care_runner")
    html = plan_html(plan, KB)
    for phase in plan.phases:
        assert f'id="phase-{phase.phase}"' in html
    first_exercise = plan.days[0].exercises[0]
    assert f'id="ex-{first_exercise.exercise_id}"' in html
    assert first_exercise.steps[0].replace("'", "&#39;") in html
    assert "<svg" in html
    assert "nice-ng59" in html
    assert plan.disclaimer in html
    (offered, *_) = first_exercise.alternatives or [
        a for d in plan.days for p in d.exercises for a in p.alternatives
    ]
    # a plan file shows every offered alternative open (a served page folds them)
    assert f"<p><strong>{offered.label}: {offered.name}</strong></p>" in html
    assert "<details" not in html


def test_emergency_html_has_the_action_and_no_schedule() -> None:
    plan = plan_for("emergency_cauda_equina")
    html = plan_html(plan, KB)
    assert plan.assessment.action in html
    assert 'id="schedule"' not in html
    assert 'id="exercises"' not in html
    assert "Clinician summary" in html


@pytest.mark.browser
def test_html_renders_in_headless_chromium_without_network_and_is_screenshotted(
    browser: Any,
) -> None:
    plan = plan_for("self_care_runner")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_file = ARTIFACTS / "plan.html"
    page_file.write_text(plan_html(plan, KB), encoding="utf-8")
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    try:
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        assert page.locator("h1").first.inner_text() == "Your back and running plan"
        assert page.locator("section#phases .phase").count() == len(plan.phases)
        rows = page.locator("table.schedule tbody tr").count()
        assert rows == sum(len(w.rows) for w in plan_view(plan, KB).weeks)
        assert 7 <= rows < len(plan.days), "identical days share a row"
        topics = page.locator("table.schedule").all_inner_texts()
        assert all(d.education_title in " ".join(topics) for d in plan.days)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1000, "no horizontal overflow"
        page.screenshot(path=str(ARTIFACTS / "plan.png"), full_page=False)
    finally:
        page.close()
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
    assert (ARTIFACTS / "plan.png").stat().st_size > 10_000

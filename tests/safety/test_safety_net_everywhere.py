"""Every output of every vignette carries the safety net, except an emergency, which carries
only its action and no exercise (GIRFT 2023 safety-netting; NICE CKS Sciatica)."""

from __future__ import annotations

import html
import io
import json
import re
import warnings
from datetime import date
from typing import Any

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from rich.console import Console

from backstride.assess.casefile import case_from_data
from backstride.assess.triage import assess
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.rules import SafetyNet
from backstride.plan import build_plan
from backstride.report.html import plan_html
from backstride.report.ics import plan_ics
from backstride.report.markdown import plan_markdown
from backstride.report.pdf import pdf_document, plan_pdf
from tests.assess.conftest import load_vignettes
from tests.defaults import SHOE_INSPECTION_KM

KB = load_knowledge_base()
TODAY = date(2026, 11, 23)
VIGNETTES = load_vignettes()
IDS = [v["id"] for v in VIGNETTES]
NETS = {n.level: n for n in KB.of(SafetyNet)}
#: What must appear in a person-readable output: both headings and one item of each list.
MARKERS = (
    NETS["emergency"].heading,
    NETS["emergency"].items[0],
    NETS["same_day"].heading,
    NETS["same_day"].items[1],
)
EXERCISE_MARKERS = ("How to do the exercises", "Day by day", "walk-run", "Walk 2 min")


def _flat(text: str) -> str:
    """Whitespace and terminal box borders folded away (rich wraps text inside panels)."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def _plan(vignette: dict[str, Any]) -> Any:
    case = case_from_data(vignette["case"])
    return build_plan(
        assess(case, KB), case, [], [], TODAY, KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )


def _terminal(plan: Any) -> str:
    """The plan as the terminal shows it (the CLI's own renderer, into a buffer)."""
    with warnings.catch_warnings():  # typer imports a click name click deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        from backstride.cli.plan import _print as print_plan
    from backstride.services.plans import PlanOutcome

    buffer = io.StringIO()
    console = Console(file=buffer, width=200, highlight=False)
    print_plan(console, PlanOutcome(plan, KB, TODAY), TODAY, all_sources=False)
    return buffer.getvalue()


def _descriptions(data: bytes) -> list[str]:
    return [str(e.get("description")) for e in Calendar.from_ical(data).walk("VEVENT")]


def _outputs(plan: Any) -> dict[str, str]:
    return {
        "text": _terminal(plan),
        "md": plan_markdown(plan, KB, today=TODAY),
        "html": plan_html(plan, KB, today=TODAY),
        "json": plan.to_json(),
    }


@pytest.mark.covers("safety_net.emergency", "safety_net.same_day")
@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_every_format_carries_the_safety_net_unless_the_urgency_is_emergency(
    vignette: dict[str, Any],
) -> None:
    result = assess(case_from_data(vignette["case"]), KB)
    plan = _plan(vignette)
    outputs = _outputs(plan)
    document = result.to_dict()
    events = _descriptions(plan_ics(plan, KB))
    if result.urgency == "emergency":
        assert document["safety_net"] is None
        assert not plan.has_exercise_content
        assert events == []
        for name, text in outputs.items():
            assert NETS["emergency"].heading not in text, name
            assert not any(marker in text for marker in EXERCISE_MARKERS), name
            assert "Most likely" not in text, name
        return
    assert document["safety_net"]["emergency"]["items"] == list(NETS["emergency"].items)
    assert document["safety_net"]["same_day"]["heading"] == NETS["same_day"].heading
    for name, text in outputs.items():
        for marker in MARKERS:
            assert _flat(marker) in _flat(text), (name, marker)
    for description in events:
        for marker in MARKERS:
            assert _flat(marker) in _flat(description)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_the_safety_net_comes_near_the_top_right_after_what_to_do_now(
    vignette: dict[str, Any],
) -> None:
    plan = _plan(vignette)
    if plan.assessment.urgency == "emergency":
        return
    for name, text in _outputs(plan).items():
        if name == "json":
            continue
        flat = _flat(text)
        net = flat.index(_flat(NETS["emergency"].heading))
        assert flat.index(_flat(plan.assessment.action)) < net, name
        for later in ("Day by day", "Treatment options", "Sources"):
            if later in flat:
                assert net < flat.index(later), (name, later)


def _one_per_urgency() -> list[Any]:
    chosen: dict[str, dict[str, Any]] = {}
    for vignette in VIGNETTES:
        chosen.setdefault(vignette["expect"]["urgency"], vignette)
    return [pytest.param(v, id=v["id"]) for v in chosen.values()]


def _one_per_stratum() -> list[Any]:
    """The first vignette of each (urgency, most likely pattern) pair."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for vignette in VIGNETTES:
        expect = vignette["expect"]
        chosen.setdefault((expect["urgency"], (expect["patterns"] or ["none"])[0]), vignette)
    return [pytest.param(v, id=v["id"]) for v in chosen.values()]


def _assert_pdf_text(plan: Any, text: str) -> None:
    if plan.assessment.urgency == "emergency":
        assert _flat(NETS["emergency"].heading) not in text
        assert not any(marker in text for marker in EXERCISE_MARKERS)
        assert "Most likely" not in text
        assert _flat(plan.assessment.action)[:40] in text
    else:
        for marker in MARKERS:
            assert _flat(marker) in text, marker


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_the_pdf_source_of_every_vignette_carries_the_safety_net_unless_emergency(
    vignette: dict[str, Any],
) -> None:
    """Every vignette's PDF, checked on the HTML the PDF renderer lays out (`pdf_document`,
    the very string `plan_pdf` hands to WeasyPrint). Laying a full plan out costs about 2 s
    of CPU (about 20 pages; layout, not font or stylesheet set-up), so every vignette as a
    real PDF would add minutes; the real PDFs are checked for a stratified sample below."""
    plan = _plan(vignette)
    document = pdf_document(plan, KB, today=TODAY)
    _assert_pdf_text(plan, _flat(html.unescape(re.sub(r"<[^>]+>", " ", document))))


@pytest.mark.parametrize("vignette", _one_per_stratum())
def test_the_real_pdf_of_each_urgency_and_pattern_carries_the_safety_net_unless_emergency(
    vignette: dict[str, Any],
) -> None:
    """The real PDF (WeasyPrint, text read back with pypdf) for one vignette of every
    (urgency, most likely pattern) pair of the vignette table."""
    plan = _plan(vignette)
    pdf = plan_pdf(plan, KB, today=TODAY)
    text = _flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    _assert_pdf_text(plan, text)


@pytest.mark.parametrize("vignette", _one_per_urgency())
def test_the_assessment_in_the_terminal_leads_with_its_action_and_the_safety_net(
    vignette: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from backstride.cli.assess import _render

    result = assess(case_from_data(vignette["case"]), KB)
    _render(result)
    out = _flat(capsys.readouterr().out)
    assert out.index(_flat(result.action)[:40]) < out.index("What we found")
    if result.urgency == "emergency":
        assert _flat(NETS["emergency"].heading) not in out
        assert "Most likely" not in out
        return
    for marker in MARKERS:
        assert _flat(marker) in out, marker
    net = out.index(_flat(NETS["emergency"].heading))
    if result.urgency == "urgent":  # the warning signs first, then the safety net
        assert "Most likely" not in out
        assert out.index("Warning signs") < net < out.index("Sources")
    else:
        assert net < out.index("What we found")


def test_the_json_safety_net_is_documented_in_the_contract() -> None:
    from pathlib import Path

    contract = (Path(__file__).parents[2] / "docs" / "assessment-contract.md").read_text()
    assert '"safety_net"' in contract
    sample = assess(case_from_data(VIGNETTES[0]["case"]), KB).to_dict()
    assert set(sample["safety_net"]) == {"emergency", "same_day"}
    assert json.loads(json.dumps(sample)) == sample

"""The personal plan as a PDF (WeasyPrint), the clinician summary on the first page."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from backstride.knowledge.model import KnowledgeBase
from backstride.plan.model import Plan
from backstride.report.html import plan_html

#: Rendered PDFs kept per process, by their HTML source. Laying out a full plan (about 20
#: pages) is most of a PDF's cost, so the same plan fetched again (the page's download
#: button, the API) is served from here. Stylesheet parsing and font set-up were measured
#: at under 5 % of a render, so caching them alone gains nothing measurable.
PDF_CACHE_SIZE = 16


def pdf_document(
    plan: Plan, kb: KnowledgeBase, *, today: date | None = None, all_sources: bool = False
) -> str:
    """The HTML the PDF is laid out from: the clinician page first, then the plan."""
    return plan_html(plan, kb, today=today, clinician_first=True, all_sources=all_sources)


def plan_pdf(
    plan: Plan, kb: KnowledgeBase, *, today: date | None = None, all_sources: bool = False
) -> bytes:
    """PDF bytes: a one-page clinician summary, then the plan. No network fetches.

    Tagged PDF/UA-1 (structure tree, language, title), so screen readers can follow it.
    """
    return render_pdf(pdf_document(plan, kb, today=today, all_sources=all_sources))


@lru_cache(maxsize=PDF_CACHE_SIZE)
def render_pdf(document: str) -> bytes:
    """A self-contained HTML document as PDF bytes (the same document renders once)."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    pdf = HTML(string=document, url_fetcher=_no_fetch).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None, "write_pdf without a target returns bytes"
    return bytes(pdf)


def _no_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, object]:
    """Refuse every external resource: the document is self-contained."""
    raise ValueError(f"external resource refused: {url}")

"""The personal plan as a PDF (WeasyPrint), the clinician summary on the first page."""

from __future__ import annotations

from datetime import date

from backstride.knowledge.model import KnowledgeBase
from backstride.plan.model import Plan
from backstride.report.html import plan_html


def plan_pdf(
    plan: Plan, kb: KnowledgeBase, *, today: date | None = None, all_sources: bool = False
) -> bytes:
    """PDF bytes: a one-page clinician summary, then the plan. No network fetches.

    Tagged PDF/UA-1 (structure tree, language, title), so screen readers can follow it.
    """
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    document = plan_html(plan, kb, today=today, clinician_first=True, all_sources=all_sources)
    pdf = HTML(string=document, url_fetcher=_no_fetch).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None, "write_pdf without a target returns bytes"
    return bytes(pdf)


def _no_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, object]:
    """Refuse every external resource: the document is self-contained."""
    raise ValueError(f"external resource refused: {url}")

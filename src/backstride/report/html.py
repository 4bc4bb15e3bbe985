"""The personal plan as one self-contained, print-ready HTML page (inline CSS and SVG)."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from backstride.knowledge.model import KnowledgeBase
from backstride.plan.model import Plan
from backstride.report.plain import more_sources_line
from backstride.report.plan_view import STATUS_WORDS, phase_words, plan_view, source_line

PLAN_STATUS_WORDS = {
    "self_care": "Self-care plan",
    "interim": "Interim plan until a clinician review",
    "no_self_care": "No self-care plan: clinician first",
}

_STROKE = 'fill="none" stroke="#1f4f78" stroke-width="3" stroke-linecap="round"'
_FLOOR = '<line x1="5" y1="62" x2="115" y2="62" stroke="#9fb3c8" stroke-width="2"/>'


def _figure(label: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 70" role="img" '
        f'aria-label="{label}">{_FLOOR}<g {_STROKE}>{body}</g></svg>'
    )


#: Simple line figures, one per exercise category (a person on a floor line).
FIGURES: dict[str, str] = {
    "mobility": _figure(
        "kneeling on hands and knees, back arching",
        '<circle cx="94" cy="30" r="6"/><path d="M30 36 Q58 22 86 34"/>'
        '<line x1="32" y1="37" x2="32" y2="61"/><line x1="84" y1="36" x2="84" y2="61"/>',
    ),
    "stretch": _figure(
        "kneeling stretch with arms reaching forward",
        '<circle cx="88" cy="50" r="6"/><path d="M30 56 Q50 34 82 50"/>'
        '<line x1="30" y1="56" x2="30" y2="61"/><line x1="82" y1="52" x2="110" y2="58"/>',
    ),
    "motor_control": _figure(
        "lying on the back with knees bent",
        '<circle cx="100" cy="55" r="6"/><line x1="40" y1="58" x2="93" y2="58"/>'
        '<polyline points="40,58 28,40 16,60"/>',
    ),
    "strength": _figure(
        "plank on the forearms",
        '<circle cx="98" cy="38" r="6"/><line x1="18" y1="58" x2="90" y2="42"/>'
        '<polyline points="90,42 88,60 100,60"/>',
    ),
    "conditioning": _figure(
        "walking",
        '<circle cx="60" cy="12" r="6"/><line x1="60" y1="18" x2="60" y2="40"/>'
        '<polyline points="48,61 60,40 72,61"/><polyline points="48,32 60,24 72,30"/>',
    ),
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("backstride.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def stylesheet() -> str:
    """The base and plan CSS, to be inlined."""
    folder = resources.files("backstride.report") / "templates"
    return "\n".join(
        (folder / name).read_text(encoding="utf-8") for name in ("base.css", "plan.css")
    )


def plan_html(
    plan: Plan,
    kb: KnowledgeBase,
    *,
    today: date | None = None,
    clinician_first: bool = False,
    all_sources: bool = False,
) -> str:
    """The plan as one HTML document; `clinician_first` puts the clinician page first (PDF)."""
    template = _environment().get_template("plan.html.j2")
    view = plan_view(plan, kb, today=today, all_sources=all_sources)
    return template.render(
        plan=plan,
        view=view,
        more_sources=more_sources_line(view.more_sources) if view.more_sources else "",
        source_lines=[source_line(s, kb) for s in view.sources],
        css=stylesheet(),
        clinician_first=clinician_first,
        phase_words=phase_words(kb),
        status_words=PLAN_STATUS_WORDS,
        status_words_t=STATUS_WORDS,
        figures=FIGURES,
    )

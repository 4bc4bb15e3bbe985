"""The personal plan as one self-contained, print-ready HTML page (inline CSS and SVG)."""

from __future__ import annotations

from datetime import date
from functools import cache, partial
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from backstride.knowledge.content import Exercise
from backstride.knowledge.labels import plain
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.texts import screen_text
from backstride.plan.model import Plan
from backstride.report.exercise_figure import exercise_svg
from backstride.report.plain import more_sources_line
from backstride.report.plan_view import (
    COLUMNS,
    PlanView,
    phase_words,
    plan_view,
    source_line,
)


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("backstride.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def stylesheet(*, screen: bool = True) -> str:
    """The base and plan CSS, to be inlined; `screen` adds the small-screen layout (the PDF
    renderer reads no media features, so a PDF goes without it)."""
    folder = resources.files("backstride.report") / "templates"
    names = ("base.css", "plan.css", *(("plan_screen.css",) if screen else ()))
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in names)


def plan_html(
    plan: Plan,
    kb: KnowledgeBase,
    *,
    today: date | None = None,
    clinician_first: bool = False,
    all_sources: bool = False,
    app_nav: str = "",
) -> str:
    """The plan as one HTML document; `clinician_first` puts the clinician page first (PDF).

    `app_nav` is the web app's own navigation (trusted HTML) for the plan served as a page.
    """
    template = _environment().get_template("plan.html.j2")
    view = plan_view(plan, kb, today=today, all_sources=all_sources)
    return template.render(
        plan=plan,
        view=view,
        more_sources=more_sources_line(kb, view.more_sources) if view.more_sources else "",
        source_lines=[source_line(s, kb) for s in view.sources],
        css=stylesheet(screen=not clinician_first),
        clinician_first=clinician_first,
        app_nav=app_nav,
        served=bool(app_nav),
        open_week=_open_week(view, today or plan.start),
        phase_words=phase_words(kb),
        label=partial(plain, kb),
        figures={p.exercise_id: _picture(kb, p.exercise_id) for p in view.exercises},
        say=partial(screen_text, kb, "plan_document"),
        shared=partial(screen_text, kb, "plan"),
        doctor=partial(screen_text, kb, "plan_clinician"),
        columns=COLUMNS,
    )


def _open_week(view: PlanView, day: date) -> int:
    """The number of the week holding `day` (the first before the plan, the last after it)."""
    for week in view.weeks:
        if week.days and week.days[0].on <= day <= week.days[-1].on:
            return week.number
    ended = bool(view.weeks) and bool(view.weeks[-1].days) and day > view.weeks[-1].days[-1].on
    return view.weeks[-1].number if ended else 1


def _picture(kb: KnowledgeBase, exercise_id: str) -> str:
    """The exercise's own start-and-end picture ('' for an id the knowledge base lacks)."""
    found = kb.records.get(exercise_id)
    return exercise_svg(found) if isinstance(found, Exercise) else ""

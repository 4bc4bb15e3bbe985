"""Web pages for the pain diary and recovery progress (the same services as the CLI)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from backstride.config import Settings
from backstride.errors import BackstrideError

#: Diary form fields that carry numbers 0–10 (blank means not answered).
SCORES = ("pain_now", "pain_worst", "pain_during_run", "pain_next_morning", "stiffness")


def register(app: FastAPI, templates: Jinja2Templates) -> None:
    """Add the diary and progress pages to the app."""

    @app.get("/diary", response_class=HTMLResponse)
    async def diary_page(request: Request) -> Response:
        return _diary(request, templates)

    @app.post("/diary", response_class=HTMLResponse)
    async def diary_add(request: Request) -> Response:
        from backstride.services.tracking import add_diary_entry, parse_diary_form

        settings: Settings = request.app.state.settings
        form = await request.form()
        try:
            entry = parse_diary_form(diary_values(form))
        except BackstrideError as exc:
            return _diary(request, templates, error=str(exc), status=422)
        outcome = add_diary_entry(settings, entry, now=datetime.now(UTC))
        if outcome.escalation is not None:
            context = {"escalation": outcome.escalation}
            return templates.TemplateResponse(request, "escalation.html.j2", context)
        return RedirectResponse("/progress", status_code=303)

    @app.post("/keep", response_class=HTMLResponse)
    async def keep_assessment(request: Request) -> Response:
        """Store the finished check as the diary's starting point (the person asked to)."""
        import io

        from backstride.services.tracking import store_assessment

        settings: Settings = request.app.state.settings
        case_json = (await request.form()).get("case")
        if not isinstance(case_json, str) or not case_json:
            raise BackstrideError("case: nothing to keep; please do the check first")
        store_assessment(settings, "-", stdin=io.StringIO(case_json), now=datetime.now(UTC))
        return RedirectResponse("/diary", status_code=303)

    @app.get("/import", response_class=HTMLResponse)
    async def import_page(request: Request) -> Response:
        return templates.TemplateResponse(request, "import.html.j2", {"report": None})

    @app.post("/import", response_class=HTMLResponse)
    async def import_upload(request: Request) -> Response:
        """Import uploaded activity files; each file is all-or-nothing, bad ones are listed."""
        from starlette.concurrency import run_in_threadpool

        from backstride.web.uploads import import_uploads

        settings: Settings = request.app.state.settings
        report = await import_uploads(request, settings, run=run_in_threadpool)
        return templates.TemplateResponse(request, "import.html.j2", {"report": report})

    @app.get("/progress", response_class=HTMLResponse)
    async def progress_page(request: Request) -> Response:
        from backstride.progress.status import status_dict
        from backstride.services.tracking import progress_status

        settings: Settings = request.app.state.settings
        status = status_dict(progress_status(settings, today=date.today()))
        context = {"status": status, "sparkline": sparkline(status["rolling_7d"])}
        return templates.TemplateResponse(request, "progress.html.j2", context)


def diary_values(form: FormData) -> dict[str, Any]:
    """The diary form as the tracking service's raw values (blank fields left out)."""
    values: dict[str, Any] = {"on": form.get("on") or date.today().isoformat()}
    for name in SCORES:
        raw = form.get(name)
        if isinstance(raw, str) and raw.strip():
            values[name] = _whole(name, raw)
    values["locations"] = tuple(str(v) for v in form.getlist("locations"))
    values["red_flags"] = tuple(str(v) for v in form.getlist("red_flags"))
    values["leg_symptoms"] = form.get("leg_symptoms") == "yes"
    note = form.get("note")
    if isinstance(note, str) and note.strip():
        values["note"] = note.strip()
    return values


def _whole(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise BackstrideError(f"{name}: expected a whole number 0–10, got {raw!r}") from None


def _diary(
    request: Request, templates: Jinja2Templates, *, error: str | None = None, status: int = 200
) -> Response:
    from backstride.knowledge import load_knowledge_base
    from backstride.progress.questions import DIARY_LOCATIONS, red_flag_questions
    from backstride.services.tracking import list_entries

    settings: Settings = request.app.state.settings
    recent = list_entries(settings)[-14:]
    questions = red_flag_questions(load_knowledge_base())
    context = {"entries": list(reversed(recent)), "locations": DIARY_LOCATIONS,
               "questions": questions, "today": date.today().isoformat(),
               "error": error}  # fmt: skip
    return templates.TemplateResponse(request, "diary.html.j2", context, status_code=status)


def sparkline(points: list[dict[str, Any]], *, width: int = 560, height: int = 120) -> str:
    """An inline SVG polyline of 7-day mean pain (0–10, higher is worse); empty if < 2 points."""
    values = [float(p["mean_pain"]) for p in points if p.get("mean_pain") is not None]
    if len(values) < 2:
        return ""
    step = width / (len(values) - 1)
    coords = " ".join(
        f"{i * step:.1f},{height - v / 10 * height:.1f}" for i, v in enumerate(values)
    )
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="7-day mean pain over {len(values)} days (0 to 10)">'
        f'<polyline fill="none" stroke="#1f6feb" stroke-width="3" points="{coords}"/></svg>'
    )

"""The web app: the assessment wizard and plan pages for people, a JSON API for programs.

`create_app(settings)` builds the FastAPI application. Routes are thin: parse the request,
call one service, render. Errors a user can cause become a page naming what was wrong
(or application/problem+json under /api); no traceback reaches the browser.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from backstride import INTENDED_PURPOSE, __version__
from backstride.config import Settings, load_settings
from backstride.errors import BackstrideError, NotFoundError, OversizedInputError
from backstride.web.tracking import register as register_tracking
from backstride.web.wizard import WizardState, apply_page, load_state, next_page

HERE = Path(__file__).resolve().parent
MAX_JSON_BYTES = 256 * 1024
PROBLEM = "application/problem+json"
#: Plan formats a person can fetch from the result page: media type and download name.
DOWNLOADS: dict[str, tuple[str, str | None]] = {
    "html": ("text/html; charset=utf-8", None),
    "pdf": ("application/pdf", "backstride-plan.pdf"),
    "ics": ("text/calendar; charset=utf-8", "backstride-plan.ics"),
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application, configured once at start-up."""
    app = FastAPI(title="backstride", version=__version__, docs_url="/api/docs")
    app.state.settings = settings or load_settings()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Escape everything: templates end in .j2, which select_autoescape would not escape.
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    templates = Jinja2Templates(env=env)
    templates.env.globals.update(purpose=INTENDED_PURPOSE, version=__version__)
    app.state.templates = templates
    app.add_exception_handler(BackstrideError, _handle_error)  # type: ignore[arg-type]
    _pages(app, templates)
    register_tracking(app, templates)
    _api(app)
    return app


def _status_for(exc: BackstrideError) -> int:
    if isinstance(exc, OversizedInputError):
        return 413
    if isinstance(exc, NotFoundError):
        return 404
    return 422


async def _handle_error(request: Request, exc: BackstrideError) -> Response:
    status = _status_for(exc)
    if request.url.path.startswith("/api/"):
        body = {"type": "about:blank", "title": type(exc).__name__, "status": status,
                "detail": str(exc)}  # fmt: skip
        return JSONResponse(body, status_code=status, media_type=PROBLEM)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html.j2", {"message": str(exc)}, status_code=status
    )


async def read_limited(request: Request, limit: int = MAX_JSON_BYTES) -> bytes:
    """The request body, refusing more than `limit` bytes before reading them all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise OversizedInputError(f"request body: at most {limit} bytes, got {declared}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise OversizedInputError(f"request body: at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BackstrideError("request body: expected UTF-8 JSON") from None


def _pages(app: FastAPI, templates: Jinja2Templates) -> None:
    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html.j2", {})

    @app.get("/check", response_class=HTMLResponse)
    async def check_start(request: Request) -> Response:
        return _wizard_page(request, WizardState({}, frozenset()))

    @app.post("/check", response_class=HTMLResponse)
    async def check_step(request: Request) -> Response:
        form = await request.form()
        state = load_state(_text(form.get("state")))
        from backstride.services.assessment import knowledge_base

        _section, page = next_page(knowledge_base(), state)
        fields = {key: form.getlist(key) if len(form.getlist(key)) > 1 else form.get(key)
                  for key in form}  # fmt: skip
        try:
            state = apply_page(state, page, fields)
        except BackstrideError as exc:
            return _wizard_page(request, state, error=str(exc), status=422)
        return _after_page(request, state)

    @app.post("/plan", response_class=HTMLResponse)
    async def plan_page(request: Request) -> Response:
        form = await request.form()
        outcome = _plan_from_case_json(request, _text(form.get("case")) or "", weeks=6)
        from backstride.services.plans import PlanFormat, render

        fmt = _text(form.get("format")) or "html"
        if fmt not in DOWNLOADS:
            raise BackstrideError(f"format: expected html, pdf or ics, got {fmt!r}")
        body = render(outcome, cast("PlanFormat", fmt))  # checked against DOWNLOADS above
        media, filename = DOWNLOADS[fmt]
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else {}
        content = body.encode("utf-8") if isinstance(body, str) else body
        return Response(content, media_type=media, headers=headers)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _wizard_page(
    request: Request, state: WizardState, *, error: str | None = None, status: int = 200
) -> Response:
    from backstride.services.assessment import knowledge_base

    section, page = next_page(knowledge_base(), state)
    templates: Jinja2Templates = request.app.state.templates
    context = {"section": section, "questions": page, "state": state.dump(), "error": error,
               "answers": state.answers}  # fmt: skip
    return templates.TemplateResponse(request, "check.html.j2", context, status_code=status)


def _after_page(request: Request, state: WizardState) -> Response:
    """Stop at an emergency; otherwise the next page, or the result when none is left."""
    from backstride.assess.interview import case_answers, to_case
    from backstride.services.assessment import (
        assess_case,
        case_document,
        knowledge_base,
        screen_answers,
    )

    early = screen_answers(case_answers(state.answers))
    if early.urgency == "emergency":
        return _result_page(request, early.to_dict(), case_json=None, stopped_early=True)
    _section, page = next_page(knowledge_base(), state)
    if page:
        return _wizard_page(request, state)
    case = to_case(state.answers)
    import json

    case_json = json.dumps(case_document(case), sort_keys=True)
    return _result_page(request, assess_case(case).to_dict(), case_json=case_json)


def _result_page(
    request: Request, result: dict[str, Any], *, case_json: str | None, stopped_early: bool = False
) -> Response:
    from backstride.knowledge import urgency as urgency_table
    from backstride.knowledge.rules import SafetyText
    from backstride.services.assessment import knowledge_base

    kb = knowledge_base()
    net = result.get("safety_net") or {}
    cited = sorted({s for reason in result["reasons"] for s in reason["sources"]}
                   | {s for part in net.values() for s in part["sources"]})  # fmt: skip
    sources = [kb.sources[s] for s in cited if s in kb.sources]
    templates: Jinja2Templates = request.app.state.templates
    context = {"result": result, "case_json": case_json, "stopped_early": stopped_early,
               "sources": sources, "label": urgency_table.label(kb, result["urgency"]),
               "net_text": kb.one(SafetyText, "safety.net_title"),
               "flag_names": [urgency_table.flag_name(kb, f) for f in result["red_flags"]],
               }  # fmt: skip
    return templates.TemplateResponse(request, "result.html.j2", context)


def _plan_from_case_json(request: Request, case_json: str, *, weeks: int, start: date | None = None
                         ) -> Any:  # fmt: skip
    from backstride.services.plans import make_plan

    settings: Settings = request.app.state.settings
    return make_plan("-", stdin=io.StringIO(case_json), settings=settings, today=date.today(),
                     start=start, weeks=weeks)  # fmt: skip


def _api(app: FastAPI) -> None:
    @app.post("/api/assess")
    async def api_assess(request: Request) -> Response:
        """Assess a case file (JSON body); the contract's result JSON."""
        from backstride.services.assessment import assess_source

        body = _decode(await read_limited(request))
        _case, result = assess_source("-", stdin=io.StringIO(body))
        return Response(result.to_json(), media_type="application/json")

    @app.post("/api/plan")
    async def api_plan(request: Request, weeks: int = 6, start: date | None = None) -> Response:
        """Build the plan for a case file (JSON body); the plan as JSON."""
        from backstride.services.plans import render

        body = _decode(await read_limited(request))
        outcome = _plan_from_case_json(request, body, weeks=weeks, start=start)
        return Response(str(render(outcome, "json")), media_type="application/json")

    @app.get("/api/kb/{record_id}")
    async def api_kb_record(record_id: str) -> Response:
        """One knowledge-base record or source by id."""
        from backstride.services.assessment import knowledge_base

        kb = knowledge_base()
        found = kb.records.get(record_id) or kb.sources.get(record_id)
        if found is None:
            raise NotFoundError(f"knowledge base: no record or source with id {record_id!r}")
        return Response(found.model_dump_json(), media_type="application/json")

    @app.get("/api/health")
    async def health() -> dict[str, str]:
        from backstride.services.assessment import knowledge_base

        return {"status": "ok", "version": __version__, "knowledge_base": knowledge_base().version}

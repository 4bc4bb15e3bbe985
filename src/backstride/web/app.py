"""The web app: pages for people, a JSON API for programs, behind accounts.

`create_app(settings)` builds the FastAPI application: one router module per concern
(auth, check, plan, diary, training, clinician, api), security middleware around all of
them, and error handlers that give a page or problem+json (never a traceback). The store
is opened (and migrated) once at start-up, not per request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from backstride import __version__
from backstride.config import Settings, load_settings
from backstride.web import (
    api,
    auth,
    check,
    checkin,
    clinician,
    dashboard,
    diary,
    errors,
    plan,
    pwa,
    training,
)
from backstride.web.bodies import BodyLimitMiddleware
from backstride.web.pagecache import PageCacheMiddleware
from backstride.web.security import SecurityMiddleware
from backstride.web.words import link, say, say_marked, strong

HERE = Path(__file__).resolve().parent


def _page_globals(request: Request) -> dict[str, Any]:
    """What every page needs: the account, the CSRF token for its forms, the safety net,
    and the standing escalation that leads every page until a clinician's review."""
    from backstride.assess.triage import safety_net_lists
    from backstride.knowledge.rules import SafetyText
    from backstride.services.assessment import knowledge_base

    kb = knowledge_base()
    net = {"title": kb.one(SafetyText, "safety.net_title"), "lists": safety_net_lists(kb)}
    credential = getattr(request.state, "credential", None)
    if credential is None:
        return {"account": None, "csrf_token": "", "net": net, "standing": None}
    return {"account": credential.account, "csrf_token": credential.csrf_token or "",
            "net": net, "standing": _standing(request)}  # fmt: skip


def _standing(request: Request) -> Any:
    """The signed-in account's standing escalation (None on a clinician's view of others)."""
    from backstride.services.runner_data import kept_for_runner
    from backstride.services.tracking import current_escalation

    settings = request.app.state.settings
    return kept_for_runner(settings, ("standing",), lambda: current_escalation(settings))


def _cite(source_ids: Any) -> str:
    """Source ids as a person reads them: authors and year ("Hill et al. 2011")."""
    from backstride.knowledge.citations import cite_line
    from backstride.services.assessment import knowledge_base

    return cite_line(knowledge_base(), source_ids)


def _purpose() -> str:
    """What backstride is for and what it is not, shown on every page."""
    from backstride.knowledge.texts import intended_purpose
    from backstride.services.assessment import knowledge_base

    return intended_purpose(knowledge_base())


def _templates(settings: Settings) -> Jinja2Templates:
    # Escape everything: templates end in .j2, which select_autoescape would not escape.
    # Templates are compiled once: the installed files do not change while serving.
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      auto_reload=False)  # fmt: skip
    templates = Jinja2Templates(env=env, context_processors=[_page_globals])
    templates.env.filters["cite"] = _cite
    templates.env.globals.update(say=say, say_marked=say_marked, link=link, strong=strong)
    templates.env.globals.update(purpose=_purpose(), version=__version__,
                                 emergency_number=settings.emergency_number)  # fmt: skip
    return templates


async def api_docs(request: Request) -> Response:
    """The API documentation page: the vendored Swagger UI on /api/v1/openapi.json."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "api_docs.html.j2", {})


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application, configured once at start-up."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        from backstride.services.jobs import shutdown_pools
        from backstride.services.store import open_store

        open_store(settings)  # open and migrate once, before the first request
        yield
        shutdown_pools()

    app = FastAPI(
        title="backstride", version=__version__, docs_url=None,
        openapi_url="/api/v1/openapi.json", redoc_url=None, lifespan=lifespan,
    )  # fmt: skip
    app.state.settings = settings
    app.state.templates = _templates(settings)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_route("/api/docs", api_docs, include_in_schema=False)
    errors.register(app)
    for module in (api, auth, dashboard, check, checkin, plan, diary, training, clinician, pwa):
        app.include_router(module.router)
    app.add_middleware(BodyLimitMiddleware, max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(PageCacheMiddleware, settings=settings)
    app.add_middleware(SecurityMiddleware, settings=settings)
    return app

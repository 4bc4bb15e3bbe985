"""Installing the app: the web app manifest, the service worker and its offline pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.texts import intended_purpose
from backstride.web.deps import TemplatesDep

router = APIRouter()
STATIC = Path(__file__).resolve().parent / "static"
THEME = "#1f4f78"
ICONS = [
    {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
    {"src": "/static/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png",
     "purpose": "maskable"},
    {"src": "/static/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
]  # fmt: skip


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest() -> Response:
    """The web app manifest: name, start page, colours and icons (installable on a phone)."""
    purpose = intended_purpose(load_knowledge_base())
    body: dict[str, Any] = {
        "name": "backstride", "short_name": "backstride", "description": purpose,
        "id": "/", "start_url": "/", "scope": "/", "display": "standalone", "lang": "en",
        "background_color": "#ffffff", "theme_color": THEME, "icons": ICONS,
    }  # fmt: skip
    return JSONResponse(body, media_type="application/manifest+json")


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> Response:
    """The service worker, from the site root so it can serve every page; never cached stale."""
    headers = {"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"}
    return FileResponse(STATIC / "sw.js", media_type="text/javascript", headers=headers)


def _offline(request: Request, templates: TemplatesDep, *, saved: bool) -> Response:
    from backstride.assess.triage import safety_net_lists
    from backstride.report.plan_view import safety_net_view
    from backstride.services.assessment import knowledge_base

    kb = knowledge_base()
    heading = "Saved on this device" if saved else "No connection to backstride"
    context = {"offline_net": safety_net_view(safety_net_lists(kb), kb), "saved": saved,
               "page_id": "queued" if saved else "offline", "heading": heading}  # fmt: skip
    return templates.TemplateResponse(request, "offline.html.j2", context)


@router.get("/offline", include_in_schema=False)
def offline_page(request: Request, templates: TemplatesDep) -> Response:
    """What the service worker shows for a page it has not kept, when the server is away."""
    return _offline(request, templates, saved=False)


@router.get("/offline/saved", include_in_schema=False)
def offline_saved_page(request: Request, templates: TemplatesDep) -> Response:
    """What the service worker shows after keeping a diary entry made without a connection."""
    return _offline(request, templates, saved=True)

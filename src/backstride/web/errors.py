"""Errors as people and programs should see them: application/problem+json under /api/,
an HTML page for browsers (404 and 500 included). One plain sentence; never a traceback,
a file path or a SQL message."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from backstride.errors import BackstrideError, NotFoundError, OversizedInputError, StorageError
from backstride.services import accounts, sharing
from backstride.services.store import NoActingUserError
from backstride.web.deps import CsrfError, ScopeDeniedError, SignInRequiredError
from backstride.web.words import say

PROBLEM = "application/problem+json"
log = logging.getLogger("backstride.web")
#: Error type -> HTTP status (the first match in order wins).
STATUS: tuple[tuple[type[BaseException], int], ...] = (
    (SignInRequiredError, 401),
    (NoActingUserError, 401),
    (accounts.SignInError, 401),
    (CsrfError, 403),
    (ScopeDeniedError, 403),
    (sharing.ForbiddenError, 403),
    (accounts.RegistrationClosedError, 403),
    (NotFoundError, 404),
    (accounts.EmailTakenError, 409),
    (OversizedInputError, 413),
    (accounts.ThrottledError, 429),
    (StorageError, 503),
)
TITLES = {400: "Bad request", 401: "Sign-in needed", 403: "Not allowed", 404: "Not found",
          405: "Method not allowed", 409: "Already exists", 413: "Too large",
          422: "Cannot use this input", 429: "Too many attempts", 500: "Something went wrong",
          503: "Try again later"}  # fmt: skip


def is_api(request: Request) -> bool:
    """True for the JSON API (problem+json), False for pages."""
    return request.url.path.startswith("/api/")


def problem(request: Request, status: int, detail: str, *, headers: dict[str, str] | None = None
            ) -> Response:  # fmt: skip
    """The error as problem+json (API) or as an HTML error page."""
    title = TITLES.get(status, "Error")
    if is_api(request):
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)
    templates = request.app.state.templates
    context = {"message": detail, "title": title, "status": status}
    return templates.TemplateResponse(  # type: ignore[no-any-return]
        request, "error.html.j2", context, status_code=status, headers=headers
    )


async def on_backstride_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BackstrideError)
    status = next((code for kind, code in STATUS if isinstance(exc, kind)), 422)
    if status == 401 and not is_api(request):
        target = quote(request.url.path, safe="/")
        return RedirectResponse(f"/signin?next={target}", status_code=303)
    headers = None
    if isinstance(exc, accounts.ThrottledError):
        headers = {"Retry-After": str(exc.retry_after_s)}
    detail = say("errors", "storage") if status == 503 else str(exc)
    if status == 503:
        log.error("storage error: %s", exc)  # the operator's log keeps the detail
    return problem(request, status, detail, headers=headers)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    message = str(first.get("msg", "invalid value")).rstrip(".")
    detail = f"{where or 'request'}: {message}"
    return problem(request, 422, detail)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = TITLES.get(exc.status_code, "Error")
    if exc.status_code == 404:
        detail = say("errors", "no_page")
    elif exc.status_code == 405:
        detail = say("errors", "wrong_method")
    return problem(request, exc.status_code, detail, headers=getattr(exc, "headers", None))


async def on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path)
    if isinstance(exc, RecursionError):
        return problem(request, 422, "request body: too deeply nested or malformed")
    return problem(request, 500, say("errors", "unexpected"))


def register(app: FastAPI) -> None:
    """Install the handlers."""
    app.add_exception_handler(BackstrideError, on_backstride_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)

"""Request dependencies: settings, the signed-in account (by session cookie or bearer
token), CSRF for cookie-authenticated writes, and token scopes.

Authenticating a request also sets the account every use case of that request acts for.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.templating import Jinja2Templates

from backstride.config import Settings
from backstride.errors import BackstrideError
from backstride.services.accounts import Credential, authenticate_session, authenticate_token
from backstride.services.cache import credentials_stamp
from backstride.services.store import act_in_this_request, open_store

SESSION_COOKIE = "backstride_session"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SignInRequiredError(BackstrideError):
    """No signed-in account: 401 for the API, a redirect to sign-in for pages."""


class CsrfError(BackstrideError):
    """A cookie-authenticated write without the right CSRF token (403)."""


class ScopeDeniedError(BackstrideError):
    """The bearer token's scopes do not allow this (403)."""


def get_settings(request: Request) -> Settings:
    """The app's settings (built once at start-up)."""
    settings: Settings = request.app.state.settings
    return settings


def get_templates(request: Request) -> Jinja2Templates:
    """The page templates."""
    templates: Jinja2Templates = request.app.state.templates
    return templates


SettingsDep = Annotated[Settings, Depends(get_settings)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]


def cookie_name(settings: Settings) -> str:
    """The session cookie's name (`__Host-` prefixed when served over https)."""
    https = (settings.public_url or "").lower().startswith("https://")
    return f"__Host-{SESSION_COOKIE}" if https else SESSION_COOKIE


async def optional_credential(request: Request, settings: SettingsDep) -> Credential | None:
    """Who sent the request, if anyone (a bearer token wins over a cookie)."""
    if hasattr(request.state, "credential"):
        found: Credential | None = request.state.credential
        return found
    now = datetime.now(UTC)
    credential = None
    auth = request.headers.get("authorization", "")
    # The database lookups run in the thread pool: the event loop keeps serving other requests.
    if auth.lower().startswith("bearer "):
        credential = await run_in_threadpool(
            authenticate_token, settings, secret=auth[7:].strip(), now=now
        )
    else:
        secret = request.cookies.get(cookie_name(settings))
        if secret:
            credential = remembered_session(settings, secret, now=now)
            if credential is None:
                credential = await run_in_threadpool(look_up_session, settings, secret, now=now)
    request.state.credential = credential
    if credential is not None:
        act_in_this_request(credential.account.id, credential.runner_id)
    return credential


OptionalCredential = Annotated[Credential | None, Depends(optional_credential)]

#: Browser sessions this process has looked up: (database, cookie digest) -> (the version of
#: every credential then, the credential). An entry counts only while no session, token or
#: account of that database has changed or gone since (in any process: `cache` bumps the
#: version on every such write) and the session has not expired.
_sessions: OrderedDict[tuple[str, str], tuple[tuple[object, ...], Credential]] = OrderedDict()
_sessions_lock = threading.Lock()
REMEMBERED_SESSIONS = 4096


def _session_key(settings: Settings, secret: str) -> tuple[str, str]:
    return settings.resolved_database_url, hashlib.sha256(secret.encode("utf-8")).hexdigest()


def remembered_session(settings: Settings, secret: str, *, now: datetime) -> Credential | None:
    """The credential looked up for this cookie before, while still valid (else None)."""
    key = _session_key(settings, secret)
    with _sessions_lock:
        found = _sessions.get(key)
    if found is None:
        return None
    stamp, credential = found
    alive = credential.expires_at is not None and now < credential.expires_at
    if not alive or stamp != credentials_stamp(open_store(settings)):
        with _sessions_lock:
            _sessions.pop(key, None)
        return None
    return credential


def look_up_session(settings: Settings, secret: str, *, now: datetime) -> Credential | None:
    """The account behind a session cookie, from the store (remembered for the next request)."""
    stamp = credentials_stamp(open_store(settings))  # read before the rows it stands for
    credential = authenticate_session(settings, secret=secret, now=now)
    if credential is not None and stamp is not None and credential.expires_at is not None:
        with _sessions_lock:
            _sessions[_session_key(settings, secret)] = (stamp, credential)
            while len(_sessions) > REMEMBERED_SESSIONS:
                _sessions.popitem(last=False)
    return credential


async def _check_csrf(request: Request, credential: Credential) -> None:
    """Cookie-authenticated writes must carry the session's CSRF token."""
    if request.method not in UNSAFE or credential.csrf_token is None:
        return
    sent = request.headers.get("x-csrf-token") or None
    kind = request.headers.get("content-type", "")
    if sent is None and kind.startswith("application/x-www-form-urlencoded"):
        value = (await request.form()).get("csrf_token")
        sent = value if isinstance(value, str) else None
    if sent is None and kind.startswith("multipart/form-data"):
        sent = request.query_params.get("csrf_token")  # uploads stream: the token rides along
    if sent is None or not hmac.compare_digest(sent, credential.csrf_token):
        raise CsrfError("csrf: this form has expired or came from another site; reload the page")


async def signed_in(request: Request, credential: OptionalCredential) -> Credential:
    """The signed-in account (cookie or token); writes by cookie need the CSRF token."""
    if credential is None:
        raise SignInRequiredError("sign-in: please sign in first")
    await _check_csrf(request, credential)
    return credential


SignedIn = Annotated[Credential, Depends(signed_in)]


def scoped(scope: str | None) -> Callable[..., Awaitable[Credential]]:
    """A dependency: signed in, and a bearer token must hold `scope` (None: no token may)."""

    async def check(credential: SignedIn) -> Credential:
        if credential.scopes is not None and (scope is None or scope not in credential.scopes):
            needed = f"the {scope} scope" if scope else "a signed-in session, not a token"
            raise ScopeDeniedError(f"token: this needs {needed}")
        return credential

    return check


SessionOnly = Annotated[Credential, Depends(scoped(None))]

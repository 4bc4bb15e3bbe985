"""Browser security for every response, as pure ASGI middleware.

- The Host header must be one of the allowed hosts (no DNS rebinding): 400 otherwise.
- Every response carries a Content-Security-Policy without inline script, frame-ancestors
  'none', nosniff, a Referrer-Policy, a Permissions-Policy, and HSTS when the public URL
  is https.
- Each request starts with no acting account and requires one before any use case runs
  (the authentication dependency sets it), so nothing runs as the install's owner.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backstride.config import Settings
from backstride.services.store import request_scope

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def allowed_hosts(settings: Settings) -> frozenset[str]:
    """Host names accepted in the Host header (the public URL's host included)."""
    hosts = {h.strip().lower() for h in settings.allowed_hosts.split(",") if h.strip()}
    if settings.public_url:
        found = urlsplit(settings.public_url).hostname
        if found:
            hosts.add(found.lower())
    return frozenset(hosts)


def host_name(header: str) -> str:
    """The host part of a Host header (port removed, IPv6 brackets kept)."""
    value = header.strip().lower()
    if value.startswith("["):
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class SecurityMiddleware:
    """Host allowlist, security headers and a fresh acting-account scope per request."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.hosts = allowed_hosts(settings)
        https = (settings.public_url or "").lower().startswith("https://")
        self.headers = [*HEADERS, HSTS] if https else list(HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        if host_name(host) not in self.hosts:
            await _bad_host(send, self.headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _v in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        with request_scope():
            await self.app(scope, receive, send_with_headers)


async def _bad_host(send: Send, headers: list[tuple[bytes, bytes]]) -> None:
    body: dict[str, Any] = {"type": "about:blank", "title": "Bad host", "status": 400,
                            "detail": "This server does not answer to that host name."}  # fmt: skip
    data = json.dumps(body).encode()
    start = [(b"content-type", b"application/problem+json"),
             (b"content-length", str(len(data)).encode()), *headers]  # fmt: skip
    await send({"type": "http.response.start", "status": 400, "headers": start})
    await send({"type": "http.response.body", "body": data})

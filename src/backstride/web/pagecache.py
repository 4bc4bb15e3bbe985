"""Whole pages kept per session, so a warm page is a lookup plus the security headers.

A signed-in GET of one of `KEPT_PATHS` is answered with the response built for the same
cookies, host, path and query while nothing it was built from has changed: the runner's
and everyone's data versions, the account's own version (its audit log, shares, sessions,
tokens), every credential's version, the code and knowledge base, the settings, and the day.
The session is checked as every request's is (remembered while no credential changed,
else looked up); a request without a valid session, or with a bearer token, goes to the app
as usual. A kept response carries an ETag and `Cache-Control: private, no-cache`; a request
whose If-None-Match names it gets 304 and no body. Kept pages are also written under the
data directory (`kept/pages`, beside the database that holds the same sessions), so the
other worker processes serve them without building them again.

Only pages that show nothing but that account's own data and write nothing when read are
listed (a clinician's view of a runner records an audit event on every visit: never kept).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backstride.config import Settings
from backstride.services.cache import page_stamp
from backstride.services.store import open_store
from backstride.services.versions import kept_dir, kept_file, read_kept, write_kept
from backstride.web.deps import cookie_name, look_up_session, remembered_session

#: The pages kept whole: each reads only the signed-in account's own data and writes nothing.
KEPT_PATHS = frozenset({
    "/", "/diary", "/progress", "/plan", "/training", "/together", "/training/shoes",
    "/settings", "/api/v1/activities", "/api/v1/analysis", "/api/v1/progress", "/api/v1/plan",
    "/api/v1/diary", "/api/v1/assessments/current",
})  # fmt: skip
#: Bounds of one process's kept pages (the oldest unused go first).
MAX_PAGES, MAX_PAGE_BYTES = 4096, 96 * 1024 * 1024


@dataclass(frozen=True)
class _Page:
    stamp: tuple[object, ...]
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class PageCacheMiddleware:
    """Serve a kept page to its own session while its stamp holds; keep new ones."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.cookie = cookie_name(settings)
        self.pages: OrderedDict[tuple[object, ...], _Page] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        self.home = settings.home

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in KEPT_PATHS:
            await self.app(scope, receive, send)
            return
        found = await self._request_key(scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        key, stamp, wanted, runner_id = found
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
        folder = kept_dir(self.home, runner_id) / "pages"
        if page is None or page.stamp != stamp:
            page = self._from_file(folder, key, stamp)
        if page is not None:
            await _answer(send, page, not_modified=page.etag in wanted)
            return
        await self._build(scope, receive, send, key=key, stamp=stamp, wanted=wanted,
                          file=kept_file(folder, key))  # fmt: skip

    def _from_file(
        self, folder: Path, key: tuple[object, ...], stamp: tuple[object, ...]
    ) -> _Page | None:
        """The page another process kept for this key and stamp (kept here too), or None."""
        found = read_kept(kept_file(folder, key), key, stamp)
        if found is None:
            return None
        status, headers, body, etag = found[0]
        page = _Page(stamp, status, headers, body, etag)
        self._keep(key, page)
        return page

    async def _request_key(
        self, scope: Scope
    ) -> tuple[tuple[object, ...], tuple[object, ...], list[bytes], int] | None:
        """(the key, the stamp read now, the If-None-Match tags, the runner), or None: this
        request is not answered from kept pages."""
        cookies = host = b""
        wanted: list[bytes] = []
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookies = value
            elif name == b"host":
                host = value
            elif name == b"authorization":
                return None
            elif name == b"if-none-match":
                wanted = [tag.strip() for tag in value.split(b",")]
        secret = _cookie(cookies.decode("latin-1"), self.cookie)
        if secret is None:
            return None
        now = datetime.now(UTC)
        credential = remembered_session(self.settings, secret, now=now)
        if credential is None:  # looked up (and remembered) as the app would
            credential = await run_in_threadpool(look_up_session, self.settings, secret, now=now)
        if credential is None or credential.runner_id is None:
            return None
        stamp = page_stamp(open_store(self.settings), runner_id=credential.runner_id,
                           user_id=credential.account.id)  # fmt: skip
        if stamp is None:
            return None
        today = (date.today(), datetime.now(UTC).date())  # pages show the local and UTC day
        who = hashlib.sha256(cookies + b"\0" + host).digest()
        where = (scope.get("scheme"), scope["path"], scope.get("query_string", b""))
        return (who, *where), (*stamp, *today), wanted, credential.runner_id

    async def _build(self, scope: Scope, receive: Receive, send: Send, *,
                     key: tuple[object, ...], stamp: tuple[object, ...], wanted: list[bytes],
                     file: Path) -> None:  # fmt: skip
        """Run the app, keep a plain 200 answer, and send it (304 when the tag matches)."""
        start: Message = {}
        parts: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(scope, receive, keep)
        headers = list(start.get("headers", []))
        body = b"".join(parts)
        keepable = start.get("status") == 200 and not any(
            name.lower() in (b"set-cookie", b"cache-control") for name, _v in headers
        )
        if not keepable:
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
        headers += [(b"etag", etag), (b"cache-control", b"private, no-cache")]
        page = _Page(stamp, 200, headers, body, etag)
        self._keep(key, page)
        write_kept(file, key, stamp, (200, headers, body, etag))
        await _answer(send, page, not_modified=etag in wanted)

    def _keep(self, key: tuple[object, ...], page: _Page) -> None:
        with self.lock:
            old = self.pages.pop(key, None)
            self.size -= len(old.body) if old is not None else 0
            self.pages[key] = page
            self.size += len(page.body)
            while self.pages and (len(self.pages) > MAX_PAGES or self.size > MAX_PAGE_BYTES):
                _key, gone = self.pages.popitem(last=False)
                self.size -= len(gone.body)


def _cookie(header: str, name: str) -> str | None:
    """The value of cookie `name` in a Cookie header, read as the app reads it (None: absent)."""
    if name not in header:
        return None
    return cookie_parser(header).get(name) or None


async def _answer(send: Send, page: _Page, *, not_modified: bool) -> None:
    if not_modified:
        headers = [(k, v) for k, v in page.headers if k.lower() != b"content-length"]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": page.status, "headers": page.headers})
    await send({"type": "http.response.body", "body": page.body})

"""Request-body limits enforced while reading, whatever the headers say (pure ASGI).

Non-upload bodies (JSON, forms) are read up to `MAX_BODY_BYTES` and refused with 413
beyond it, then JSON is refused with 422 when nested deeper than `MAX_JSON_DEPTH`, before
any parser sees it. Upload bodies (multipart) are counted as they stream and cut off at the
configured request limit; per-file limits are applied by the upload reader.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 256 * 1024
MAX_JSON_DEPTH = 32


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


class BodyLimitMiddleware:
    """413 for bodies over the limit, 422 for JSON nested too deeply."""

    def __init__(self, app: ASGIApp, *, max_upload_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        kind = headers.get(b"content-type", b"").decode("latin-1").lower()
        limit = self.max_upload_bytes if kind.startswith("multipart/") else MAX_BODY_BYTES
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, 413, f"request body: at most {_size(limit)}")
            return
        if kind.startswith("multipart/"):
            await self.app(scope, _counting(receive, limit), send)
            return
        body, more = await _read(receive, limit)
        if more:
            await _refuse(send, 413, f"request body: at most {_size(limit)}")
            return
        if "json" in kind and json_depth(body) > MAX_JSON_DEPTH:
            await _refuse(send, 422, f"request body: JSON nested deeper than {MAX_JSON_DEPTH}")
            return
        await self.app(scope, _replay(body, receive), send)


class BodyTooLargeError(Exception):
    """The streamed body passed the request limit (turned into 413 by the upload reader)."""


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLargeError(f"request body: at most {_size(limit)}")
        return message

    return counted


async def _read(receive: Receive, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


async def _refuse(send: Send, status: int, detail: str) -> None:
    title = "Too large" if status == 413 else "Cannot use this input"
    data = json.dumps({"type": "about:blank", "title": title, "status": status,
                       "detail": detail}).encode()  # fmt: skip
    headers = [(b"content-type", b"application/problem+json"),
               (b"content-length", str(len(data)).encode()), (b"connection", b"close")]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})

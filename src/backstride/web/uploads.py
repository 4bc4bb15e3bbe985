"""Receiving activity files over HTTP: size limits first, then the import service.

The declared request size is checked before anything is read; each file is then copied to
a private temporary folder in chunks and refused as soon as it passes the per-file limit,
so an oversized upload never fills the disk or memory. The import itself is the same use
case as `backstride import` (all-or-nothing per file; a bad file never stops the rest).
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from backstride.config import Settings
from backstride.errors import InputError, OversizedInputError

CHUNK_BYTES = 1024 * 1024
Runner = Callable[..., Awaitable[Any]]


async def import_uploads(request: Request, settings: Settings, *, run: Runner) -> dict[str, Any]:
    """Store the request's files in a scratch folder, import them, return the JSON report."""
    from backstride.services.imports import import_paths

    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > settings.max_upload_bytes:
        raise OversizedInputError(
            f"upload: at most {settings.max_upload_bytes // (1024 * 1024)} MB per request, "
            f"got {int(declared) // (1024 * 1024)} MB"
        )
    async with request.form(max_files=10_000) as form:
        uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
        if not uploads:
            raise InputError("files: choose at least one FIT, GPX, TCX, .gz or .zip file")
        with tempfile.TemporaryDirectory(prefix="backstride-upload-") as scratch:
            saved = [
                Path(scratch) / f"{i:05d}-{_safe_name(u.filename)}" for i, u in enumerate(uploads)
            ]
            for upload, target in zip(uploads, saved, strict=True):
                await _save(upload, target, settings)
            # Each file by name: a file the person chose is reported even if it is not an activity.
            report = await run(import_paths, settings, saved)
    result: dict[str, Any] = report.as_json()
    for row in result["files"]:
        row["file"] = _shown_name(str(row["file"]), scratch)
    return result


async def _save(upload: UploadFile, target: Path, settings: Settings) -> None:
    written = 0
    with target.open("wb") as out:
        while chunk := await upload.read(CHUNK_BYTES):
            written += len(chunk)
            if written > settings.max_file_bytes:
                raise OversizedInputError(
                    f"{upload.filename}: larger than the {settings.max_file_bytes // (1024 * 1024)}"
                    " MB limit for one file"
                )
            out.write(chunk)


def _safe_name(name: str | None) -> str:
    """The file's own name without any folder part (never a path the client chose)."""
    base = Path(name or "upload").name
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in base)[-120:] or "upload"


def _shown_name(label: str, scratch: str) -> str:
    """The uploaded file's name as the person chose it (scratch folder and index removed)."""
    relative = label.removeprefix(scratch).lstrip("/")
    first, _, rest = relative.partition("/")
    name = first.split("-", 1)[1] if "-" in first else first
    return f"{name}/{rest}" if rest else name

"""Receiving activity files over HTTP: limits enforced while streaming, then a background job.

The multipart body is parsed as it arrives and each file is written straight to a private
scratch folder; a file is refused the moment it passes the per-file limit and the request
the moment it passes the request limit (whatever Content-Length said, or if it said
nothing). Client file names never become paths. Compressed files are then checked by
streaming decompression with a small memory cap (see `services.upload_checks`) in the job,
before the import (the same use case as `backstride import`) reads them.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from fastapi import Request
from python_multipart.multipart import MultipartParser, parse_options_header

from backstride.config import Settings
from backstride.errors import InputError, OversizedInputError
from backstride.web.bodies import BodyTooLargeError
from backstride.web.words import say

MAX_FILES = 1000


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    out: IO[bytes] | None = None
    written: int = 0
    value: bytearray = field(default_factory=bytearray)


@dataclass
class Received:
    """The saved files (in a scratch folder the job removes) and their chosen names."""

    scratch: Path
    paths: list[Path]
    names: list[str]


class _Receiver:
    """Multipart callbacks that stream file parts to disk under the limits."""

    def __init__(self, scratch: Path, settings: Settings) -> None:
        self.scratch, self.max_file = scratch, settings.max_file_bytes
        self.part = _Part()
        self.header_name = self.header_value = b""
        self.paths: list[Path] = []
        self.names: list[str] = []

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.begin,
            "on_part_data": self.data,
            "on_part_end": self.end,
            "on_header_field": self.field,
            "on_header_value": self.header,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_done,
        }

    def begin(self) -> None:
        self.part = _Part()

    def field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def header(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        self.part.headers[self.header_name.lower()] = self.header_value
        self.header_name = self.header_value = b""

    def headers_done(self) -> None:
        _kind, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options and self.part.name == "files":
            if len(self.paths) >= MAX_FILES:
                raise InputError(say("import", "too_many_files", most=MAX_FILES))
            chosen = options[b"filename"].decode("utf-8", "replace")
            target = self.scratch / f"{len(self.paths):05d}-{safe_name(chosen)}"
            self.part.filename, self.part.out = shown_name(chosen), target.open("wb")
            self.paths.append(target)
            self.names.append(self.part.filename)

    def data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self.part.out is None:
            if len(self.part.value) + len(chunk) > 64 * 1024:
                raise InputError(say("import", "field_too_long"))
            self.part.value += chunk
            return
        self.part.written += len(chunk)
        if self.part.written > self.max_file:
            raise OversizedInputError(
                say("import", "file_too_large", file=self.part.filename,
                    mb=self.max_file // (1024 * 1024))
            )  # fmt: skip
        self.part.out.write(chunk)

    def end(self) -> None:
        if self.part.out is not None:
            self.part.out.close()


async def receive_uploads(request: Request, settings: Settings) -> Received:
    """Stream the request's `files` into a new scratch folder; refused files raise at once."""
    _kind, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if not boundary:
        raise InputError(say("import", "not_multipart"))
    scratch = Path(tempfile.mkdtemp(prefix="backstride-upload-"))
    receiver = _Receiver(scratch, settings)
    try:
        parser = MultipartParser(boundary, receiver.callbacks())  # type: ignore[arg-type]
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except BodyTooLargeError as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        raise OversizedInputError(str(exc)) from None
    except Exception as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        if isinstance(exc, InputError | OversizedInputError):
            raise
        raise InputError(say("import", "cut_off")) from None
    finally:
        if receiver.part.out is not None:
            receiver.part.out.close()
    if not receiver.paths:
        shutil.rmtree(scratch, ignore_errors=True)
        raise InputError(say("import", "no_files"))
    return Received(scratch, receiver.paths, receiver.names)


def safe_name(name: str | None) -> str:
    """The file's own name without any folder part (never a path the client chose)."""
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).lstrip(".")
    return clean[-120:] or "upload"


def shown_name(name: str) -> str:
    """The chosen file's name as shown back to the person (folder parts dropped)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(c for c in base if c.isprintable())[:200] or "upload"

"""Bounded decompression: gzip and zip members read while counting every byte.

A bomb is refused, never expanded: each member's declared size is checked before reading
and its actual size while streaming (at most `max_file_bytes`, never more than declared),
the expansion ratio is capped once the output passes 1 MiB, and an archive's declared
total is capped too. macOS `__MACOSX/` and `._*` entries and `.DS_Store` are skipped.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, cast

from backstride.errors import CorruptFileError, OversizedInputError

_CHUNK = 1 << 20
#: Below this output size the ratio is not checked (tiny files compress very well).
_RATIO_FLOOR = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits for decompressed data (from Settings at the edge)."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_archive_total_bytes: int = 4 * 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0


def is_gzip(data: bytes) -> bool:
    """True when the bytes start with the gzip magic number."""
    return data[:2] == GZIP_MAGIC


def is_zip(data: bytes) -> bool:
    """True when the bytes start like a zip archive (including an empty one)."""
    return data[:4] in (ZIP_MAGIC, _EMPTY_ZIP_MAGIC)


def is_junk(name: str) -> bool:
    """macOS resource forks and folder metadata that are never activities."""
    path = PurePosixPath(name)
    return (
        "__MACOSX" in path.parts
        or path.name.startswith("._")
        or path.name in {".DS_Store", "Thumbs.db"}
    )


def gunzip(data: bytes, *, limits: Limits, name: str) -> bytes:
    """Decompress gzip data (all members) without ever exceeding the limits.

    Output is capped at the most the limits allow for this input (plus one byte, so an
    excess is detected), which is usually one zlib call and never an unbounded one.
    """
    ceiling = min(
        limits.max_file_bytes, max(int(limits.max_compression_ratio * len(data)), _RATIO_FLOOR)
    )
    # ISA-L inflates gzip in half the CPU time of zlib (same checks: CRC, length); loaded
    # here, when a gzip is met, so reading a plain file never imports it.
    from isal import isal_zlib

    broken = (zlib.error, cast(type[Exception], isal_zlib.error))  # its stub types an instance
    out = bytearray()
    pending = data
    while pending:
        inflater = isal_zlib.decompressobj(wbits=16 + isal_zlib.MAX_WBITS)
        try:
            out += inflater.decompress(pending, ceiling + 1 - len(out))
        except broken as exc:
            raise CorruptFileError(f"{name}: broken gzip data ({exc})") from exc
        _check_growth(len(out), len(data), limits=limits, name=name)
        if not inflater.eof:
            if inflater.unconsumed_tail:  # stopped at the ceiling: more output was coming
                _check_growth(ceiling + 1, len(data), limits=limits, name=name)
            raise CorruptFileError(f"{name}: gzip data ends early (truncated file)")
        pending = inflater.unused_data.lstrip(b"\x00")  # padding after the last member
    return bytes(out)


def _check_growth(size: int, compressed: int, *, limits: Limits, name: str) -> None:
    if size > limits.max_file_bytes:
        raise OversizedInputError(
            f"{name}: decompresses to more than {limits.max_file_bytes} bytes "
            "(the max_file_bytes limit); refused"
        )
    if size >= _RATIO_FLOOR and size > limits.max_compression_ratio * max(compressed, 1):
        raise OversizedInputError(
            f"{name}: expands more than {limits.max_compression_ratio:g}x "
            "(the max_compression_ratio limit; a decompression bomb?); refused"
        )


def zip_members(archive: zipfile.ZipFile, *, limits: Limits, name: str) -> list[zipfile.ZipInfo]:
    """The archive's file entries (junk skipped), after checking their declared sizes."""
    members = [i for i in archive.infolist() if not i.is_dir() and not is_junk(i.filename)]
    total = sum(info.file_size for info in members)
    if total > limits.max_archive_total_bytes:
        raise OversizedInputError(
            f"{name}: declares {total} bytes uncompressed, more than the "
            f"max_archive_total_bytes limit of {limits.max_archive_total_bytes}; refused"
        )
    return members


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limits: Limits, name: str
) -> bytes:
    """One zip entry's bytes, checked against its declared size and the limits."""
    label = f"{name}!{info.filename}"
    _check_growth(info.file_size, info.compress_size, limits=limits, name=label)
    out = bytearray()
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                out += chunk
                if len(out) > info.file_size:
                    raise OversizedInputError(f"{label}: larger than its declared size; refused")
                _check_growth(len(out), info.compress_size, limits=limits, name=label)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise CorruptFileError(f"{label}: broken zip entry ({exc})") from exc
    except RuntimeError as exc:  # zipfile raises RuntimeError for encrypted entries
        raise CorruptFileError(f"{label}: cannot read zip entry ({exc})") from exc
    return bytes(out)


def open_zip(source: str | os.PathLike[str] | IO[bytes], *, name: str) -> zipfile.ZipFile:
    """Open a zip archive from a path or file object, as a CorruptFileError when broken."""
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise CorruptFileError(f"{name}: not a readable zip archive ({exc})") from exc

"""Checking uploaded compressed files by streaming decompression, never holding more than
a small buffer: a decompression bomb is refused after reading about a megabyte of output
beyond the allowed expansion, whatever its final size would be."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from backstride.config import Settings
from backstride.errors import OversizedInputError

CHUNK_BYTES = 256 * 1024
#: Below this output size the expansion ratio is not checked (small files compress well).
RATIO_FLOOR_BYTES = 1024 * 1024


def check_compressed(path: Path, settings: Settings, *, name: str) -> None:
    """Refuse a gzip or zip file whose content is too large or expands too much."""
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic[:2] == b"\x1f\x8b":
        _check_gzip(path, settings, name=name)
    elif magic == b"PK\x03\x04":
        _check_zip(path, settings, name=name)


def _limit(settings: Settings, compressed: int, out: int, *, name: str) -> None:
    if out > settings.max_file_bytes:
        raise OversizedInputError(f"{name}: decompresses to more than the limit for one file")
    if out >= RATIO_FLOOR_BYTES and out > settings.max_compression_ratio * max(compressed, 1):
        raise OversizedInputError(
            f"{name}: expands more than {settings.max_compression_ratio:g} times "
            "(a decompression bomb?); refused"
        )


def _check_gzip(path: Path, settings: Settings, *, name: str) -> None:
    compressed = path.stat().st_size
    out = 0
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    with path.open("rb") as handle:
        while block := handle.read(CHUNK_BYTES):
            pending = block
            while pending:
                try:
                    out += len(inflater.decompress(pending, CHUNK_BYTES))
                except zlib.error:
                    return  # broken data: the import reports it as a broken file
                _limit(settings, compressed, out, name=name)
                pending = inflater.unconsumed_tail
                if inflater.eof:  # a further gzip member follows
                    pending = inflater.unused_data.lstrip(b"\x00") + pending
                    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
                    if not pending:
                        break


def _check_zip(path: Path, settings: Settings, *, name: str) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the import reports a broken archive
    total = 0
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            out = 0
            try:
                with archive.open(info) as member:
                    while block := member.read(CHUNK_BYTES):
                        out += len(block)
                        total += len(block)
                        _limit(settings, max(info.compress_size, 1), out,
                               name=f"{name}/{info.filename}")  # fmt: skip
                        if total > settings.max_archive_total_bytes:
                            raise OversizedInputError(f"{name}: its files together are too large")
            except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError):
                continue  # the import reports the broken member

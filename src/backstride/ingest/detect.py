"""Format detection by content (never by file name) and one entry point for any file."""

from __future__ import annotations

import io
import re

from backstride.domain.activity import Activity
from backstride.errors import NotActivityFileError
from backstride.ingest.archive import Limits, gunzip, is_gzip, is_zip, open_zip, read_member
from backstride.ingest.archive import zip_members as list_members

#: The first element name after any XML declaration, comments or doctype.
_ROOT = re.compile(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_SNIFF_BYTES = 64 * 1024


def detect_format(data: bytes) -> str | None:
    """'fit', 'gpx', 'tcx', 'gzip' or 'zip' from the bytes themselves; None otherwise."""
    if len(data) >= 12 and data[8:12] == b".FIT" and data[0] in (12, 14):
        return "fit"
    if is_gzip(data):
        return "gzip"
    if is_zip(data):
        return "zip"
    head = data[:_SNIFF_BYTES]
    head = _without_comments(head.lstrip(b"\xef\xbb\xbf \t\r\n"))
    if not head.startswith(b"<"):
        return None
    found = _ROOT.search(head)
    if found is None:
        return None
    return {b"gpx": "gpx", b"TrainingCenterDatabase": "tcx"}.get(found.group(1))


def _without_comments(head: bytes) -> bytes:
    return re.sub(rb"<!--.*?-->", b"", head, flags=re.DOTALL)


def read_activity(
    data: bytes,
    *,
    source_name: str = "",
    sport_hint: str | None = None,
    limits: Limits | None = None,
) -> Activity:
    """Read any supported file (FIT, GPX, TCX, gzipped, or a zip holding one of them)."""
    data, name = unwrap(data, limits=limits or Limits(), name=source_name or "file")
    return parse_activity(data, source_name=name, sport_hint=sport_hint)


def unwrap(data: bytes, *, limits: Limits, name: str) -> tuple[bytes, str]:
    """Undo gzip and single-file zip layers (bounded by `limits`); returns bytes and name."""
    for _ in range(3):  # a few layers at most (file.fit.gz inside a zip, ...)
        kind = detect_format(data)
        if kind == "gzip":
            data = gunzip(data, limits=limits, name=name)
        elif kind == "zip":
            data, name = _single_member(data, limits=limits, name=name)
        else:
            break
    return data, name


def parse_activity(
    data: bytes, *, source_name: str, sport_hint: str | None = None, source_hash: str | None = None
) -> Activity:
    """Parse uncompressed FIT, GPX or TCX bytes, chosen by content (`source_hash`: their
    sha256 when the caller has it already, so it is not computed twice)."""
    kind = detect_format(data)
    # Each reader is imported when its format is met: a FIT summary never loads lxml.
    if kind == "fit":
        from backstride.ingest.fit import read_fit

        return read_fit(data, source_name=source_name, source_hash=source_hash)
    if kind == "gpx":
        from backstride.ingest.gpx import read_gpx

        return read_gpx(
            data, source_name=source_name, sport_hint=sport_hint, source_hash=source_hash
        )
    if kind == "tcx":
        from backstride.ingest.tcx import read_tcx

        return read_tcx(
            data, source_name=source_name, sport_hint=sport_hint, source_hash=source_hash
        )
    raise NotActivityFileError(
        f"{source_name}: not an activity file "
        "(expected FIT, GPX or TCX, possibly gzipped or zipped)"
    )


def _single_member(data: bytes, *, limits: Limits, name: str) -> tuple[bytes, str]:
    with open_zip(io.BytesIO(data), name=name) as archive:
        members = list_members(archive, limits=limits, name=name)
        if len(members) != 1:
            raise NotActivityFileError(
                f"{name}: a zip archive holding {len(members)} files; "
                "expected exactly one here (use `backstride import` for archives)"
            )
        return read_member(archive, members[0], limits=limits, name=name), (
            f"{name}!{members[0].filename}"
        )

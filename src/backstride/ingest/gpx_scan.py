"""Fast column extraction for regular GPX files: one regular-expression pass per column.

Used only after lxml has parsed the same bytes (so the document is well-formed XML) and
only when the track is regular: no comments, CDATA, entities or doctype; every point has
`lat`/`lon` written in that order; and each column (time, ele, hr, cad, power, speed)
appears on every point or on none. Anything else returns None and the element walk in
`gpx.py` reads the file instead, so irregular files are never misread.
"""

from __future__ import annotations

import re
from typing import Any

_POINT = re.compile(rb"<trkpt\b")
_SEGMENT = re.compile(rb"<trkseg\b")
_LATLON = re.compile(rb'<trkpt lat="([^"]*)" lon="([^"]*)"')
#: Column -> element local name. Patterns are built per file with the prefix it uses, so
#: each pass starts from a literal (an order of magnitude faster than a generic prefix).
_NAMES = {
    "time": b"time",
    "ele": b"ele",
    "hr_bpm": b"hr",
    "cadence_spm": b"cad",
    "power_w": b"power",
    "speed_mps": b"speed",
}
#: Constructs a regular-expression reader could misread: leave those files to lxml.
_IRREGULAR = (b"<!", b"&", b"\x00", b"heartrate>", b"cadence>", b"watts>")  # <! : comment, CDATA


def _values(body: bytes, name: bytes) -> list[bytes] | None:
    """Every `<prefix:name>value</prefix:name>` text, when the file uses one spelling."""
    plain = b"<" + name + b">"
    at = body.find(b":" + name + b">")
    if plain in body:
        tag = name
        if at >= 0:
            return None  # both <name> and <prefix:name>: leave it to the element walk
    elif at >= 0:
        tag = body[body.rfind(b"<", 0, at) + 1 : at + 1] + name
    else:
        return []
    return re.findall(b"<" + re.escape(tag) + b">([^<]*)</" + re.escape(tag) + b">", body)


def scan_columns(data: bytes) -> tuple[dict[str, list[Any]], list[float]] | None:
    """Columns of strings and segment breaks, or None when the file is not regular."""
    first, last = data.find(b"<trkpt"), data.rfind(b"</trkpt>")
    if first < 0 or last < first:
        return None
    body = data[first : last + len(b"</trkpt>")]
    if any(marker in body for marker in _IRREGULAR):
        return None
    starts = [m.start() for m in _POINT.finditer(body)]
    n = len(starts)
    latlon = _LATLON.findall(body)
    if n == 0 or len(latlon) != n:
        return None
    # Numbers stay bytes (numpy parses them); only times are decoded.
    columns: dict[str, list[Any]] = {
        "lat": [lat for lat, _ in latlon],
        "lon": [lon for _, lon in latlon],
    }
    for column, name in _NAMES.items():
        found = _values(body, name)
        if found is None or len(found) not in (0, n):
            return None
        if column == "time":
            found = [v.decode().strip() for v in found]  # type: ignore[misc]
        columns[column] = found if found else [None] * n
    return columns, _breaks(body, starts)


def _breaks(body: bytes, starts: list[int]) -> list[float]:
    """1.0 at the first point of every segment (the first point always starts one)."""
    breaks = [0.0] * len(starts)
    breaks[0] = 1.0
    index = 0
    for match in _SEGMENT.finditer(body):
        while index < len(starts) and starts[index] < match.start():
            index += 1
        if index < len(starts):
            breaks[index] = 1.0
    return breaks

"""Activity-file readers: FIT, GPX, TCX and export archives -> Activity.

The names below are loaded on first use (PEP 562), so importing one reader, or the
package, does not import every format's parser (lxml for GPX/TCX, the FIT profile).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backstride.ingest.archive import Limits
    from backstride.ingest.detect import detect_format, read_activity
    from backstride.ingest.fit import read_fit
    from backstride.ingest.gpx import read_gpx
    from backstride.ingest.summary import FileSummary, summarize
    from backstride.ingest.tcx import read_tcx

_WHERE = {
    "FileSummary": "summary",
    "Limits": "archive",
    "detect_format": "detect",
    "read_activity": "detect",
    "read_fit": "fit",
    "read_gpx": "gpx",
    "read_tcx": "tcx",
    "summarize": "summary",
}
__all__ = [
    "FileSummary",
    "Limits",
    "detect_format",
    "read_activity",
    "read_fit",
    "read_gpx",
    "read_tcx",
    "summarize",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'backstride.ingest' has no attribute {name!r}")
    return getattr(importlib.import_module(f"backstride.ingest.{_WHERE[name]}"), name)

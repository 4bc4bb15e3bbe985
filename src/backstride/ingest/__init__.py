"""Activity-file readers: FIT, GPX, TCX and export archives -> Activity."""

from backstride.ingest.archive import Limits
from backstride.ingest.detect import detect_format, read_activity
from backstride.ingest.fit import read_fit
from backstride.ingest.gpx import read_gpx
from backstride.ingest.summary import FileSummary, summarize
from backstride.ingest.tcx import read_tcx

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

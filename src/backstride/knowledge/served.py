"""Which records a rendering looked up, for the records an output shows but cannot name.

Engine outputs carry the ids of the records that made them; a plain-word label or a
screen's sentence is shown as words only. Their lookups note the record here, and a test
that renders an output inside `records_served()` learns which of them it used (this is how
`kb trace` counts them as produced). Outside such a block nothing is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

#: The open `records_served` blocks, each collecting the ids looked up meanwhile.
_watchers: list[set[str]] = []


@contextmanager
def records_served() -> Iterator[set[str]]:
    """Collect the ids of the label and sentence records looked up while the block runs."""
    served: set[str] = set()
    _watchers.append(served)
    try:
        yield served
    finally:
        _watchers.remove(served)


def note_served(record_id: str) -> None:
    """Tell every open `records_served` block that `record_id` was looked up."""
    for served in _watchers:
        served.add(record_id)

"""Days on the command line and at prompts: the shells' one date parser lives in the domain
(`backstride.domain.dates`), shared with the web."""

from __future__ import annotations

from backstride.domain.dates import parse_day, read_day

__all__ = ["parse_day", "read_day"]

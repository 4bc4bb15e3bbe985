"""Assessment core: intake model, red flags, triage, patterns, questionnaires (pure).

`assess(case, kb)` (from `backstride.assess.triage`) is the entry point; it is re-exported
lazily here so importing a light module such as `backstride.assess.result` stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["assess"]


def __getattr__(name: str) -> Any:
    if name == "assess":
        from backstride.assess.triage import assess

        return assess
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

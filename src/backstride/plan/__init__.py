"""Plan core: phases, exercise prescription, return-to-run, prevention (pure).

The names below are loaded on first use, so a caller of one submodule (the diary's
re-triage, say) does not pay for the plan builder and the analytics it needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backstride.plan.build import build_plan, plan_status
    from backstride.plan.model import Day, PhaseBlock, Plan, PlanItem, Prescription, RunSession

_HOMES = {
    "build_plan": "backstride.plan.build",
    "plan_status": "backstride.plan.build",
    **dict.fromkeys(
        ("Day", "PhaseBlock", "Plan", "PlanItem", "Prescription", "RunSession"),
        "backstride.plan.model",
    ),
}

__all__ = [
    "Day",
    "PhaseBlock",
    "Plan",
    "PlanItem",
    "Prescription",
    "RunSession",
    "build_plan",
    "plan_status",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)

"""Plan core: phases, exercise prescription, return-to-run, prevention (pure)."""

from backstride.plan.build import build_plan, plan_status
from backstride.plan.model import Day, PhaseBlock, Plan, PlanItem, Prescription, RunSession

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

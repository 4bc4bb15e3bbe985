"""The weekly check-in re-tailors next week: ease, repeat or advance, with the reason shown.

Numbers and sentences are the `plan.checkin` record; the plan applies the verdict (an
eased week deloads the doses like a flare) and shows the reason and the step goal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.domain.checkin import CheckIn
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_rules import CHECKIN_ID, CheckInRule, CheckInVerdict
from backstride.knowledge.plan_texts import ItemKind
from backstride.knowledge.templates import fill
from backstride.plan.model import PlanItem


@dataclass(frozen=True, slots=True)
class Retailored:
    """What the latest check-in does to next week, and why."""

    verdict: CheckInVerdict
    reason_id: str
    item: PlanItem
    goal_steps: int | None


def retailor(checkins: Sequence[CheckIn], *, today: date, kb: KnowledgeBase) -> Retailored | None:
    """The latest recent check-in compared with the one before; None without a recent one.

    References: sandal-2021-selfback, ostelo-2008
    """
    rule = kb.one(CheckInRule, CHECKIN_ID)
    known = sorted((c for c in checkins if c.week_end <= today), key=lambda c: c.week_end)
    if not known or today - known[-1].week_end > timedelta(days=rule.max_age_days):
        return None
    latest, previous = known[-1], (known[-2] if len(known) > 1 else None)
    verdict, reason_id = _verdict(rule, latest, previous)
    goal_steps = _step_goal(rule, latest, verdict)
    values = {
        "pain": latest.pain, "function": latest.function, "sessions": latest.sessions_done,
        "previous_pain": previous.pain if previous else None,
        "previous_function": previous.function if previous else None,
        "min_sessions": rule.min_sessions, "rise_points": rule.pain_rise_points,
        "drop_points": rule.function_drop_points, "steps": latest.steps_per_day,
        "goal_steps": goal_steps, "goal": latest.goal,
    }  # fmt: skip
    lines = [fill(rule.reasons[reason_id], values)]
    if goal_steps is not None:
        lines.append(fill(rule.steps_text, values))
    if latest.goal:
        lines.append(fill(rule.goal_text, values))
    kind: ItemKind = "warning" if verdict == "ease" else "advice"
    item = PlanItem("top.checkin", kind, rule.titles[verdict], " ".join(lines), (rule.id,),
                    rule.sources)  # fmt: skip
    return Retailored(verdict, reason_id, item, goal_steps)


def _verdict(
    rule: CheckInRule, latest: CheckIn, previous: CheckIn | None
) -> tuple[CheckInVerdict, str]:
    if previous is not None and latest.pain >= previous.pain + rule.pain_rise_points:
        return "ease", "pain_rose"
    if previous is not None and latest.function <= previous.function - rule.function_drop_points:
        return "ease", "function_dropped"
    if latest.sessions_done < rule.min_sessions:
        return "repeat", "few_sessions"
    return "advance", "steady" if previous is not None else "first"


def _step_goal(rule: CheckInRule, latest: CheckIn, verdict: CheckInVerdict) -> int | None:
    """Next week's daily steps: a little more on advance, the same otherwise, within bounds."""
    if latest.steps_per_day is None:
        return None
    rise = 1 + rule.step_rise_pct / 100 if verdict == "advance" else 1.0
    goal = round(latest.steps_per_day * rise / 100) * 100
    return int(min(max(goal, rule.step_goal_min), rule.step_goal_max))

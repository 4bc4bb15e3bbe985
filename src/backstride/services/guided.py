"""The guided path's use cases: keep the check, plan from it, re-tailor, and check in later.

The check's answers become the stored assessment (the diary's baseline and the report's
history) and the running answers become the runner's profile; the plan is built from the
latest stored check and the stored training history, so no case file is ever needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult
from backstride.config import Settings
from backstride.errors import InputError
from backstride.services.assessment import assess_case
from backstride.services.plans import PlanOutcome, plan_for_case
from backstride.services.store import local_runner, store_session
from backstride.services.tracking import record_assessment
from backstride.storage import tracking as repo


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the runner is: their latest check, whether a plan was given, diary days."""

    last_check_on: date | None
    urgency: str | None
    has_plan: bool
    diary_entries: int

    @property
    def checked(self) -> bool:
        """True once a check has been kept."""
        return self.last_check_on is not None


def standing(settings: Settings) -> Standing:
    """The runner's latest check, plan and diary, as `backstride start` needs them."""
    with store_session(settings) as session:
        runner_id = local_runner(session).id
        checks = repo.list_assessments(session, runner_id=runner_id)
        plan = repo.latest_plan_snapshot(session, runner_id=runner_id)
        entries = repo.list_diary_entries(session, runner_id=runner_id)
    last = checks[-1] if checks else None
    return Standing(
        last_check_on=last.created_at.astimezone().date() if last else None,
        urgency=last.urgency if last else None,
        has_plan=plan is not None,
        diary_entries=len(entries),
    )


def keep_check(settings: Settings, case: Case, result: AssessmentResult, *, now: datetime) -> int:
    """Store the finished check and make its running answers the runner's profile."""
    with store_session(settings) as session:
        runner = local_runner(session)
        runner.profile = {
            **(runner.profile or {}),
            "running": case.running.model_dump(mode="json", exclude_defaults=True),
        }
        return record_assessment(session, case, result, now=now)


def running_profile(settings: Settings) -> dict[str, Any]:
    """The running answers kept from the latest check (empty before the first)."""
    with store_session(settings) as session:
        profile = local_runner(session).profile or {}
    running = profile.get("running", {})
    return dict(running) if isinstance(running, dict) else {}


def latest_case(settings: Settings) -> Case:
    """The case of the latest kept check; InputError when there is none yet."""
    with store_session(settings) as session:
        checks = repo.list_assessments(session, runner_id=local_runner(session).id)
    if not checks:
        raise InputError(
            "no check has been kept yet: run `backstride start` (or pass --input case.yaml)"
        )
    return Case.model_validate(checks[-1].case)


def plan_from_check(
    settings: Settings,
    *,
    today: date,
    now: datetime,
    start: date | None = None,
    weeks: int | None = None,
) -> PlanOutcome:
    """The plan of the latest kept check with the stored history, kept for the report."""
    case = latest_case(settings)
    return plan_for_case(
        case, assess_case(case), settings=settings, today=today, start=start, weeks=weeks,
        use_store=True, keep=True, now=now,
    )  # fmt: skip

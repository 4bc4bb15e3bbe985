"""Sharing with a clinician: shares, the clinician's runners and their read-only summary,
recorded reviews, and every runner's audit log of who saw or changed their data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from backstride.config import Settings
from backstride.errors import BackstrideError, NotFoundError
from backstride.services.store import acting_as, store_session
from backstride.services.texts import service_text
from backstride.storage import accounts as users_repo
from backstride.storage import reviews
from backstride.storage import sharing as repo
from backstride.storage.credentials import aware

if TYPE_CHECKING:
    from backstride.knowledge.analytics_params import ReportSpans

#: Audit actions (ids; the pages turn them into words).
AUDIT_ACTIONS = (
    "signed_in", "password_changed", "signed_out_everywhere", "token_created", "token_revoked",
    "share_created", "share_revoked", "clinician_viewed", "clinician_reviewed", "exported",
    "device_upload", "device_write",
)  # fmt: skip


class NotClinicianError(BackstrideError):
    """The account to share with does not hold the clinician role."""


class ForbiddenError(BackstrideError):
    """The signed-in account may not do this (its role does not allow it)."""


@dataclass(frozen=True)
class SharedRunner:
    """A runner who shares with the clinician."""

    id: int
    email: str
    name: str | None
    since: datetime


def audit(settings: Settings, *, user_id: int, actor: str, action: str, at: datetime) -> None:
    """Log one access to or change of the account's data."""
    with store_session(settings) as session:
        repo.add_audit(session, user_id=user_id, actor=actor, action=action, at=at)


def audit_log(settings: Settings, *, user_id: int) -> list[dict[str, Any]]:
    """The account's own audit log, newest first."""
    with store_session(settings) as session:
        return [{"at": aware(e.at).isoformat(), "actor": e.actor, "action": e.action}
                for e in repo.audit_log(session, user_id=user_id)]  # fmt: skip


def share(settings: Settings, *, user_id: int, clinician_email: str, now: datetime) -> int:
    """Let a clinician read this runner's data; the share's id."""
    with store_session(settings) as session:
        clinician = users_repo.find_user(session, email=clinician_email)
        if clinician is None or "clinician" not in clinician.roles or clinician.id == user_id:
            raise NotClinicianError(service_text("accounts", "no_clinician"))
        row = repo.add_share(session, runner_user_id=user_id, clinician_user_id=clinician.id,
                             now=now)  # fmt: skip
        me = users_repo.get_user(session, user_id)
        repo.add_audit(session, user_id=user_id, actor=me.email, action="share_created", at=now)
        return row.id


def list_shares(settings: Settings, *, user_id: int) -> list[dict[str, Any]]:
    """The runner's live shares."""
    with store_session(settings) as session:
        out = []
        for row in repo.shares_of_runner(session, runner_user_id=user_id):
            clinician = users_repo.get_user(session, row.clinician_user_id)
            out.append({"id": row.id, "clinician_email": clinician.email,
                        "created_at": aware(row.created_at).isoformat()})  # fmt: skip
        return out


def revoke(settings: Settings, *, user_id: int, share_id: int, now: datetime) -> None:
    """End one share at once (NotFoundError for anyone else's)."""
    with store_session(settings) as session:
        repo.revoke_share(session, runner_user_id=user_id, share_id=share_id, now=now)
        me = users_repo.get_user(session, user_id)
        repo.add_audit(session, user_id=user_id, actor=me.email, action="share_revoked", at=now)


def _require_clinician(roles: tuple[str, ...]) -> None:
    if "clinician" not in roles:
        raise ForbiddenError(service_text("accounts", "not_clinician"))


def shared_runners(
    settings: Settings, *, clinician_id: int, roles: tuple[str, ...]
) -> list[SharedRunner]:
    """The runners who share with this clinician."""
    _require_clinician(roles)
    with store_session(settings) as session:
        out = []
        for row in repo.shares_with_clinician(session, clinician_user_id=clinician_id):
            runner = users_repo.get_user(session, row.runner_user_id)
            out.append(SharedRunner(runner.id, runner.email, runner.name, aware(row.created_at)))
        return out


def _check_shared(settings: Settings, *, clinician_id: int, runner_id: int) -> str:
    """The clinician's email when this runner shares with them; NotFoundError otherwise."""
    with store_session(settings) as session:
        if repo.active_share(session, runner_user_id=runner_id, clinician_user_id=clinician_id):
            return users_repo.get_user(session, clinician_id).email
    raise NotFoundError(service_text("accounts", "no_share", id=runner_id))


def runner_summary(
    settings: Settings, *, clinician_id: int, roles: tuple[str, ...], runner_id: int,
    today: date, now: datetime,
) -> dict[str, Any]:  # fmt: skip
    """A shared runner's read-only summary (escalation first); the access is audited."""
    from backstride.progress.status import status_dict
    from backstride.services.tracking import list_entries, progress_status

    _require_clinician(roles)
    reviewer = _check_shared(settings, clinician_id=clinician_id, runner_id=runner_id)
    from backstride.services.runner_data import current_assessment

    with acting_as(runner_id):
        status = status_dict(progress_status(settings, today=today))
        try:
            assessment: dict[str, Any] | None = current_assessment(settings)
        except NotFoundError:
            assessment = None
        shown = _spans().clinician_diary_entries
        diary = [_entry_json(e.id, e.entry) for e in list_entries(settings)[-shown:]]
        weekly = _weekly_training(settings, today=today)
    with store_session(settings) as session:
        runner = users_repo.get_user(session, runner_id)
        latest = reviews.latest_review(session, user_id=runner_id)
        repo.add_audit(session, user_id=runner_id, actor=reviewer, action="clinician_viewed",
                       at=now)  # fmt: skip
        email = runner.email
    return {
        "runner": {"id": runner_id, "email": email},
        "escalation": status["escalation"],
        "assessment": assessment,
        "progress": status,
        "recent_diary": diary,
        "weekly_training": weekly,
        "latest_review": None if latest is None else {
            "reviewer": latest.reviewer, "note": latest.note, "at": latest.at.isoformat()},
    }  # fmt: skip


def _entry_json(entry_id: int, entry: Any) -> dict[str, Any]:
    """The shared view of an entry: the API's fields a clinician reads at a glance."""
    from backstride.services.runner_data import entry_json

    full = entry_json(entry_id, entry)
    return {name: full[name] for name in ("id", "at", "pain", "worst", "red_flags")}


def _spans() -> ReportSpans:
    """The periods the clinician report covers (the `report.spans` record)."""
    from backstride.knowledge import load_knowledge_base
    from backstride.knowledge.analytics_params import REPORT_SPANS_ID, ReportSpans

    return load_knowledge_base().one(ReportSpans, REPORT_SPANS_ID)


def _weekly_training(settings: Settings, *, today: date) -> list[dict[str, Any]]:
    """Distance and run count per week (Monday first) over the clinician report's weeks."""
    from backstride.services.activities import list_history

    weeks_shown = _spans().clinician_training_weeks
    start = today - timedelta(days=today.weekday(), weeks=weeks_shown - 1)
    weeks: dict[date, dict[str, Any]] = {}
    for row in list_history(settings, since=start):
        day = row.start_time.date()
        monday = day - timedelta(days=day.weekday())
        week = weeks.setdefault(monday, {"week": monday.isoformat(), "runs": 0, "distance_m": 0.0})
        week["runs"] += 1
        week["distance_m"] += row.distance_m or 0.0
    return [weeks[k] for k in sorted(weeks)]


def add_review(
    settings: Settings, *, clinician_id: int, roles: tuple[str, ...], runner_id: int, note: str,
    now: datetime,
) -> int:  # fmt: skip
    """Record the clinician's review of a shared runner; its id."""
    _require_clinician(roles)
    reviewer = _check_shared(settings, clinician_id=clinician_id, runner_id=runner_id)
    with store_session(settings) as session:
        review = reviews.record_review(session, user_id=runner_id, note=note, reviewer=reviewer,
                                       at=now)  # fmt: skip
        repo.add_audit(session, user_id=runner_id, actor=reviewer, action="clinician_reviewed",
                       at=now)  # fmt: skip
        return review.id

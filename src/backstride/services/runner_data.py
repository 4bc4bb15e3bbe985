"""The signed-in runner's own data for the JSON API: current assessment, plan from it, diary
edits, single activities, a whole-account export and deleting the account.

Each use case acts for the account the shell set (`services.store.acting_as`), so a
record of anyone else is simply not found.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select

from backstride.config import Settings
from backstride.domain.diary import entry_fields
from backstride.errors import InputError, NotFoundError
from backstride.services.cache import Slot, slot_of
from backstride.services.store import (
    acting_runner_id,
    acting_user,
    local_runner,
    open_store,
    store_session,
)
from backstride.services.versions import forget_runner
from backstride.storage import accounts as users_repo
from backstride.storage import tracking as repo
from backstride.storage.activity_tables import ActivityRow
from backstride.storage.credentials import aware
from backstride.storage.tracking import DiaryEntryRow

if TYPE_CHECKING:
    from backstride.domain.diary import DiaryEntry
    from backstride.services.plans import PlanFormat

T = TypeVar("T")


def current_assessment(settings: Settings) -> dict[str, Any]:
    """The newest stored assessment: its id, when, the case and the contract's result."""
    with store_session(settings) as session:
        latest = repo.latest_assessment(session, runner_id=local_runner(session).id)
    if latest is None:
        raise NotFoundError("assessment: there is no current assessment yet; send one first")
    return {"id": latest.id, "created_at": latest.created_at.isoformat(), "case": latest.case,
            "result": latest.result}  # fmt: skip


def current_plan(
    settings: Settings, *, today: date, now: datetime, weeks: int | None = None
) -> Any:
    """The plan built from the current assessment (with stored training and diary).

    It is kept until the runner's data (or the day) changes, so every view of that day shows
    the plan the runner was given, and its snapshot is stored once, when it was built (at
    `now`, the shell's time).
    """
    build = lambda: _build_plan(settings, today=today, now=now, weeks=weeks)  # noqa: E731
    return kept_for_runner(settings, ("plan", today, weeks), build)


def current_plan_as(
    settings: Settings,
    fmt: PlanFormat,
    *,
    today: date,
    now: datetime,
    weeks: int | None = None,
    **options: Any,
) -> Any:
    """The current plan rendered as `fmt` with the renderer's `options` (kept like the plan
    it renders, for those options)."""
    from backstride.services.plans import render

    key = ("plan-as", fmt, today, weeks, tuple(sorted(options.items())))
    return kept_for_runner(settings, key, lambda: render(
        current_plan(settings, today=today, now=now, weeks=weeks), fmt, **options))  # fmt: skip


def kept_for_runner(settings: Settings, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` for the acting account's runner, kept until that runner's data changes.

    No session is held while computing (`compute` opens its own); when the request knows
    its runner, a kept result is served without touching the database.
    """
    kept: Slot[T] = slot_of(open_store(settings), acting_runner_id(settings), key)
    return kept.value if kept.hit else kept.keep(compute())


def _build_plan(settings: Settings, *, today: date, now: datetime, weeks: int | None) -> Any:
    from backstride.assess.casefile import case_from_data
    from backstride.services.assessment import assess_case
    from backstride.services.plans import plan_for_case

    case = case_from_data(current_assessment(settings)["case"])
    return plan_for_case(case, assess_case(case), settings=settings, today=today,
                         weeks=weeks, use_store=True, now=now)  # fmt: skip


#: API diary field name -> the diary entry's field name (the one mapping of the API).
API_FIELDS = {"pain": "pain_now", "worst": "pain_worst", "during": "pain_during_run",
              "morning": "pain_next_morning", "stiffness": "stiffness", "locations": "locations",
              "leg_symptoms": "leg_symptoms", "red_flags": "new_red_flags",
              "exercises": "exercises_done", "sleep_hours": "sleep_hours",
              "note": "note", "steps": "steps"}  # fmt: skip
#: API field name -> the diary form's field name (the form names new red flags `red_flags`).
DIARY_FIELDS = {"date": "on", "rmdq_items": "rmdq_items"} | {
    api: "red_flags" if name == "new_red_flags" else name for api, name in API_FIELDS.items()
}


def entry_json(entry_id: int, entry: DiaryEntry) -> dict[str, Any]:
    """A diary entry as the API shows it."""
    values = entry_fields(entry)
    head = {"id": entry_id, "date": entry.at.date().isoformat(), "at": entry.at.isoformat()}
    return head | {api: values[name] for api, name in API_FIELDS.items()}


def diary_values(fields: dict[str, Any]) -> dict[str, Any]:
    """API diary fields as the diary service's raw values (unset fields left out)."""
    return {DIARY_FIELDS[k]: v for k, v in fields.items() if k in DIARY_FIELDS and v is not None}


def update_diary_entry(
    settings: Settings, entry_id: int, changes: dict[str, Any], *, now: datetime
) -> tuple[dict[str, Any], Any]:
    """Change one entry in place; red flags can only be added (and then re-run triage)."""
    from backstride.services import tracking
    from backstride.services.diary import entry_from

    with store_session(settings) as session:
        runner_id = local_runner(session).id
        row = session.get(DiaryEntryRow, entry_id)
        if row is None or row.runner_id != runner_id:
            raise NotFoundError(f"diary entry id {entry_id} does not exist")
        before = repo.list_diary_entries(session, runner_id=runner_id)
        old = next(s.entry for s in before if s.id == entry_id)
        merged = diary_values(entry_json(entry_id, old)) | diary_values(changes)
        merged["on"], merged["at_time"] = merged.get("on", old.at.date()), old.at.time()
        merged["red_flags"] = tuple(dict.fromkeys([*old.new_red_flags, *merged["red_flags"]]))
        form = tracking.parse_diary_form(merged)
        entry = entry_from(form, now=now, run_keys=old.run_keys)
        repo.replace_diary_entry(row, entry)
        session.flush()
        escalation = tracking.standing_escalation(session, runner_id)
    return entry_json(entry_id, entry), escalation


def diary_entry(settings: Settings, entry_id: int) -> dict[str, Any]:
    """One of the runner's diary entries."""
    with store_session(settings) as session:
        runner_id = local_runner(session).id
        for stored in repo.list_diary_entries(session, runner_id=runner_id):
            if stored.id == entry_id:
                return entry_json(stored.id, stored.entry)
    raise NotFoundError(f"diary entry id {entry_id} does not exist")


def activity_json(row: Any) -> dict[str, Any]:
    """A stored activity's summary as the API shows it."""
    return {"id": row.id, "sport": row.sport, "start_time": aware(row.start_time).isoformat(),
            "duration_s": row.duration_s, "distance_m": row.distance_m,
            "avg_hr_bpm": row.avg_hr_bpm, "avg_cadence_spm": row.avg_cadence_spm,
            "device": row.device, "name": row.name, "surface": row.surface}  # fmt: skip


def get_activity(settings: Settings, activity_id: int) -> dict[str, Any]:
    """One of the runner's activities (NotFoundError for anyone else's)."""
    with store_session(settings) as session:
        row = session.get(ActivityRow, activity_id)
        if row is None or row.runner_id != local_runner(session).id:
            raise NotFoundError(f"activity id {activity_id} does not exist")
        return activity_json(row)


def delete_activity(settings: Settings, activity_id: int) -> None:
    """Remove one of the runner's activities and its samples file."""
    with store_session(settings) as session:
        row = session.get(ActivityRow, activity_id)
        if row is None or row.runner_id != local_runner(session).id:
            raise NotFoundError(f"activity id {activity_id} does not exist")
        samples = row.samples_path
        session.delete(row)
    if samples:
        (settings.samples_dir / samples).unlink(missing_ok=True)


def account_export(settings: Settings, *, now: datetime) -> dict[str, Any]:
    """Everything of the acting account: its profile and every runner-owned row."""
    from backstride.services.data_export import _row_json, _tables

    with store_session(settings) as session:
        user = acting_user(session)
        runner_id = local_runner(session).id
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in _tables(session.connection()):
            owner = table.c.get("runner_id")
            if owner is not None and table.name != "users":  # the account is shown below
                rows = session.execute(select(table).where(owner == runner_id))
                tables[table.name] = [_row_json(table, r._mapping) for r in rows]
        account = {"id": user.id, "email": user.email, "name": user.name, "roles": user.roles,
                   "research_consent": user.research_consent,
                   "created_at": aware(user.created_at).isoformat()}  # fmt: skip
    return {"format": "backstride-account-export", "format_version": 1,
            "exported_at": now.astimezone(UTC).isoformat(), "account": account,
            "tables": tables}  # fmt: skip


def delete_account(settings: Settings, *, user_id: int, password: str) -> None:
    """Remove the account and all its data after checking its password."""
    from backstride.services.accounts import SignInError, _verify

    with store_session(settings) as session:
        user = users_repo.get_user(session, user_id)
        if not _verify(user, password):
            raise SignInError("password: the password is not right")
        runner = users_repo.runner_of(session, user)
        names = list(
            session.scalars(
                select(ActivityRow.samples_path).where(
                    ActivityRow.runner_id == runner.id, ActivityRow.samples_path.is_not(None)
                )
            )
        )
        users_repo.delete_user(session, user)
    forget_runner(settings.home, runner.id)  # its kept results and pages go with it
    for name in names:
        if name:
            (settings.samples_dir / name).unlink(missing_ok=True)


def check_plan_start(start: date | None, *, today: date) -> None:
    """Refuse a plan start the calendar cannot hold (a plan runs for weeks after it)."""
    if start is not None and not date(2000, 1, 1) <= start <= date(today.year + 5, 12, 31):
        raise InputError(f"start: expected a date between 2000 and {today.year + 5}, got {start}")

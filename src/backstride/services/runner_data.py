"""The signed-in runner's own data for the JSON API: current assessment, plan from it, diary
edits, single activities, a whole-account export and deleting the account.

Each use case acts for the account the shell set (`services.store.acting_as`), so a
record of anyone else is simply not found.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from backstride.config import Settings
from backstride.errors import InputError, NotFoundError
from backstride.services.store import acting_user, local_runner, store_session
from backstride.storage import accounts as users_repo
from backstride.storage import tracking as repo
from backstride.storage.activity_tables import ActivityRow
from backstride.storage.credentials import aware
from backstride.storage.tracking import DiaryEntryRow


def current_assessment(settings: Settings) -> dict[str, Any]:
    """The newest stored assessment: its id, when, the case and the contract's result."""
    with store_session(settings) as session:
        found = repo.list_assessments(session, runner_id=local_runner(session).id)
    if not found:
        raise NotFoundError("assessment: there is no current assessment yet; send one first")
    latest = found[-1]
    return {"id": latest.id, "created_at": latest.created_at.isoformat(), "case": latest.case,
            "result": latest.result}  # fmt: skip


def current_plan(settings: Settings, *, today: date, weeks: int = 6) -> Any:
    """The plan built from the current assessment (with stored training and diary)."""
    from backstride.services.plans import make_plan

    case = current_assessment(settings)["case"]
    return make_plan("-", stdin=io.StringIO(json.dumps(case)), settings=settings, today=today,
                     weeks=weeks, use_store=True)  # fmt: skip


def entry_json(entry_id: int, entry: Any) -> dict[str, Any]:
    """A diary entry as the API shows it."""
    return {"id": entry_id, "date": entry.at.date().isoformat(), "at": entry.at.isoformat(),
            "pain": entry.pain_now, "worst": entry.pain_worst,
            "during": entry.pain_during_run, "morning": entry.pain_next_morning,
            "stiffness": entry.stiffness, "locations": list(entry.locations),
            "leg_symptoms": entry.leg_symptoms, "red_flags": list(entry.new_red_flags),
            "exercises": list(entry.exercises_done), "sleep_hours": entry.sleep_hours,
            "note": entry.note}  # fmt: skip


#: API field name -> the diary service's field name.
DIARY_FIELDS = {"date": "on", "pain": "pain_now", "worst": "pain_worst",
                "during": "pain_during_run", "morning": "pain_next_morning",
                "stiffness": "stiffness", "locations": "locations",
                "leg_symptoms": "leg_symptoms", "red_flags": "red_flags",
                "exercises": "exercises_done", "sleep_hours": "sleep_hours", "note": "note",
                "rmdq_items": "rmdq_items"}  # fmt: skip


def diary_values(fields: dict[str, Any]) -> dict[str, Any]:
    """API diary fields as the diary service's raw values (unset fields left out)."""
    return {DIARY_FIELDS[k]: v for k, v in fields.items() if k in DIARY_FIELDS and v is not None}


def update_diary_entry(
    settings: Settings, entry_id: int, changes: dict[str, Any], *, now: datetime
) -> tuple[dict[str, Any], Any]:
    """Change one entry in place; red flags can only be added (and then re-run triage)."""
    from backstride.services import tracking

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
        entry = tracking._entry_from(form, now=now, run_keys=old.run_keys)
        _copy_entry(row, entry)
        added = tuple(f for f in entry.new_red_flags if f not in old.new_red_flags)
        escalation = tracking._red_flag_escalation(session, runner_id, added) if added else None
    return entry_json(entry_id, entry), escalation


def _copy_entry(row: DiaryEntryRow, entry: Any) -> None:
    row.at = entry.at.replace(tzinfo=None, microsecond=0)
    row.pain_now, row.pain_worst = entry.pain_now, entry.pain_worst
    row.pain_during_run, row.pain_next_morning = entry.pain_during_run, entry.pain_next_morning
    row.stiffness, row.locations = entry.stiffness, list(entry.locations)
    row.leg_symptoms, row.new_red_flags = entry.leg_symptoms, list(entry.new_red_flags)
    row.exercises_done, row.sleep_hours = list(entry.exercises_done), entry.sleep_hours
    row.note = entry.note


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
            if owner is not None:
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
    for name in names:
        if name:
            (settings.samples_dir / name).unlink(missing_ok=True)


def check_plan_start(start: date | None, *, today: date) -> None:
    """Refuse a plan start the calendar cannot hold (a plan runs for weeks after it)."""
    if start is not None and not date(2000, 1, 1) <= start <= date(today.year + 5, 12, 31):
        raise InputError(f"start: expected a date between 2000 and {today.year + 5}, got {start}")

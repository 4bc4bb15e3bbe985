"""Activity and shoe tables, and the repository the services and analytics use.

Every function takes a `Session` and never commits: the caller owns the transaction.
Times are stored as UTC and always come back timezone-aware (SQLite drops the zone).
Samples live in files (see `storage.samples`); a row keeps only the file name. The tables
themselves are in `storage.activity_tables` (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from backstride.domain.activity import Activity, Samples
from backstride.errors import NotFoundError
from backstride.storage import direct
from backstride.storage.activity_tables import ActivityRow, ShoeRow
from backstride.storage.db import direct_store_of
from backstride.storage.direct import ActivitySummary
from backstride.storage.samples import read_samples
from backstride.storage.shoes import (
    ShoeSummary,
    add_shoe,
    assign_shoe,
    delete_shoe,
    find_shoe,
    get_or_add_shoe,
    list_shoes,
    retire_shoe,
    shoe_distances_km,
    update_shoe,
)

__all__ = [
    "ActivityRow",
    "ActivityStats",
    "ActivitySummary",
    "NewActivity",
    "ShoeRow",
    "ShoeSummary",
    "activity_exists_at",
    "activity_exists_by_hash",
    "add_activities",
    "add_activity",
    "add_shoe",
    "assign_shoe",
    "delete_shoe",
    "find_shoe",
    "get_or_add_shoe",
    "known_keys",
    "known_runs",
    "list_activity_summaries",
    "list_sample_names",
    "list_shoes",
    "load_samples",
    "retire_shoe",
    "set_surface",
    "shoe_distances_km",
    "update_shoe",
]


@dataclass(frozen=True, slots=True)
class ActivityStats:
    """Summary values computed from an activity's samples at import time."""

    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    avg_cadence_spm: float | None
    avg_speed_mps: float | None
    has_running_dynamics: bool


def as_utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (naive values are taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _stored_time(moment: datetime) -> datetime:
    # Always aware UTC to the second: SQLite keeps the UTC wall time, PostgreSQL the instant.
    return as_utc(moment).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class NewActivity:
    """Everything one activity row needs (its samples file is already written)."""

    activity: Activity
    stats: ActivityStats
    samples_path: str | None
    shoe_id: int | None = None
    #: how many samples the file held, when `activity` no longer carries them
    records: int | None = None


def add_activity(
    session: Session,
    *,
    runner_id: int,
    activity: Activity,
    stats: ActivityStats,
    samples_path: str | None,
    shoe_id: int | None = None,
    imported_at: datetime,
) -> int:
    """Insert an activity row (its samples file must already be written); returns its id."""
    new = NewActivity(activity, stats, samples_path, shoe_id)
    (activity_id,) = add_activities(
        session, runner_id=runner_id, new=[new], imported_at=imported_at
    )
    return activity_id


def add_activities(
    session: Session, *, runner_id: int, new: list[NewActivity], imported_at: datetime
) -> list[int]:
    """Insert many activity rows; returns their ids in the given order.

    One executemany INSERT, then one SELECT of the new ids by content hash (unique per
    runner): SQLite cannot return ids of a multi-row INSERT in parameter order, so
    `RETURNING ... sort_by_parameter_order` fell back to one statement per row. The
    statement goes through the session, so its listeners (the web cache) see the write.
    """
    if not new:
        return []
    rows = [_row_values(item, runner_id=runner_id, imported_at=imported_at) for item in new]
    # The table's (Core) INSERT: one executemany; the ORM's bulk path ran one per row.
    session.execute(insert(cast(Table, ActivityRow.__table__)), rows)
    hashes = [item.activity.source_hash for item in new]
    found = session.execute(
        select(ActivityRow.source_hash, ActivityRow.id).where(
            ActivityRow.runner_id == runner_id, ActivityRow.source_hash.in_(hashes)
        )
    )
    ids: dict[str, int] = {row[0]: row[1] for row in found}
    return [ids[source_hash] for source_hash in hashes]


def _row_values(item: NewActivity, *, runner_id: int, imported_at: datetime) -> dict[str, object]:
    activity, stats = item.activity, item.stats
    return {
        "runner_id": runner_id,
        "sport": activity.sport,
        "sub_sport": activity.sub_sport,
        "start_time": _stored_time(activity.start_time),
        "device": activity.device,
        "duration_s": float(activity.duration_s),
        "moving_time_s": activity.moving_time_s,
        "distance_m": activity.distance_m,
        "avg_hr_bpm": stats.avg_hr_bpm,
        "max_hr_bpm": stats.max_hr_bpm,
        "avg_cadence_spm": stats.avg_cadence_spm,
        "avg_speed_mps": stats.avg_speed_mps,
        "has_running_dynamics": stats.has_running_dynamics,
        "records": len(activity.samples) if item.records is None else item.records,
        "source_format": activity.source_format,
        "source_hash": activity.source_hash,
        "name": activity.name[:300] if activity.name else None,
        "shoe_id": item.shoe_id,
        "surface": _surface_from(activity.sub_sport),
        "samples_path": item.samples_path,
        "imported_at": _stored_time(imported_at),
    }


#: sub_sport values that name a running surface (FIT vocabulary).
_SURFACES = frozenset({"treadmill", "trail", "track", "street", "road", "indoor_running"})


def _surface_from(sub_sport: str | None) -> str | None:
    return sub_sport if sub_sport in _SURFACES else None


def activity_exists_by_hash(session: Session, *, runner_id: int, source_hash: str) -> bool:
    """True when this runner already has an activity with this content hash."""
    query = select(ActivityRow.id).where(
        ActivityRow.runner_id == runner_id, ActivityRow.source_hash == source_hash
    )
    return session.scalars(query.limit(1)).first() is not None


def activity_exists_at(
    session: Session, *, runner_id: int, start_time: datetime, device: str | None
) -> bool:
    """True when this runner has an activity starting at that second on that device."""
    query = select(ActivityRow.id).where(
        ActivityRow.runner_id == runner_id,
        ActivityRow.start_time == _stored_time(start_time),
        ActivityRow.device.is_(None) if device is None else ActivityRow.device == device,
    )
    return session.scalars(query.limit(1)).first() is not None


def known_keys(session: Session, *, runner_id: int) -> tuple[set[str], set[tuple[datetime, str]]]:
    """All content hashes and (UTC start, device) keys a runner has: for bulk dedupe."""
    rows = session.execute(
        select(ActivityRow.source_hash, ActivityRow.start_time, ActivityRow.device).where(
            ActivityRow.runner_id == runner_id
        )
    ).all()
    hashes = {row[0] for row in rows}
    starts = {(as_utc(row[1]), row[2] or "") for row in rows}
    return hashes, starts


def known_runs(session: Session, *, runner_id: int) -> list[tuple[datetime, float | None]]:
    """(UTC start, distance_m) of every activity a runner has: to spot the same run twice."""
    rows = session.execute(
        select(ActivityRow.start_time, ActivityRow.distance_m).where(
            ActivityRow.runner_id == runner_id
        )
    ).all()
    return [(as_utc(start), distance) for start, distance in rows]


def list_activity_summaries(
    session: Session, *, runner_id: int, since: date | None = None, sport: str | None = None
) -> list[ActivitySummary]:
    """The runner's activities (optionally from `since` on, of one sport), oldest first."""
    store = direct_store_of(session)
    return direct.list_activity_summaries(store, runner_id=runner_id, since=since, sport=sport)


def load_samples(session: Session, samples_dir: Path, *, activity_id: int) -> Samples:
    """The columnar samples of one stored activity (read from its samples file)."""
    row = session.get(ActivityRow, activity_id)
    if row is None:
        raise NotFoundError(f"activity id {activity_id} does not exist")
    if row.samples_path is None:
        raise NotFoundError(f"activity id {activity_id} has no stored samples")
    return read_samples(samples_dir, row.samples_path)


def list_sample_names(session: Session) -> set[str]:
    """Every samples file name any row references (to tell orphans apart)."""
    names = session.scalars(
        select(ActivityRow.samples_path).where(ActivityRow.samples_path.isnot(None))
    )
    return {name for name in names if name}


def set_surface(session: Session, *, activity_id: int, surface: str | None) -> None:
    """Tag an activity's surface (road, trail, track, treadmill, ...) or clear it."""
    row = session.get(ActivityRow, activity_id)
    if row is None:
        raise NotFoundError(f"activity id {activity_id} does not exist")
    row.surface = surface.strip().lower()[:40] if surface else None

"""Shoe repository: add, find, rename, retire, delete and per-shoe distance.

Functions take a `Session` and never commit. Re-exported by `storage.activities`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backstride.errors import InputError, NotFoundError
from backstride.storage import direct
from backstride.storage.activity_tables import ActivityRow, ShoeRow
from backstride.storage.db import direct_store_of
from backstride.storage.direct import ShoeSummary

__all__ = ["ShoeSummary"]  # read by the direct path's query, used by both paths


def add_shoe(
    session: Session,
    *,
    runner_id: int,
    name: str,
    added_on: date,
    brand: str | None = None,
    model: str | None = None,
    start_km: float = 0.0,
) -> int:
    """Add a shoe (names are unique per runner); returns its id."""
    clean = name.strip()
    if not clean or len(clean) > 200:
        raise InputError(f"shoe name must be 1-200 characters, got {name!r}")
    if start_km < 0:
        raise InputError(f"shoe start_km must be 0 or more, got {start_km}")
    if find_shoe(session, runner_id=runner_id, name=clean) is not None:
        raise InputError(f"a shoe named {clean!r} already exists")
    row = ShoeRow(
        runner_id=runner_id,
        name=clean,
        brand=brand,
        model=model,
        start_km=start_km,
        retired=False,
        added_on=added_on,
    )
    session.add(row)
    session.flush()
    return row.id


def find_shoe(session: Session, *, runner_id: int, name: str) -> int | None:
    """The id of the runner's shoe with this name (case-insensitive), or None."""
    query = select(ShoeRow.id).where(
        ShoeRow.runner_id == runner_id, func.lower(ShoeRow.name) == name.strip().lower()
    )
    return session.scalars(query.limit(1)).first()


def get_or_add_shoe(session: Session, *, runner_id: int, name: str, added_on: date) -> int:
    """The id of the shoe with this name, adding it first when it does not exist."""
    found = find_shoe(session, runner_id=runner_id, name=name)
    if found is not None:
        return found
    return add_shoe(session, runner_id=runner_id, name=name, added_on=added_on)


def assign_shoe(session: Session, *, activity_id: int, shoe_id: int | None) -> None:
    """Record which shoe an activity was run in (None clears it)."""
    row = session.get(ActivityRow, activity_id)
    if row is None:
        raise NotFoundError(f"activity id {activity_id} does not exist")
    if shoe_id is not None and session.get(ShoeRow, shoe_id) is None:
        raise NotFoundError(f"shoe id {shoe_id} does not exist")
    row.shoe_id = shoe_id


def retire_shoe(session: Session, *, shoe_id: int, retired: bool = True) -> None:
    """Mark a shoe retired (or back in use)."""
    row = session.get(ShoeRow, shoe_id)
    if row is None:
        raise NotFoundError(f"shoe id {shoe_id} does not exist")
    row.retired = retired


def update_shoe(
    session: Session,
    *,
    shoe_id: int,
    name: str | None = None,
    brand: str | None = None,
    model: str | None = None,
    start_km: float | None = None,
) -> None:
    """Change a shoe's name, brand, model or starting distance (None leaves a field as is,
    an empty brand or model clears it)."""
    row = session.get(ShoeRow, shoe_id)
    if row is None:
        raise NotFoundError(f"shoe id {shoe_id} does not exist")
    if name is not None:
        clean = name.strip()
        other = find_shoe(session, runner_id=row.runner_id, name=clean)
        if not clean or len(clean) > 200 or other not in (None, shoe_id):
            raise InputError(f"shoe name must be 1-200 characters and unused, got {name!r}")
        row.name = clean
    if start_km is not None and start_km < 0:
        raise InputError(f"shoe start_km must be 0 or more, got {start_km}")
    row.brand = (brand.strip() or None) if brand is not None else row.brand
    row.model = (model.strip() or None) if model is not None else row.model
    row.start_km = start_km if start_km is not None else row.start_km


def delete_shoe(session: Session, *, shoe_id: int) -> None:
    """Remove a shoe; its activities keep their distance but no longer name a shoe."""
    row = session.get(ShoeRow, shoe_id)
    if row is None:
        raise NotFoundError(f"shoe id {shoe_id} does not exist")
    session.execute(update(ActivityRow).where(ActivityRow.shoe_id == shoe_id).values(shoe_id=None))
    session.delete(row)
    session.flush()


def shoe_distances_km(session: Session, *, runner_id: int) -> dict[int, float]:
    """Total distance per shoe id: start_km plus the distance of its activities."""
    return {shoe.id: shoe.distance_km for shoe in list_shoes(session, runner_id=runner_id)}


def list_shoes(
    session: Session, *, runner_id: int, include_retired: bool = True
) -> list[ShoeSummary]:
    """The runner's shoes with their distance and activity count, in the order added."""
    store = direct_store_of(session)
    return direct.list_shoes(store, runner_id=runner_id, include_retired=include_retired)

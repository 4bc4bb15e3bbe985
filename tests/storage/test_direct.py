"""The direct store path (the driver alone) writes and reads exactly what the ORM path does,
on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from backstride.services.store import local_runner
from backstride.storage import direct, reviews
from backstride.storage import tracking as repo
from backstride.storage.accounts import owner, user_of_runner
from backstride.storage.activity_tables import ActivityRow
from backstride.storage.db import make_engine, migrate, session_scope
from tests.storage.test_tracking import full_entry

NOW = datetime(2026, 3, 2, 9, 30, 15, 250_000, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on the test database, with the owner's runner (disposed afterwards)."""
    eng = make_engine(database_url)
    migrate(eng)
    with session_scope(eng) as session:
        local_runner(session)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def store(database_url: str, engine: Engine) -> Iterator[direct.Store]:
    """A direct connection to the same database (committed when the test's block ends)."""
    found = direct.connect(database_url)
    try:
        yield found
    finally:
        found.connection.close()


def _runner(engine: Engine) -> int:
    with session_scope(engine) as session:
        return local_runner(session).id


def _stored(engine: Engine, table: str) -> list[dict[str, object]]:
    """Every row of `table` as the database keeps it (driver values, no ORM types), no ids."""
    with engine.connect() as connection:
        rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).mappings().all()
    return [{k: v for k, v in row.items() if k != "id"} for row in rows]


def test_the_direct_path_writes_the_same_diary_and_rmdq_rows_as_the_orm(
    engine: Engine, store: direct.Store
) -> None:
    runner = _runner(engine)
    with session_scope(engine) as session:
        repo.add_diary_entry(session, runner_id=runner, entry=full_entry(), created_at=NOW)
        repo.add_rmdq(session, runner_id=runner, on=date(2026, 3, 1), items=(9, 3), created_at=NOW)
    with direct.transaction(store):
        direct.add_diary_entry(store, runner_id=runner, entry=full_entry(), created_at=NOW)
        direct.add_rmdq(store, runner_id=runner, on=date(2026, 3, 1), items=(9, 3), created_at=NOW)
    for table in ("diary_entry", "rmdq_response"):
        by_orm, by_direct = _stored(engine, table)
        assert by_direct == by_orm, table
    with session_scope(engine) as session:
        assert [p.score for p in repo.list_rmdq(session, runner_id=runner)] == [2, 2]


def test_the_direct_path_reads_what_the_orm_reads(engine: Engine, store: direct.Store) -> None:
    runner = _runner(engine)
    with session_scope(engine) as session:
        repo.add_diary_entry(session, runner_id=runner, entry=full_entry(), created_at=NOW)
        repo.add_assessment(
            session, runner_id=runner, case={"age": 40, "pain": {"intensity": 5}},
            result={"urgency": "urgent", "red_flags": ["fever"],
                    "knowledge_base": {"version": "1", "digest": "d"}},
            created_at=NOW,
        )  # fmt: skip
        user = user_of_runner(session, runner)
        assert user is not None
        reviews.record_review(
            session, user_id=user.id, note="seen", reviewer="dr", at=NOW + timedelta(hours=1)
        )
        for hours, sport in ((3, "running"), (1, "running"), (2, "cycling")):
            session.add(_activity(runner, sport, NOW + timedelta(hours=hours)))
    with session_scope(engine) as session:
        entries = [(s.id, s.entry) for s in repo.list_diary_entries(session, runner_id=runner)]
        assessments = repo.list_assessments(session, runner_id=runner)
        review = reviews.latest_review(session, user_id=user.id)
        found = owner(session)
        runs = repo.utc(NOW + timedelta(hours=1)), repo.utc(NOW + timedelta(hours=3))
    with direct.transaction(store):
        assert direct.list_diary_entries(store, runner_id=runner) == entries
        assert direct.list_assessments(store, runner_id=runner) == assessments
        assert review is not None
        assert direct.latest_review_at(store, user_id=user.id) == review.at
        assert found is not None
        assert direct.owner_id(store) == found.id
        assert direct.runner_of_user(store, found.id) == runner
        assert direct.user_of_runner(store, runner) == user.id
        stored_runs = direct.list_runs(store, runner_id=runner)
    assert [r.start_time for r in stored_runs] == list(runs)
    assert stored_runs[0].source_hash == "h1"
    assert (stored_runs[0].distance_m, stored_runs[0].surface) == (5000.0, "trail")


def _activity(runner: int, sport: str, start: datetime) -> ActivityRow:
    return ActivityRow(
        runner_id=runner, sport=sport, sub_sport=None, start_time=start, duration_s=1500.0,
        distance_m=5000.0, avg_cadence_spm=170.0, has_running_dynamics=False, records=10,
        source_format="fit", source_hash=f"h{start.hour - NOW.hour}", surface="trail",
        imported_at=NOW,
    )  # fmt: skip


def test_the_direct_path_sees_a_database_not_yet_migrated(database_url: str) -> None:
    store = direct.connect(database_url)
    try:
        assert not direct.at_heads(store)
    finally:
        store.connection.close()

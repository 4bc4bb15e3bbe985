"""The tracking repository on SQLite and PostgreSQL: diary, assessments, RMDQ, plans."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from backstride.domain.diary import DiaryEntry
from backstride.errors import NotFoundError
from backstride.services.store import local_runner
from backstride.storage import tracking as repo
from backstride.storage.db import make_engine, migrate, session_scope

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on the test database (disposed afterwards)."""
    eng = make_engine(database_url)
    migrate(eng)
    try:
        yield eng
    finally:
        eng.dispose()


def full_entry() -> DiaryEntry:
    return DiaryEntry(
        at=datetime(2026, 3, 2, 7, 45),
        pain_now=4,
        pain_worst=6,
        pain_during_run=3,
        pain_next_morning=2,
        stiffness=5,
        locations=("spine_centre", "buttock_left"),
        leg_symptoms=True,
        new_red_flags=("fever",),
        exercises_done=("bird dog", "side plank"),
        sleep_hours=6.5,
        rmdq_score=7,
        note="stiff after the long run",
        run_keys=("abc123",),
    )


def test_a_diary_entry_comes_back_exactly_as_written(engine: Engine) -> None:
    with session_scope(engine) as session:
        runner = local_runner(session).id
        entry_id = repo.add_diary_entry(
            session, runner_id=runner, entry=full_entry(), created_at=NOW
        )
    with session_scope(engine) as session:
        (stored,) = repo.list_diary_entries(session, runner_id=runner)
    assert stored.id == entry_id
    assert stored.entry == full_entry()


def test_entries_are_listed_oldest_first_and_filtered_by_day(engine: Engine) -> None:
    with session_scope(engine) as session:
        runner = local_runner(session).id
        for day, hour in ((3, 8), (1, 20), (1, 7), (2, 12)):
            entry = DiaryEntry(at=datetime(2026, 3, day, hour), pain_now=day)
            repo.add_diary_entry(session, runner_id=runner, entry=entry, created_at=NOW)
    with session_scope(engine) as session:
        all_at = [s.entry.at for s in repo.list_diary_entries(session, runner_id=runner)]
        since = repo.list_diary_entries(session, runner_id=runner, since=date(2026, 3, 2))
    assert all_at == sorted(all_at)
    assert [s.entry.pain_now for s in since] == [2, 3]


def test_the_database_refuses_a_pain_score_above_ten(engine: Engine) -> None:
    bad = DiaryEntry(at=datetime(2026, 3, 2, 8), pain_now=11)
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        repo.add_diary_entry(session, runner_id=local_runner(session).id, entry=bad, created_at=NOW)
    with session_scope(engine) as session:
        assert repo.count_diary_entries(session) == 0


def test_deleting_an_unknown_entry_is_a_not_found_error(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="diary entry id 999"), session_scope(engine) as session:
        repo.delete_diary_entry(session, runner_id=local_runner(session).id, entry_id=999)


def test_assessments_keep_case_result_and_an_aware_timestamp(engine: Engine) -> None:
    case = {"age": 40, "pain": {"intensity": 6}, "start_back": [True] * 8 + ["slightly"]}
    result = {
        "urgency": "soon",
        "rmdq": {"score": 4},
        "knowledge_base": {"version": "1", "digest": "d"},
    }
    with session_scope(engine) as session:
        runner = local_runner(session).id
        repo.add_assessment(session, runner_id=runner, case=case, result=result, created_at=NOW)
    with session_scope(engine) as session:
        (stored,) = repo.list_assessments(session, runner_id=runner)
    assert stored.case == case
    assert stored.result == result
    assert stored.urgency == "soon"
    assert stored.created_at == NOW


def test_rmdq_responses_keep_the_statements_and_score(engine: Engine) -> None:
    with session_scope(engine) as session:
        runner = local_runner(session).id
        repo.add_rmdq(
            session, runner_id=runner, on=date(2026, 3, 9), items=(12, 3, 7), created_at=NOW
        )
    with session_scope(engine) as session:
        (response,) = repo.list_rmdq_responses(session, runner_id=runner)
        (point,) = repo.list_rmdq(session, runner_id=runner)
    assert response.items == (3, 7, 12)
    assert (point.on, point.score) == (date(2026, 3, 9), 3)


def test_the_latest_plan_snapshot_wins(engine: Engine) -> None:
    with session_scope(engine) as session:
        runner = local_runner(session).id
        for minute, phase in ((0, "settle"), (5, "rebuild")):
            repo.add_plan_snapshot(
                session,
                runner_id=runner,
                plan={"phase": phase},
                phase=phase,
                kb_version="1",
                created_at=NOW.replace(minute=minute),
            )
    with session_scope(engine) as session:
        latest = repo.latest_plan_snapshot(session, runner_id=runner)
        assert latest is not None
        assert latest.phase == "rebuild"

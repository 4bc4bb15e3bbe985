"""The storage base: SQLite pragmas, migrations on first use, transaction ownership."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from backstride.config import Settings
from backstride.services.moment import started_at_in_scope
from backstride.services.store import NoActingUserError, acting_user, local_runner
from backstride.storage.db import make_engine, migrate, open_database, session_scope
from backstride.storage.tables import RunnerRow


def test_sqlite_database_is_created_in_home_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = open_database(Settings(home=tmp_path / "data"))
    assert (tmp_path / "data" / "backstride.sqlite3").is_file()
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert "runner" in inspect(engine).get_table_names()


def test_session_scope_rolls_back_on_error(tmp_path: Path) -> None:
    engine = open_database(Settings(home=tmp_path))

    def write_then_fail() -> None:
        with session_scope(engine) as session:
            local_runner(session)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_then_fail()
    with session_scope(engine) as session:
        assert session.scalars(select(RunnerRow)).all() == []


def test_local_runner_is_created_once(tmp_path: Path) -> None:
    engine = open_database(Settings(home=tmp_path))
    with session_scope(engine) as session:
        first = local_runner(session).id
    with session_scope(engine) as session:
        assert local_runner(session).id == first
        assert len(session.scalars(select(RunnerRow)).all()) == 1


def test_the_owner_account_created_on_first_use_carries_the_time_the_shell_gave(
    tmp_path: Path,
) -> None:
    engine = open_database(Settings(home=tmp_path))
    given = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    with started_at_in_scope(given), session_scope(engine) as session:
        owner = acting_user(session)
        runner = local_runner(session)
        stamps = {owner.created_at.replace(tzinfo=UTC), runner.created_at.replace(tzinfo=UTC)}
    assert stamps == {given}


def test_without_a_time_from_the_shell_no_owner_account_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstride.services import moment

    monkeypatch.setattr(moment, "_process_moment", [])
    engine = open_database(Settings(home=tmp_path))
    with (
        pytest.raises(NoActingUserError, match="the shell gave no time"),
        session_scope(engine) as session,
    ):
        local_runner(session)


def test_migrating_twice_is_a_no_op(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate(engine)
    migrate(engine)
    assert "alembic_version" in inspect(engine).get_table_names()


@pytest.mark.postgres
def test_postgresql_migrates_by_url_alone(pg_schema_url: str) -> None:
    engine = make_engine(pg_schema_url)
    try:
        migrate(engine)
        assert "runner" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_migration_history_has_a_single_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from backstride.storage.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_heads() == ["0007_diary_steps"]


def test_a_fresh_database_is_stamped_at_the_single_head(tmp_path: Path) -> None:
    engine = open_database(Settings(home=tmp_path))
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == ["0007_diary_steps"]

"""Storage reliability with real processes: kill -9 mid-write, two writers at once, upgrades.

Each test runs on SQLite (WAL + busy timeout) and on PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, inspect, select, text

from backstride.domain.diary import DiaryEntry
from backstride.services.store import local_runner
from backstride.storage import tracking as repo
from backstride.storage.db import make_engine, migrate, session_scope
from backstride.storage.tables import RunnerRow

pytestmark = pytest.mark.slow

#: Writes diary entries until killed; prints "<batch> <first id> <last id>" after each commit.
WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from backstride.config import load_settings
    from backstride.domain.diary import DiaryEntry
    from backstride.services.moment import started_at
    from backstride.services.store import local_runner, open_store
    from backstride.storage import tracking as repo
    from backstride.storage.db import session_scope

    started_at(datetime.now(UTC))  # this script is the shell: it gives the time
    tag, batch_size, batches = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    engine = open_store(load_settings())
    with session_scope(engine) as session:
        runner = local_runner(session).id
    start = datetime(2026, 1, 1, 8)
    for batch in range(batches):
        with session_scope(engine) as session:
            ids = []
            for i in range(batch_size):
                n = batch * batch_size + i
                entry = DiaryEntry(
                    at=start + timedelta(minutes=n), pain_now=n % 11, note=f"{tag}-{n}",
                    locations=("spine_centre",), exercises_done=("bridge",) * (n % 3),
                )
                ids.append(repo.add_diary_entry(
                    session, runner_id=runner, entry=entry, created_at=datetime.now(UTC)))
        print(batch, ids[0], ids[-1], flush=True)
    """
)


def start_writer(
    tmp_path: Path, tag: str, *, batch_size: int, batches: int
) -> subprocess.Popen[str]:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, str(script), tag, str(batch_size), str(batches)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_after(
    proc: subprocess.Popen[str], acknowledged_batches: int
) -> list[tuple[int, int, int]]:
    """Read acknowledgements until enough arrived, then SIGKILL the writer mid-stream."""
    assert proc.stdout is not None
    acks: list[tuple[int, int, int]] = []
    deadline = time.monotonic() + 240
    while len(acks) < acknowledged_batches and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        batch, first, last = (int(x) for x in line.split())
        acks.append((batch, first, last))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, "the writer finished before it was killed"
    assert len(acks) >= acknowledged_batches, "the writer did not acknowledge enough writes"
    return acks


def check_consistent(engine: Engine, *, batch_size: int, acks: list[tuple[int, int, int]]) -> int:
    """Integrity check passes, every acknowledged id is present, no batch is half written."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    with session_scope(engine) as session:
        runner = local_runner(session).id
        stored = repo.list_diary_entries(session, runner_id=runner)
    ids = {s.id for s in stored}
    for _batch, first, last in acks:
        assert set(range(first, last + 1)) <= ids
    assert len(stored) % batch_size == 0, "a transaction was partly written"
    notes = [s.entry.note for s in stored]
    assert len(notes) == len(set(notes))
    return len(stored)


@pytest.mark.parametrize(("batch_size", "acked"), [(1, 40), (250, 3)], ids=["diary", "bulk"])
def test_kill_9_mid_write_loses_no_committed_entry(
    database_url: str, tmp_path: Path, batch_size: int, acked: int
) -> None:
    proc = start_writer(tmp_path, "k", batch_size=batch_size, batches=100_000 // batch_size)
    acks = kill_after(proc, acked)
    engine = make_engine(database_url)
    try:
        migrate(engine)
        total = check_consistent(engine, batch_size=batch_size, acks=acks)
        assert total >= acked * batch_size
        with session_scope(engine) as session:  # the store still takes writes
            entry = DiaryEntry(at=datetime(2026, 6, 1, 8), pain_now=2, note="after")
            runner = local_runner(session).id
            repo.add_diary_entry(
                session, runner_id=runner, entry=entry, created_at=datetime.now(UTC)
            )
        with session_scope(engine) as session:
            assert repo.count_diary_entries(session) == total + 1
    finally:
        engine.dispose()


def test_two_processes_writing_at_once_lose_nothing(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)  # both writers then find the schema and the runner ready
        with session_scope(engine) as session:
            local_runner(session)
        writers = [start_writer(tmp_path, tag, batch_size=1, batches=60) for tag in ("a", "b")]
        for proc in writers:
            out, err = proc.communicate(timeout=240)
            assert proc.returncode == 0, err
            assert len(out.splitlines()) == 60
        with session_scope(engine) as session:
            stored = repo.list_diary_entries(session, runner_id=local_runner(session).id)
        notes = {s.entry.note for s in stored}
        assert notes == {f"{tag}-{n}" for tag in ("a", "b") for n in range(60)}
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        engine.dispose()


def test_upgrading_an_old_database_keeps_its_data(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine, "0001_runner")
        assert "diary_entry" not in inspect(engine).get_table_names()
        created = datetime(2025, 5, 1, 12, tzinfo=UTC)
        with engine.begin() as conn:
            conn.execute(
                insert(RunnerRow.__table__),
                [{"id": 7, "name": "old runner", "created_at": created, "profile": {"age": 41}}],
            )
        migrate(engine)
        assert {"diary_entry", "assessment", "rmdq_response", "plan_snapshot"} <= set(
            inspect(engine).get_table_names()
        )
        with session_scope(engine) as session:
            runner = session.get(RunnerRow, 7)
            assert runner is not None
            assert (runner.name, runner.profile) == ("old runner", {"age": 41})
            entry = DiaryEntry(at=datetime(2026, 1, 5, 8), pain_now=3)
            repo.add_diary_entry(session, runner_id=7, entry=entry, created_at=created)
        with session_scope(engine) as session:
            assert session.scalar(select(func.count()).select_from(RunnerRow)) == 1
            assert [s.entry for s in repo.list_diary_entries(session, runner_id=7)] == [entry]
    finally:
        engine.dispose()

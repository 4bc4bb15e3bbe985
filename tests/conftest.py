"""Shared fixtures: a scratch BACKSTRIDE_HOME, the real CLI entry point, the corpus, PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("BACKSTRIDE_CORPUS", REPO.parent / "shared" / "corpus"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared activity corpus; skipped on a user's clone, a failure under CI."""
    if not (CORPUS / "MANIFEST.csv").is_file():
        if IN_CI:
            pytest.fail(f"CI=true but the shared corpus is missing at {CORPUS}")
        pytest.skip("the shared activity corpus (../shared/corpus) is not present in this clone")
    return CORPUS


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch data directory; the program under test sees it as BACKSTRIDE_HOME."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("BACKSTRIDE_HOME", str(folder))
    monkeypatch.delenv("BACKSTRIDE_DATABASE_URL", raising=False)
    return folder


@dataclass(frozen=True)
class CliResult:
    """What one real run of the `backstride` command produced."""

    code: int
    stdout: str
    stderr: str


def run_backstride(
    *args: str,
    input_text: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> CliResult:
    """Run the installed entry point in a fresh process, exactly as a user would."""
    full_env = {**os.environ, **(env or {}), "PYTHONHASHSEED": "0", "COLUMNS": "100"}
    proc = subprocess.run(
        [sys.executable, "-m", "backstride", *args],
        input=input_text,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(home: Path) -> Iterator[type[CliResult]]:
    """The real CLI in a scratch home: call `run_backstride(...)` from the test."""
    return CliResult


def postgres_url() -> str | None:
    """The test PostgreSQL URL: the env var, else the default CI server if it answers."""
    url = os.environ.get("BACKSTRIDE_TEST_DATABASE_URL")
    if url:
        return url
    import socket

    with socket.socket() as sock:
        sock.settimeout(1)
        if sock.connect_ex(("127.0.0.1", 5432)) == 0:
            return "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    return None


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A reachable PostgreSQL server URL; missing is a skip locally and a failure in CI."""
    url = postgres_url()
    if url is None:  # `make test` always provides one, so its absence is a broken setup
        pytest.fail("no PostgreSQL server reachable: run `make test`, which starts one")
    return url


def fresh_pg_schema(base_url: str, label: str) -> tuple[str, Callable[[], None]]:
    """A new empty schema on the PostgreSQL server at `base_url`: (URL selecting it, drop)."""
    import re
    import uuid

    from sqlalchemy import create_engine, text

    name = f"bs_{re.sub(r'[^a-z0-9]', '_', label.lower())[:30]}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    separator = "&" if "?" in base_url else "?"
    url = f"{base_url}{separator}options=-csearch_path%3D{name}"

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()

    return url, drop


@pytest.fixture
def pg_schema_url(request: pytest.FixtureRequest, pg_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for this test only (dropped afterwards), so no test
    migrates or fills the server's shared public schema."""
    url, drop = fresh_pg_schema(pg_url, request.node.name)
    try:
        yield url
    finally:
        drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The test's database, once on SQLite and once on PostgreSQL (a fresh schema, dropped
    afterwards); the program under test sees it as BACKSTRIDE_DATABASE_URL."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{home / 'backstride.sqlite3'}", None
    else:
        url, drop = fresh_pg_schema(request.getfixturevalue("pg_url"), request.node.name)
    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", url)
    try:
        yield url
    finally:
        if drop is not None:
            drop()


@pytest.fixture(autouse=True, scope="session")
def _shell_moment() -> None:
    """Tests are the shell: a row created on first use (the owner account) carries this time."""
    from datetime import UTC, datetime

    from backstride.services.moment import started_at

    started_at(datetime(2026, 1, 1, 8, tzinfo=UTC))


@pytest.fixture(autouse=True)
def _close_stores() -> Iterator[None]:
    """Each process keeps one engine per database; tests close them so none outlives its test."""
    yield
    from backstride.services.store import close_stores

    close_stores()


#: Debian Chromium's flags for the tests: headless, no sandbox, nothing fetched in the background.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session, shared by every test that drives
    a browser (Playwright's sync API allows one driver per process)."""
    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():  # `make test` installs it; missing is a broken setup
        pytest.fail("chromium is not installed: run `make test`, which installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()

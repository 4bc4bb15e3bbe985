"""Real cluster behaviour: a separate scheduler and workers, a worker killed mid-run, reruns.

The scheduler and the workers are `dask scheduler` / `dask worker` programs on loopback,
and the cohort runs through the real `backstride cohort analyze --scheduler ADDRESS`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from backstride.config import Settings, load_settings
from backstride.ingest.archive import Limits
from backstride.services.accounts import find_account
from backstride.services.cohort import ClusterChoice, analyze_accounts, analyze_cohort
from backstride.services.cohort_tables import TABLES, read_table
from backstride.services.store import acting_as
from backstride.services.tracking import add_diary_entry, parse_diary_form
from tests.cohort.builders import FIRST_DAY, link_corpus, write_runs
from tests.cohort.compare import cohort_findings, cohort_weeks, json_findings
from tests.cohort.conftest import ENV, DaskProcesses
from tests.conftest import run_backstride
from tests.defaults import SHOE_INSPECTION_KM

pytestmark = [pytest.mark.slow, pytest.mark.corpus]
NOW = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)

#: Three of the corpus's larger running files: a runner takes a moment to analyse.
HEAVY_RUNS = (
    "fit/GoldenCheetah__GarminFR955v18__14211916346_ACTIVITY.fit",
    "fit/Runalyze__support-001885-rs-pronation.fit",
    "fit/Runalyze__Suunto-Ambit-3-Peak-without-final-lap.fit",
)


def _analyze(source: Path, out: Path, address: str) -> dict[str, Any]:
    result = run_backstride(
        "cohort", "analyze", str(source), "--out", str(out), "--scheduler", address,
        env=ENV, timeout=180,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text())
    return summary


def _analyze_in_process(source: Path, out: Path, address: str) -> dict[str, Any]:
    """The service the command calls (reruns need no fresh interpreter)."""
    cluster = ClusterChoice(scheduler=address)
    return analyze_cohort(
        source, out, cluster=cluster, limits=Limits(), shoe_inspection_km=SHOE_INSPECTION_KM
    ).as_json()


def _counts(summary: dict[str, Any]) -> tuple[int, int, int]:
    return summary["analysed"], summary["unchanged"], summary["failed"]


def _part_times(out: Path, athlete: str) -> list[int]:
    return [(out / t / f"athlete={athlete}" / "part.parquet").stat().st_mtime_ns for t in TABLES]


def _manifest(out: Path) -> list[str]:
    return [row["athlete"] for row in pq.read_table(out / "manifest").to_pylist()]


def test_a_separate_scheduler_and_workers_run_the_cohort_and_reruns_skip_unchanged_runners(
    dask_processes: DaskProcesses, cohort_source: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(cohort_source, source, symlinks=True)
    out = tmp_path / "out"

    first = _analyze(source, out, dask_processes.address)
    before = {a: _part_times(out, a) for a in ("corpus-runner", "spiky-runner")}
    again = _analyze_in_process(source, out, dask_processes.address)
    write_runs(source / "steady-runner", [(40, 7.5)])
    changed = _analyze_in_process(source, out, dask_processes.address)

    assert _counts(first) == (3, 0, 1)
    assert _counts(again) == (0, 3, 1)
    assert _counts(changed) == (1, 2, 1)
    assert {a: _part_times(out, a) for a in before} == before
    assert changed["activities"] == first["activities"] + 1
    assert sorted(_manifest(out)) == sorted(p.name for p in source.iterdir())


def _cli(home: Path, *args: str) -> str:
    result = run_backstride(*args, env={**ENV, "BACKSTRIDE_HOME": str(home)}, timeout=120)
    assert result.code == 0, result.stderr
    return result.stdout


def test_from_db_analyses_only_the_accounts_that_agreed_to_research_use_with_their_own_numbers(
    dask_processes: DaskProcesses, cohort_source: Path, home: Path, tmp_path: Path
) -> None:
    for email, folder in (("a@example.org", "spiky-runner"), ("b@example.org", "steady-runner")):
        _cli(home, "user", "add", email, "--no-password")
        _cli(home, "--user", email, "import", str(cohort_source / folder))
    _cli(home, "user", "consent", "a@example.org", "yes")
    settings = load_settings()  # the same home (BACKSTRIDE_HOME)
    consenting = find_account(settings, "a@example.org").id
    with acting_as(consenting):
        for day, pain in ((22, 6), (23, 5), (24, 2), (25, 2), (26, 3), (27, 2), (28, 2), (29, 4)):
            on = (FIRST_DAY + timedelta(days=day)).isoformat()
            add_diary_entry(settings, parse_diary_form({"on": on, "pain_now": pain}), now=NOW)
    url, out = settings.resolved_database_url, tmp_path / "out"

    result = run_backstride(
        "cohort", "analyze", "--from-db", url, "--out", str(out),
        "--scheduler", dask_processes.address, env=ENV, timeout=180,
    )  # fmt: skip
    again = _analyze_accounts(settings, out, dask_processes.address)

    assert result.code == 0, result.stderr
    athlete = f"user-{consenting}"
    assert _manifest(out) == [athlete]
    days = read_table(out, "athlete_days", [athlete]).column("day").to_pylist()
    first, last = days[0].isoformat(), days[-1].isoformat()
    shown = json.loads(
        _cli(home, "--user", "a@example.org", "analyze", "--since", first, "--as-of", last,
             "--format", "json")
    )  # fmt: skip
    assert cohort_weeks(out, athlete) == shown["weeks"]
    assert cohort_findings(out, athlete) == json_findings(shown)
    progress = json.loads(
        _cli(home, "--user", "a@example.org", "progress", "--format", "json", "--today", last)
    )
    assert [
        {k: r[k] for k in ("feature", "lag_days", "correlation", "days")}
        for r in read_table(out, "pain_load", [athlete]).to_pylist()
    ] == [{k: a[k] for k in ("feature", "lag_days", "correlation", "days")}
          for a in progress["associations"]]  # fmt: skip
    assert _counts(again) == (0, 1, 0)


def _analyze_accounts(settings: Settings, out: Path, address: str) -> dict[str, Any]:
    return analyze_accounts(settings, out, cluster=ClusterChoice(scheduler=address)).as_json()


def _processing_worker(client: Any) -> str | None:
    """The name of a worker that is running a runner's task right now."""
    names = {addr: w["name"] for addr, w in client.scheduler_info()["workers"].items()}
    for addr, keys in client.processing().items():
        if any("run_runner" in str(key) for key in keys):
            return str(names[addr])
    return None


def test_a_worker_killed_mid_run_leaves_every_runner_analysed_exactly_once(
    dask_processes: DaskProcesses, tmp_path: Path, corpus: Path
) -> None:
    """Runs last in this module: it leaves the shared cluster with one worker."""
    from distributed import Client

    source, out = tmp_path / "source", tmp_path / "out"
    athletes = [f"runner-{i:02d}" for i in range(10)]
    for athlete in athletes:
        link_corpus(source / athlete, corpus, HEAVY_RUNS)
    workers = {f"worker-{i}": worker for i, worker in enumerate(dask_processes.workers)}
    run = subprocess.Popen(
        [sys.executable, "-m", "backstride", "cohort", "analyze", str(source),
         "--out", str(out), "--scheduler", dask_processes.address],
        env={**os.environ, **ENV}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    with Client(dask_processes.address, timeout="30s") as client:
        victim = _wait_for_busy_worker(client)
        workers[victim].send_signal(signal.SIGKILL)
        still_running = run.poll() is None
    _, stderr = run.communicate(timeout=180)
    summary = json.loads((out / "summary.json").read_text())

    assert run.returncode == 0, stderr
    assert b"Traceback" not in stderr, stderr.decode()
    assert still_running
    assert workers[victim].wait(timeout=10) == -signal.SIGKILL
    assert _counts(summary) == (10, 0, 0)
    assert sorted(_manifest(out)) == athletes
    for table in TABLES:
        parts = sorted((out / table).glob("athlete=*/*.parquet"))
        assert [p.parent.name for p in parts] == [f"athlete={a}" for a in athletes]


def _wait_for_busy_worker(client: Any, timeout_s: float = 120) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        busy = _processing_worker(client)
        if busy is not None:
            return busy
        time.sleep(0.02)
    raise AssertionError("no worker started a runner's task")

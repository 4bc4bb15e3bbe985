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
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from backstride.ingest.archive import Limits
from backstride.services.cohort import ClusterChoice, analyze_cohort
from backstride.services.cohort_tables import TABLES
from tests.cohort.builders import link_corpus, write_runs
from tests.cohort.conftest import ENV, DaskProcesses
from tests.conftest import run_backstride

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

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
    return analyze_cohort(source, out, cluster=cluster, limits=Limits()).as_json()


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

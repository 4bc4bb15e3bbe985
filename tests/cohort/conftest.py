"""Cohort fixtures: a small cohort on disk and real Dask processes (scheduler, workers)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cohort.builders import build_cohort

DASK = Path(sys.executable).with_name("dask")
#: Days are local days: every process of these tests runs in UTC.
ENV = {"TZ": "UTC"}


@pytest.fixture(scope="session")
def cohort_source(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """The four-runner cohort of `build_cohort` (built once; tests never change it)."""
    return build_cohort(tmp_path_factory.mktemp("cohort-source"), corpus)


@dataclass
class DaskProcesses:
    """A `dask scheduler` and its `dask worker` processes, started as separate programs."""

    folder: Path
    scheduler: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def scheduler_file(self) -> Path:
        return self.folder / "scheduler.json"

    @property
    def address(self) -> str:
        return str(json.loads(self.scheduler_file.read_text())["address"])

    def start_scheduler(self) -> None:
        self.scheduler = self._spawn(
            "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(self.scheduler_file),
        )  # fmt: skip
        _wait_for(self.scheduler_file.is_file, "the scheduler file")

    def start_worker(self) -> subprocess.Popen[bytes]:
        """One worker process without a nanny: killing it really loses the worker."""
        worker = self._spawn(
            "worker", "--scheduler-file", str(self.scheduler_file), "--nthreads", "1",
            "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
            "--name", f"worker-{len(self.workers)}",
            "--local-directory", str(self.folder / f"worker-{len(self.workers)}"),
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(count, timeout=60)

    def _spawn(self, *args: str) -> subprocess.Popen[bytes]:
        with (self.folder / f"{args[0]}-{len(self.workers)}.log").open("wb") as log:
            return subprocess.Popen(
                [str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **ENV}
            )

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*self.workers, self.scheduler]:
            if process is not None:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _wait_for(ready: object, what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def dask_processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskProcesses]:
    """A scheduler and two single-threaded workers on loopback, as separate processes."""
    processes = DaskProcesses(tmp_path_factory.mktemp("dask"))
    try:
        processes.start_scheduler()
        processes.start_worker()
        processes.start_worker()
        processes.wait_for_workers(2)
        yield processes
    finally:
        processes.stop()

"""Cohort analysis on Dask: the single-user analysis over every runner of a club or study.

`analyze_cohort` finds the runner folders, submits one task per runner to a Dask
distributed scheduler (a `LocalCluster` of worker processes by default, or an existing
scheduler by address), gathers the outcomes as they complete, and writes the manifest
(per-runner input hash and counts, which lets a re-run skip unchanged runners) and
`summary.json`. Workers write each runner's Parquet parts themselves (see cohort_tables),
so OUTDIR must be a folder every worker can reach. Dask and pyarrow (the `cohort` extra)
are imported only here and in cohort_tables.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backstride import __version__
from backstride.config import Settings
from backstride.errors import InputError
from backstride.ingest.archive import Limits
from backstride.knowledge import load_knowledge_base
from backstride.services.cohort_db import AccountJob, consenting_accounts, run_account
from backstride.services.cohort_sources import RunnerFolder, discover_runners
from backstride.services.cohort_tables import (
    TABLES,
    partition,
    pyarrow_modules,
    remove_temporaries,
    write_atomically,
)
from backstride.services.cohort_tasks import (
    ANALYSED,
    FAILED,
    UNCHANGED,
    RunnerJob,
    RunnerOutcome,
    run_runner,
)
from backstride.services.texts import service_text

ProgressCallback = Callable[[int, int], None]
SUMMARY = "summary.json"
MANIFEST = "manifest"  # a table of its own: OUTDIR/manifest/part.parquet
#: Tasks in flight per worker: enough to keep workers busy, few enough to keep memory flat.
IN_FLIGHT_PER_WORKER = 8


@dataclass(frozen=True, slots=True)
class ClusterChoice:
    """Where the work runs: a local cluster of `workers` processes, or `scheduler`."""

    workers: int = 2
    scheduler: str | None = None


@dataclass
class CohortSummary:
    """Counts, failures and versions of one cohort run (the content of summary.json)."""

    runners: int = 0
    analysed: int = 0
    unchanged: int = 0
    failed: int = 0
    activities: int = 0
    runs: int = 0
    findings: int = 0
    runners_with_diary: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The stable JSON document written to summary.json."""
        return {
            "schema": "backstride.cohort/1",
            "runners": self.runners,
            "analysed": self.analysed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "activities": self.activities,
            "runs": self.runs,
            "findings": self.findings,
            "runners_with_diary": self.runners_with_diary,
            "failures": self.failures,
            "versions": self.versions,
            "tables": list(TABLES),
            "note": service_text("cohort", "note"),
        }


def distributed_module() -> Any:
    """The `distributed` package, or one clear error when the cohort extra is missing."""
    try:
        import distributed
    except ImportError:
        raise InputError(service_text("cohort", "needs_extra")) from None
    return distributed


def analyze_cohort(
    source: Path,
    out: Path,
    *,
    cluster: ClusterChoice,
    limits: Limits,
    shoe_inspection_km: float,
    on_progress: ProgressCallback | None = None,
) -> CohortSummary:
    """Analyse every runner folder under `source` into `out` (Parquet parts + summary)."""
    distributed_module(), pyarrow_modules()  # the one clear error before any work
    runners = discover_runners(source)
    out = _output_folder(out)
    previous = read_manifest(out)
    jobs = [_job(r, out, previous, limits, shoe_inspection_km) for r in runners]
    return _finish(out, _run_all(jobs, run_runner, cluster, on_progress), previous)


def analyze_accounts(
    settings: Settings,
    out: Path,
    *,
    cluster: ClusterChoice,
    on_progress: ProgressCallback | None = None,
) -> CohortSummary:
    """Analyse every account of `settings`' database that agreed to research use."""
    distributed_module(), pyarrow_modules()
    found = consenting_accounts(settings)
    if not found:
        raise InputError(service_text("cohort", "no_consenting_account"))
    out = _output_folder(out)
    previous = read_manifest(out)
    jobs = [
        AccountJob(athlete, user_id, settings, str(out), _previous_hash(out, previous, athlete))
        for athlete, user_id in found
    ]
    return _finish(out, _run_all(jobs, run_account, cluster, on_progress), previous)


def _output_folder(out: Path) -> Path:
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    return out


def _finish(
    out: Path, outcomes: list[RunnerOutcome], previous: dict[str, dict[str, Any]]
) -> CohortSummary:
    """Clean up, then write the manifest and summary.json of a finished run."""
    remove_temporaries(out)
    rows = [_manifest_row(o, previous.get(o.athlete)) for o in outcomes]
    write_manifest(out, rows)
    summary = summarise(outcomes, rows)
    _write_json(out / SUMMARY, summary.as_json())
    return summary


def _job(
    runner: RunnerFolder,
    out: Path,
    previous: dict[str, dict[str, Any]],
    limits: Limits,
    shoe_inspection_km: float,
) -> RunnerJob:
    return RunnerJob(
        athlete=runner.athlete,
        folder=str(Path(runner.folder).resolve()),
        out=str(out),
        previous_hash=_previous_hash(out, previous, runner.athlete),
        limits=limits,
        shoe_inspection_km=shoe_inspection_km,
    )


def _previous_hash(out: Path, previous: dict[str, dict[str, Any]], athlete: str) -> str | None:
    """The earlier input hash, counted only when that analysis is complete on disk."""
    old = previous.get(athlete)
    if old is None or old["status"] != ANALYSED or not _has_parts(out, athlete):
        return None
    return str(old["input_hash"])


def _has_parts(out: Path, athlete: str) -> bool:
    return all((partition(out, name, athlete) / "part.parquet").is_file() for name in TABLES)


Job = RunnerJob | AccountJob
Task = Callable[[Any], RunnerOutcome]


def _run_all(
    jobs: Sequence[Job], task: Task, cluster: ClusterChoice, on_progress: ProgressCallback | None
) -> list[RunnerOutcome]:
    """Run every job on the cluster, a bounded number in flight; outcomes in job order."""
    distributed = distributed_module()
    by_athlete: dict[str, RunnerOutcome] = {}
    with _client(cluster) as client:
        window = max(1, _worker_count(client)) * IN_FLIGHT_PER_WORKER
        queue = iter(jobs)
        jobs_of: dict[str, Job] = {}
        pending = distributed.as_completed()
        for job in _take(queue, window):
            pending.add(_submit(client, task, job, jobs_of))
        if on_progress:
            on_progress(0, len(jobs))
        for future in pending:
            job = jobs_of.pop(future.key)
            by_athlete[job.athlete] = _outcome(future, job)
            for following in _take(queue, 1):
                pending.add(_submit(client, task, following, jobs_of))
            if on_progress:
                on_progress(len(by_athlete), len(jobs))
    return [by_athlete[job.athlete] for job in jobs]


def _take(queue: Iterator[Job], count: int) -> list[Job]:
    taken = []
    for job in queue:
        taken.append(job)
        if len(taken) == count:
            break
    return taken


def _submit(client: Any, task: Task, job: Job, jobs_of: dict[str, Job]) -> Any:
    future = client.submit(task, job, pure=False)
    jobs_of[future.key] = job
    return future


def _outcome(future: Any, job: Job) -> RunnerOutcome:
    """The task's outcome; a task Dask gave up on (its workers kept dying) is a failure."""
    try:
        outcome = future.result()
    except Exception as exc:
        name = type(exc).__name__
        detail = (
            service_text("cohort", "worker_died") if name == "KilledWorker" else f"{name}: {exc}"
        )
        return RunnerOutcome(job.athlete, FAILED, "", detail=detail)
    assert isinstance(outcome, RunnerOutcome)
    return outcome


def _worker_count(client: Any) -> int:
    return len(client.scheduler_info().get("workers", {}))


@contextmanager
def _client(cluster: ClusterChoice) -> Iterator[Any]:
    """A Dask client: to the given scheduler, or to a fresh LocalCluster of processes."""
    distributed = distributed_module()
    if cluster.scheduler:
        try:
            client = distributed.Client(cluster.scheduler, timeout="30s")
        except OSError as exc:
            raise InputError(
                service_text(
                    "cohort", "scheduler_unreachable", scheduler=cluster.scheduler, detail=exc
                )
            ) from exc
        with client:
            yield client
        return
    if cluster.workers < 1:
        raise InputError(service_text("cohort", "workers_refused", workers=cluster.workers))
    local = distributed.LocalCluster(
        n_workers=cluster.workers,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    )
    with local, distributed.Client(local) as client:
        yield client


def read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    """The previous run's manifest rows by runner ({} when there is none)."""
    path = out / MANIFEST / "part.parquet"
    if not path.is_file():
        return {}
    _, pq = pyarrow_modules()
    return {row["athlete"]: row for row in pq.read_table(path).to_pylist()}


def _manifest_row(outcome: RunnerOutcome, old: dict[str, Any] | None) -> dict[str, Any]:
    if outcome.status == UNCHANGED and old is not None:
        return old
    return {
        "athlete": outcome.athlete,
        "status": outcome.status,
        "input_hash": outcome.input_hash,
        "activities": outcome.activities,
        "runs": outcome.runs,
        "findings": outcome.findings,
        "diary_days": outcome.diary_days,
        "failed_files": [label for label, _ in outcome.failures],
        "failure_reasons": [why for _, why in outcome.failures],
        "detail": outcome.detail,
    }


def write_manifest(out: Path, rows: list[dict[str, Any]]) -> None:
    """Write the manifest table atomically (one row per runner)."""
    pa, _ = pyarrow_modules()
    schema = pa.schema(
        [("athlete", pa.string()), ("status", pa.string()), ("input_hash", pa.string())]
        + [(n, pa.int64()) for n in ("activities", "runs", "findings", "diary_days")]
        + [("failed_files", pa.list_(pa.string())), ("failure_reasons", pa.list_(pa.string()))]
        + [("detail", pa.string())]
    )
    write_atomically(out / MANIFEST, pa.Table.from_pylist(rows, schema=schema))


def summarise(outcomes: list[RunnerOutcome], rows: list[dict[str, Any]]) -> CohortSummary:
    """Counts over the manifest rows (unchanged runners keep their earlier counts)."""
    summary = CohortSummary(runners=len(outcomes), versions=versions())
    for outcome, row in zip(outcomes, rows, strict=True):
        if outcome.status == ANALYSED:
            summary.analysed += 1
        elif outcome.status == UNCHANGED:
            summary.unchanged += 1
        if row["status"] == FAILED:
            summary.failed += 1
            summary.failures.append(
                {"athlete": row["athlete"], "file": "", "reason": row["detail"]}
            )
            continue
        summary.activities += row["activities"]
        summary.runs += row["runs"]
        summary.findings += row["findings"]
        summary.runners_with_diary += row["diary_days"] > 0
        summary.failures.extend(
            {"athlete": row["athlete"], "file": label, "reason": why}
            for label, why in zip(row["failed_files"], row["failure_reasons"], strict=True)
        )
    return summary


def versions() -> dict[str, str]:
    """Versions of backstride, its knowledge base and the engines that produced a cohort."""
    from importlib.metadata import version

    kb = load_knowledge_base()
    return {
        "backstride": __version__,
        "knowledge_base": kb.version,
        "knowledge_base_digest": kb.digest,
        "dask": version("dask"),
        "distributed": version("distributed"),
        "pyarrow": version("pyarrow"),
    }


def _write_json(path: Path, document: dict[str, Any]) -> None:
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_summary(out: Path) -> dict[str, Any]:
    """The summary.json of a finished cohort run (InputError when there is none)."""
    path = out / SUMMARY
    if not path.is_file():
        raise InputError(service_text("cohort", "no_summary", folder=out, summary=SUMMARY))
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document

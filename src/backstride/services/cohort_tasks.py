"""The task Dask runs for one runner: hash the inputs, skip if unchanged, analyse, write.

The task is idempotent: its outputs are one file per table keyed by the runner, replaced
atomically, so a task that Dask re-runs after its worker died (or a repeated run) writes
the same files again and nothing twice. It never raises for a runner's bad data: a runner
whose files are all unreadable comes back as `failed` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from backstride.errors import IngestError
from backstride.ingest.archive import Limits
from backstride.services.cohort_runner import Failure, RunnerAnalysis, analyse_runner
from backstride.services.cohort_sources import input_hash
from backstride.services.cohort_tables import remove_runner, write_runner

ANALYSED, UNCHANGED, FAILED = "analysed", "unchanged", "failed"


@dataclass(frozen=True, slots=True)
class RunnerJob:
    """What a worker needs to analyse one runner (plain values: it is pickled to workers)."""

    athlete: str
    folder: str
    out: str
    previous_hash: str | None
    limits: Limits
    shoe_inspection_km: float


@dataclass(frozen=True, slots=True)
class RunnerOutcome:
    """What happened to one runner, with the counts the manifest keeps."""

    athlete: str
    status: str
    input_hash: str
    activities: int = 0
    runs: int = 0
    findings: int = 0
    diary_days: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    failures: tuple[Failure, ...] = ()
    detail: str = ""


def run_runner(job: RunnerJob) -> RunnerOutcome:
    """Analyse one runner folder and write its Parquet parts (the unit of work on Dask)."""
    folder, out = Path(job.folder), Path(job.out)
    digest = input_hash(folder)
    if digest == job.previous_hash:
        return RunnerOutcome(job.athlete, UNCHANGED, digest)
    try:
        result = analyse_runner(
            folder, limits=job.limits, shoe_inspection_km=job.shoe_inspection_km
        )
    except IngestError as exc:  # nothing of this runner's could be read
        remove_runner(out, job.athlete)
        return RunnerOutcome(job.athlete, FAILED, digest, detail=str(exc))
    except Exception as exc:  # one runner's surprise must not stop the cohort
        remove_runner(out, job.athlete)
        return RunnerOutcome(job.athlete, FAILED, digest, detail=f"{type(exc).__name__}: {exc}")
    return write_analysed(out, job.athlete, digest, result)


def write_analysed(out: Path, athlete: str, digest: str, result: RunnerAnalysis) -> RunnerOutcome:
    """Write one analysed runner's Parquet parts; its outcome with the manifest's counts."""
    rows = write_runner(out, athlete, result)
    report = result.report
    return RunnerOutcome(
        athlete=athlete,
        status=ANALYSED,
        input_hash=digest,
        activities=report.activities,
        runs=len(report.analysis.runs.keys),
        findings=len(report.findings),
        diary_days=len(result.pain),
        rows=rows,
        failures=result.failures,
    )

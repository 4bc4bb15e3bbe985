"""Cohort analysis on Dask: activities per second on 1 and 2 workers, scaling, memory.

A generated cohort (seeded, reproducible) is written as FIT files by the test encoder
(`tests/ingest/fit_encoder.py`): R runners × A runs each, one run every one to three days,
3-10 km, one record a second, and a `diary.csv` for every second runner. For each worker
count a LocalCluster is started with the parameters `backstride cohort analyze` uses
(processes, one thread per worker) and the cohort is analysed into a fresh output folder
through the same service (`analyze_cohort`, via the cluster's scheduler address so the
benchmark can ask each worker for its peak RSS afterwards). Timed: from the first task
submitted to the last outcome gathered (cluster start-up is shown separately), then a
second run over the same output, where every runner is unchanged and skipped.

Run: .venv/bin/python benchmarks/cohort.py [--runners 40] [--activities 50] [--workers 1,2]
     [--keep DIR]   (keep the generated cohort in DIR and reuse it on the next run)
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from distributed import Client, LocalCluster
from tests.activity_files import FIRST_DAY, fit_run

from backstride.config import Settings
from backstride.ingest.archive import Limits
from backstride.services.cohort import ClusterChoice, analyze_cohort


def build_cohort(root: Path, runners: int, activities: int, seed: int = 17) -> int:
    """Write the cohort (runners in a process pool); returns the number of FIT bytes."""
    jobs = [(root / f"runner-{r:05d}", activities, seed + r, r % 2 == 0) for r in range(runners)]
    with ProcessPoolExecutor() as pool:
        return sum(pool.map(_write_runner, jobs))


def _write_runner(job: tuple[Path, int, int, bool]) -> int:
    folder, activities, seed, diary = job
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    written = 0
    day = rng.randrange(0, 30)
    for a in range(activities):
        km = rng.uniform(3.0, 10.0)
        data = fit_run(day, km, minute=rng.randrange(0, 12) * 60)
        (folder / f"run-{a:04d}.fit").write_bytes(data)
        written += len(data)
        day += rng.randint(1, 3)
    if diary:
        _diary(folder, rng, day)
    return written


def _cohort(source: Path, runners: int, activities: int) -> Path:
    """The generated cohort in `source` (made unless a complete one is there already)."""
    marker = source / f".made-{runners}x{activities}"
    if marker.is_file():
        print(f"cohort: {runners} runners × {activities} runs, reused from {source}")
        return source
    shutil.rmtree(source, ignore_errors=True)
    began = time.perf_counter()
    size = build_cohort(source, runners, activities)
    marker.touch()
    print(
        f"cohort: {runners} runners × {activities} runs, "
        f"{size / 1e6:.0f} MB of FIT, generated in {time.perf_counter() - began:.1f} s"
    )
    return source


def _diary(folder: Path, rng: random.Random, days: int) -> None:
    lines = ["date,pain"]
    for k in range(0, days, 2):
        lines.append(f"{(FIRST_DAY + timedelta(days=k)).isoformat()},{rng.randint(0, 6)}")
    (folder / "diary.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(source: Path, out: Path, workers: int) -> dict[str, float]:
    """Analyse the cohort on `workers` processes; times, rates and peak RSS per worker."""
    began = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,
    ):
        started = time.perf_counter()
        marks: dict[str, float] = {}

        def progress(done: int, total: int) -> None:
            marks.setdefault("first", time.perf_counter())
            marks["last"] = time.perf_counter()

        choice = ClusterChoice(scheduler=cluster.scheduler_address)
        cpu_before = sum(client.run(_cpu_s).values())
        summary = analyze_cohort(
            source,
            out,
            cluster=choice,
            limits=Limits(),
            on_progress=progress,
            shoe_inspection_km=Settings().shoe_inspection_km,
        )
        work_s = marks["last"] - marks["first"]
        cpu_s = sum(client.run(_cpu_s).values()) - cpu_before
        rerun_began = time.perf_counter()
        again = analyze_cohort(
            source,
            out,
            cluster=choice,
            limits=Limits(),
            shoe_inspection_km=Settings().shoe_inspection_km,
        )
        rerun_s = time.perf_counter() - rerun_began
        peaks = list(client.run(_peak_rss_mb).values())
    assert summary.failed == 0, summary.failures
    assert again.unchanged == summary.runners
    return {
        "workers": workers,
        "startup_s": started - began,
        "work_s": work_s,
        "activities": summary.activities,
        "runners": summary.runners,
        "rate": summary.activities / work_s,
        "cpu_ms": 1000 * cpu_s / summary.activities,
        "rerun_s": rerun_s,
        "peak_rss_mb": max(peaks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=40)
    parser.add_argument("--activities", type=int, default=50)
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--keep", type=Path, help="keep the generated cohort here and reuse it")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="cohort-bench-") as tmp:
        root = Path(tmp)
        source = _cohort(args.keep or root / "source", args.runners, args.activities)
        rows = [measure(source, root / f"out-{n}", n) for n in counts]
    base = rows[0]["rate"]
    print(
        "| workers | cluster start s | analyse s | activities/s | vs 1 worker "
        "| worker CPU ms per activity | re-run (all unchanged) s | peak RSS per worker MB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['workers']:.0f} | {row['startup_s']:.1f} | {row['work_s']:.1f} "
            f"| {row['rate']:.0f} | {row['rate'] / base:.2f}× | {row['cpu_ms']:.1f} "
            f"| {row['rerun_s']:.1f} | {row['peak_rss_mb']:.0f} |"
        )
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()

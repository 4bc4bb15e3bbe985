"""Wall time of `backstride assess --input CASE --format json` from a cold process start.

Each run is a fresh interpreter (subprocess), as a user or a batch script would call it.
Two settings are measured: with a bytecode cache (the normal case once Python has written
`__pycache__`; here a private PYTHONPYCACHEPREFIX so nothing is written into the install)
and, for comparison, the bare interpreter start (`python -c pass`) and `backstride --version`.
Prints the wall-time median, min and max, and the median CPU time of the child process
(which a busy machine inflates less than wall time). A measurement, not a test.

    python benchmarks/assess_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASE = {
    "age": 38,
    "sex": "female",
    "pain": {"intensity": 5, "worst_24h": 7, "started_days_ago": 9, "onset": "after_run",
             "locations": ["low_back_central"], "worse_with": ["running", "sitting"],
             "better_with": ["movement"]},
    "history": {"self_care_weeks": 2, "trend": "improving", "previous_episodes": 1},
    "start_back": [True, False, False, False, False, False, False, False, "slightly"],
    "rmdq": [3, 7, 12],
    "running": {"weekly_km": 40, "weekly_km_prior": 28, "runs_per_week": 4, "cadence_spm": 158},
}  # fmt: skip


Timings = tuple[list[float], list[float]]


def _time_runs(command: list[str], env: dict[str, str], runs: int) -> Timings:
    """Wall times and CPU times (user + system of the child) of `runs` fresh processes."""
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm-up (bytecode)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def _report(label: str, timings: Timings) -> None:
    walls, cpus = timings
    print(
        f"{label:<44} wall median {statistics.median(walls):.3f} s "
        f"(min {min(walls):.3f}, max {max(walls):.3f})   "
        f"cpu median {statistics.median(cpus):.3f} s   n={len(walls)}"
    )


def main() -> int:
    """Measure and print the start-up figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        case = Path(scratch) / "case.json"
        case.write_text(json.dumps(CASE), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        env["BACKSTRIDE_HOME"] = str(Path(scratch) / "home")
        python = sys.executable
        assess = [python, "-m", "backstride", "assess", "--input", str(case), "--format", "json"]
        print(f"python {sys.version.split()[0]} on {os.cpu_count()} CPUs; load {os.getloadavg()}")
        _report("python -c pass", _time_runs([python, "-c", "pass"], env, args.runs))
        _report("backstride --version", _time_runs([python, "-m", "backstride", "--version"],
                                                   env, args.runs))  # fmt: skip
        timings = _time_runs(assess, env, args.runs)
        _report("backstride assess --input CASE --format json", timings)
        budget = 0.4
        verdict = "within" if statistics.median(timings[0]) < budget else "OVER"
        print(f"wall median is {verdict} the {budget} s budget (a loaded machine inflates wall)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long `backstride plan --format pdf` (and the other plan formats) take from a cold start.

Each run is a fresh `backstride` process writing the plan of one case file to a temporary
file, as a person or a clinic's script would call it. Prints wall median/min/max and the
child's CPU time per format. No peer tool builds this plan; the figure is for the record.

    .venv/bin/python benchmarks/plan_pdf.py [--runs 5] [--case FILE]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CASE = HERE.parent / "tests" / "plan" / "data" / "self_care_runner.yaml"


def _time_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    """Time each plan format; print one line per format."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "BACKSTRIDE_HOME": scratch}
        print(f"python {sys.version.split()[0]} on {os.cpu_count()} CPUs; load {os.getloadavg()}")
        for fmt in ("json", "html", "ics", "pdf"):
            out = Path(scratch) / f"plan.{fmt}"
            args = [sys.executable, "-m", "backstride", "plan", "--input", str(options.case),
                    "--start", "2026-01-05", "--format", fmt, "--out", str(out)]  # fmt: skip
            _time_once(args, env)  # warm-up: bytecode and font caches
            runs = [_time_once(args, env) for _ in range(options.runs)]
            walls = [w for w, _ in runs]
            cpu = statistics.median(c for _, c in runs)
            print(
                f"plan --format {fmt:<5} wall median {statistics.median(walls):.2f} s "
                f"(min {min(walls):.2f}, max {max(walls):.2f})   cpu median {cpu:.2f} s   "
                f"{out.stat().st_size} bytes"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

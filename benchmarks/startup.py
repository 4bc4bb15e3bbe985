"""Whole-process time of the everyday commands, from a cold interpreter start.

Each run is a fresh `python -m backstride ...` process, as a person or a script calls it,
with a bytecode cache (a private PYTHONPYCACHEPREFIX, written by one warm-up run). For
each command: the wall-time median, min and max of N runs and the median CPU time of the
child (user + system: a shared, busy machine inflates wall time far more than CPU time),
with the load average before and after so the figures can be judged. `--src DIR` times
another checkout's `src/` (for a before/after table) with the same interpreter.

    python benchmarks/startup.py [--runs N] [--src OTHER/src] [--instructions]

`--instructions` also counts the instructions each command executes (one run under
valgrind's callgrind, after the warm-up): unlike time, the count hardly depends on what
else the machine is doing, so it compares two trees measured on a busy machine.

Budgets (wall, idle machine): `activity summary` on a small file 0.15 s, `diary add`
0.4 s, `analyze` 0.5 s. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = Path(os.environ.get("BACKSTRIDE_CORPUS", HERE.parent.parent / "shared" / "corpus"))
SMALL_FIT = CORPUS / "fit" / "Runalyze__Standard.fit"  # 22 kB, a Garmin run
BUDGETS_S = {"activity summary": 0.15, "diary add": 0.4, "analyze": 0.5}

Timings = tuple[list[float], list[float]]


def _time_runs(command: list[str], env: dict[str, str], runs: int) -> Timings:
    """Wall and CPU seconds of `runs` fresh processes (after one warm-up run)."""
    subprocess.run(command, env=env, capture_output=True, check=True, input=b"n\n")
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True, input=b"n\n")
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def _instructions(command: list[str], env: dict[str, str]) -> int:
    """Instructions one run executes (valgrind callgrind; warm caches from earlier runs)."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=env, capture_output=True, check=True, input=b"n\n",
    )  # fmt: skip
    found = re.search(rb"Collected : (\d+)", result.stderr)
    if found is None:
        raise RuntimeError("valgrind printed no instruction count")
    return int(found.group(1))


def _report(label: str, timings: Timings) -> None:
    walls, cpus = timings
    budget = next((b for name, b in BUDGETS_S.items() if label.startswith(name)), None)
    verdict = ""
    if budget is not None:
        verdict = "  within budget" if statistics.median(walls) < budget else f"  OVER {budget} s"
    print(
        f"{label:<34} wall median {statistics.median(walls):.3f} s "
        f"(min {min(walls):.3f}, max {max(walls):.3f})  "
        f"cpu median {statistics.median(cpus):.3f} s  n={len(walls)}{verdict}",
        flush=True,
    )


def _commands(scratch: Path) -> list[tuple[str, list[str]]]:
    target = SMALL_FIT if SMALL_FIT.is_file() else None
    if target is None:  # no corpus: a small GPX run written here
        target = scratch / "run.gpx"
        points = "".join(
            f'<trkpt lat="{46 + i * 3e-5:.6f}" lon="14.5"><time>2021-05-02T06:{i // 60:02d}:'
            f"{i % 60:02d}Z</time></trkpt>"
            for i in range(600)
        )
        target.write_text(
            '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
            f"{points}</trkseg></trk></gpx>",
            encoding="utf-8",
        )
    day = ["--date", "2026-11-21", "--pain", "4", "--worst", "6", "--morning", "3"]
    return [
        ("--version", ["--version"]),
        (f"activity summary ({target.stat().st_size // 1024} kB)", ["activity", "summary",
                                                                  str(target)]),
        ("diary add", ["diary", "add", *day]),
        ("analyze", ["analyze"]),
    ]  # fmt: skip


def main() -> int:
    """Measure and print the start-up figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--src", type=Path, help="time this src/ directory instead")
    parser.add_argument("--instructions", action="store_true", help="count instructions too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
        env["BACKSTRIDE_HOME"] = str(scratch / "home")
        if args.src:
            env["PYTHONPATH"] = str(args.src.resolve())
        python = sys.executable
        print(f"python {sys.version.split()[0]} on {os.cpu_count()} CPUs; "
              f"load before {os.getloadavg()}; src {args.src or 'installed'}")  # fmt: skip
        runs: list[tuple[str, list[str]]] = [("python -c pass", [python, "-c", "pass"])]
        for label, argv in _commands(scratch):
            runs.append((label, [python, "-m", "backstride", *argv]))
        for label, command in runs:
            _report(label, _time_runs(command, env, args.runs))
            if args.instructions:
                count = _instructions(command, env)
                print(f"{'':<34} instructions {count / 1e6:,.0f} M", flush=True)
        print(f"load after {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

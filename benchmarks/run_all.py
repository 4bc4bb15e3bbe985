"""Run every benchmark in this folder, one after another (`make bench`).

Benchmarks compare backstride with peer libraries side by side in one run and print
ratios; they are measurements, not tests. See benchmarks/README.md for the latest figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("assess_startup.py", "ingest.py", "analytics.py", "plan_pdf.py", "cohort.py")


def main() -> int:
    """Run each benchmark script that exists; return the worst exit code."""
    worst = 0
    for name in ORDER:
        script = HERE / name
        if not script.is_file():
            continue
        print(f"== {name}", flush=True)
        worst = max(worst, subprocess.call([sys.executable, str(script)]))
    return worst


if __name__ == "__main__":
    sys.exit(main())

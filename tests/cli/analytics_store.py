"""A scratch home with corpus runs imported through the real CLI (shared by CLI tests)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_backstride

RUNS = (
    "fit/GoldenCheetah__GarminFR955v18__14211916346_ACTIVITY.fit",
    "fit/python-fitparse__activity-small-fenix2-run.fit",
    "fit/sports-lib__OutdoorRun20200314145229.fit",
    "fit/sports-lib__TrailRun20200215111630.fit",
)
PERIOD = ("--since", "2015-01-01", "--as-of", "2024-03-02")


def imported_home(folder: Path, corpus: Path) -> dict[str, str]:
    """Import RUNS into `folder` and return the environment that points the CLI at it."""
    env = {"BACKSTRIDE_HOME": str(folder), "TZ": "UTC"}  # run days are local days
    result = run_backstride("import", *(str(corpus / name) for name in RUNS), env=env)
    assert result.code == 0, result.stderr
    return env

"""Small cohorts on disk: generated FIT runs (the test encoder), corpus links, diaries."""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from tests.activity_files import FIRST_DAY, fit_run

#: Four corpus runs with cadence and running dynamics (2015-2024), as tests/cli uses them.
CORPUS_RUNS = (
    "fit/GoldenCheetah__GarminFR955v18__14211916346_ACTIVITY.fit",
    "fit/python-fitparse__activity-small-fenix2-run.fit",
    "fit/sports-lib__OutdoorRun20200314145229.fit",
    "fit/sports-lib__TrailRun20200215111630.fit",
)
#: (day offset, km): three easy weeks, a run far longer than the longest before, easy again.
SPIKY_RUNS = (
    *((day, 4.0) for day in (0, 2, 4, 7, 9, 11, 14, 16, 18)),
    (21, 10.0),
    *((day, 4.0) for day in (24, 26, 28, 31, 33, 35)),
)


def write_runs(folder: Path, runs: Sequence[tuple[int, float]]) -> list[Path]:
    """Write one FIT file per (day offset, km) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for day, km in runs:
        path = folder / f"run-{day:03d}.fit"
        path.write_bytes(fit_run(day, km))
        paths.append(path)
    return paths


def write_diary(folder: Path, pains: dict[int, int]) -> Path:
    """A diary.csv with pain per day offset (and a morning value one higher)."""
    lines = ["date,pain,morning_pain,note"]
    for day, pain in sorted(pains.items()):
        on = FIRST_DAY + timedelta(days=day)
        lines.append(f"{on.isoformat()},{pain},{min(pain + 1, 10)},")
    path = folder / "diary.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def link_corpus(folder: Path, corpus: Path, names: Sequence[str]) -> None:
    """Link corpus files into a runner folder (read in place, never copied)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        os.symlink(corpus / name, folder / Path(name).name)


def build_cohort(root: Path, corpus: Path) -> Path:
    """Four runners: corpus runs; spiky generated runs with a diary; generated runs with a
    duplicate, a gzipped copy and one corrupt file; and a runner whose files are all corrupt."""
    link_corpus(root / "corpus-runner", corpus, CORPUS_RUNS)
    spiky = root / "spiky-runner"
    write_runs(spiky, SPIKY_RUNS)
    write_diary(spiky, {day: (5 if 22 <= day <= 28 else 2) for day in range(0, 38)})
    steady = root / "steady-runner"
    first, *_ = write_runs(steady, [(day, 5.0 + day % 3) for day in range(0, 30, 2)])
    shutil.copy(first, steady / "copy-of-first.fit")
    (steady / "first-again.fit.gz").write_bytes(gzip.compress(first.read_bytes()))
    (steady / "broken.fit").write_bytes(b".FIT" + bytes(range(200)))
    broken = root / "broken-runner"
    broken.mkdir()
    (broken / "a.fit").write_bytes(os.urandom(64) + b"no activity here")
    (broken / "b.gpx").write_text("<gpx><oops", encoding="utf-8")
    return root


def day(text: str) -> date:
    """An ISO day."""
    return date.fromisoformat(text)

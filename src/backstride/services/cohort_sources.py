"""A cohort on disk: one folder per runner, its input hash, and its optional pain diary.

SOURCE holds one subfolder per runner (the folder name is the runner's id in every
output); inside it, that runner's activity files, exports or archives in any layout the
single-user import reads, and optionally `diary.csv` with `date,pain[,morning_pain,note]`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from backstride.domain.diary import DiaryEntry
from backstride.errors import InputError

DIARY_FILE = "diary.csv"
#: A runner id names a Parquet partition folder (`athlete=<id>`), so it stays path-safe.
ATHLETE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
#: Diary entries are placed at noon, as the single-user diary does for a day without a time.
DIARY_TIME = time(12, 0)


@dataclass(frozen=True, slots=True)
class RunnerFolder:
    """One runner of a cohort: the id outputs are keyed by and the folder holding the files."""

    athlete: str
    folder: str  # a plain string: it travels to worker processes


def discover_runners(source: Path) -> list[RunnerFolder]:
    """Every runner folder under `source`, sorted by id (InputError when there is none)."""
    if not source.is_dir():
        raise InputError(
            f"cohort source {source} is not a folder (expected one subfolder per runner)"
        )
    runners = []
    for child in sorted(source.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        if not ATHLETE_ID.match(child.name):
            raise InputError(
                f"runner folder {child.name!r}: use letters, digits, '.', '_' or '-' "
                "(the name becomes the runner's id in every output)"
            )
        runners.append(RunnerFolder(child.name, str(child)))
    if not runners:
        raise InputError(f"cohort source {source} has no runner subfolders")
    return runners


def input_files(folder: Path) -> list[Path]:
    """Every file of a runner folder (hidden files and folders skipped), in a stable order."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def input_hash(folder: Path) -> str:
    """SHA-256 over every file's relative path and content: unchanged inputs, same hash."""
    sha = hashlib.sha256()
    for path in input_files(folder):
        sha.update(path.relative_to(folder).as_posix().encode())
        sha.update(b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
        sha.update(b"\0")
    return sha.hexdigest()


def read_diary(path: Path) -> list[DiaryEntry]:
    """The entries of a runner's `diary.csv` (InputError naming the line that is wrong)."""
    text = path.read_text(encoding="utf-8-sig")
    rows = csv.DictReader(io.StringIO(text))
    if rows.fieldnames is None or not {"date", "pain"} <= {f.strip() for f in rows.fieldnames}:
        raise InputError(f"{path.name}: expected a header with date,pain[,morning_pain,note]")
    entries = []
    for line, row in enumerate(rows, start=2):
        values = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        entries.append(_entry(values, f"{path.name} line {line}"))
    return entries


def _entry(values: dict[str, str], where: str) -> DiaryEntry:
    try:
        day = date.fromisoformat(values["date"])
    except ValueError:
        raise InputError(f"{where}: date must be YYYY-MM-DD, got {values['date']!r}") from None
    morning = values.get("morning_pain") or ""
    return DiaryEntry(
        at=datetime.combine(day, DIARY_TIME),
        pain_now=_pain(values["pain"], "pain", where),
        pain_next_morning=_pain(morning, "morning_pain", where) if morning else None,
        note=values.get("note") or None,
    )


def _pain(raw: str, name: str, where: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{where}: {name} must be a whole number 0-10, got {raw!r}") from None
    if not 0 <= value <= 10:
        raise InputError(f"{where}: {name} must be 0-10, got {value}")
    return value

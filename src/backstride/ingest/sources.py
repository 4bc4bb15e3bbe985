"""Finding activity files in what the user points at: files, folders, zips, exports.

A Strava bulk export (folder or zip with `activities.csv` and `activities/`) adds each
activity's name, type and gear from the CSV, whose header repeats some column names
(the first of each name is used). A Garmin Connect export's nested zips are opened. Each
activity file becomes a `Source` that a worker process can load on its own.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from backstride.errors import IngestError, InputError, OversizedInputError
from backstride.ingest.archive import (
    Limits,
    is_junk,
    is_zip,
    open_zip,
    read_member,
    zip_members,
)

#: File names worth opening inside folders and archives (content decides the format).
_ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz", ".gz", ".zip")
STRAVA_CSV = "activities.csv"


@dataclass(frozen=True, slots=True)
class Source:
    """One activity file: a path, or a chain of zip members inside that path."""

    label: str
    path: str
    members: tuple[str, ...] = ()
    name: str | None = None
    gear: str | None = None
    sport_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Expansion:
    """What the given paths hold: activity sources and archives that could not be opened."""

    sources: list[Source]
    failures: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class StravaRow:
    """The columns of Strava's activities.csv that backstride uses."""

    name: str | None
    sport: str | None
    gear: str | None


def expand(paths: Iterable[Path], *, limits: Limits) -> Expansion:
    """Every activity source under the given files and folders (missing path: InputError)."""
    sources: list[Source] = []
    failures: list[tuple[str, str]] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"path {path} does not exist (expected a file or folder)")
        try:
            sources.extend(_expand_path(path, limits=limits, failures=failures))
        except (IngestError, OSError) as exc:
            failures.append((str(path), str(exc)))
    return Expansion(sources, failures)


def _expand_path(path: Path, *, limits: Limits, failures: list[tuple[str, str]]) -> list[Source]:
    if path.is_dir():
        return _expand_folder(path, limits=limits, failures=failures)
    return _expand_file(path, None, limits=limits, failures=failures)


def _expand_file(
    path: Path, row: StravaRow | None, *, limits: Limits, failures: list[tuple[str, str]]
) -> list[Source]:
    with path.open("rb") as handle:
        head = handle.read(4)
    if is_zip(head):
        with open_zip(path, name=str(path)) as archive:
            return _expand_zip(archive, Source(str(path), str(path)), limits, failures)
    return [_with_strava(Source(str(path), str(path)), row)]


def _expand_folder(
    folder: Path, *, limits: Limits, failures: list[tuple[str, str]]
) -> list[Source]:
    exports = {csv_path.parent: _strava_rows(csv_path) for csv_path in _strava_csvs(folder)}
    found: list[Source] = []
    for file in _walk(folder):
        row = _strava_row_for(file, exports)
        try:
            found.extend(_expand_file(file, row, limits=limits, failures=failures))
        except (IngestError, OSError) as exc:
            failures.append((str(file), str(exc)))
    return found


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        for file in sorted(files):
            if not is_junk(file) and file.lower().endswith(_ACTIVITY_SUFFIXES):
                yield Path(root) / file


def _expand_zip(
    archive: zipfile.ZipFile, parent: Source, limits: Limits, failures: list[tuple[str, str]]
) -> list[Source]:
    members = zip_members(archive, limits=limits, name=parent.label)
    strava = _strava_rows_from_zip(archive, members, limits=limits, name=parent.label)
    found: list[Source] = []
    for info in members:
        if not info.filename.lower().endswith(_ACTIVITY_SUFFIXES):
            continue
        child = Source(
            f"{parent.label}!{info.filename}", parent.path, (*parent.members, info.filename)
        )
        if info.filename.lower().endswith(".zip"):
            try:
                data = read_member(archive, info, limits=limits, name=parent.label)
                with open_zip(io.BytesIO(data), name=child.label) as inner:
                    found.extend(_expand_zip(inner, child, limits, failures))
            except IngestError as exc:
                failures.append((child.label, str(exc)))
            continue
        found.append(_with_strava(child, strava.get(_strip_top(info.filename, strava))))
    return found


def _strip_top(member: str, strava: dict[str, StravaRow]) -> str:
    # An export zipped with its top folder: "export_123/activities/1.fit.gz".
    if member in strava:
        return member
    parts = PurePosixPath(member).parts
    return PurePosixPath(*parts[1:]).as_posix() if len(parts) > 1 else member


def _with_strava(source: Source, row: StravaRow | None) -> Source:
    if row is None:
        return source
    return replace(source, name=row.name, gear=row.gear, sport_hint=row.sport)


def _strava_csvs(folder: Path) -> list[Path]:
    """Every Strava activities.csv in the folder tree (an export may sit in a subfolder)."""
    return [
        Path(root) / STRAVA_CSV for root, _dirs, files in os.walk(folder) if STRAVA_CSV in files
    ]


def _strava_rows(csv_path: Path) -> dict[str, StravaRow]:
    try:
        return parse_strava_csv(csv_path.read_bytes())
    except OSError:
        return {}


def _strava_row_for(file: Path, exports: dict[Path, dict[str, StravaRow]]) -> StravaRow | None:
    """The CSV row describing `file`, from the nearest export folder above it."""
    for folder in file.parents:
        rows = exports.get(folder)
        if rows is not None:
            return rows.get(file.relative_to(folder).as_posix())
    return None


def _strava_rows_from_zip(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], *, limits: Limits, name: str
) -> dict[str, StravaRow]:
    for info in members:
        if PurePosixPath(info.filename).name == STRAVA_CSV and info.filename.count("/") <= 1:
            return parse_strava_csv(read_member(archive, info, limits=limits, name=name))
    return {}


def parse_strava_csv(data: bytes) -> dict[str, StravaRow]:
    """Strava's activities.csv -> {"activities/<file>": row}; repeated headers: first wins."""
    text = data.decode("utf-8-sig", errors="replace")
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    first: dict[str, int] = {}
    for index, column in enumerate(header):
        first.setdefault(column.strip().lower(), index)

    def cell(row: list[str], column: str) -> str | None:
        index = first.get(column)
        value = row[index].strip() if index is not None and index < len(row) else ""
        return value or None

    table: dict[str, StravaRow] = {}
    for row in rows:
        filename = cell(row, "filename")
        if filename:
            table[filename.lstrip("./")] = StravaRow(
                name=cell(row, "activity name"),
                sport=cell(row, "activity type"),
                gear=cell(row, "activity gear") or cell(row, "gear"),
            )
    return table


def load_source(source: Source, *, limits: Limits) -> bytes:
    """The raw bytes of one source (a zip member chain is read with the limits)."""
    path = Path(source.path)
    if not source.members:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise OversizedInputError(
                f"{source.label}: {size} bytes, more than the max_file_bytes limit "
                f"of {limits.max_file_bytes}"
            )
        return path.read_bytes()
    archive = _archive(source.path, source.members[:-1], limits)
    label = f"{source.path}!{'!'.join(source.members)}"
    return read_member(archive, archive.getinfo(source.members[-1]), limits=limits, name=label)


_OPEN_ZIPS: dict[tuple[str, tuple[str, ...]], zipfile.ZipFile] = {}


def _archive(path: str, chain: tuple[str, ...], limits: Limits) -> zipfile.ZipFile:
    """The (possibly nested) zip holding a member, opened once per worker process.

    A worker reads many members of one export, so each archive's central directory is
    read once, and a nested zip (Garmin's UploadedFiles parts) is decompressed once.
    """
    key = (path, chain)
    archive = _OPEN_ZIPS.get(key)
    if archive is not None:
        return archive
    if len(_OPEN_ZIPS) > 8:
        for stale in _OPEN_ZIPS.values():
            stale.close()
        _OPEN_ZIPS.clear()
    if not chain:
        archive = open_zip(path, name=path)
    else:
        outer = _archive(path, chain[:-1], limits)
        label = f"{path}!{'!'.join(chain)}"
        data = read_member(outer, outer.getinfo(chain[-1]), limits=limits, name=label)
        archive = open_zip(io.BytesIO(data), name=label)
    _OPEN_ZIPS[key] = archive
    return archive

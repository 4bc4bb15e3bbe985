"""Import activity files into the store: parse in parallel, dedupe, store all-or-nothing.

Parsing is pure CPU and runs in a process pool (a few files per task); each worker also
writes the activity's samples file (atomically, before any row refers to it) and returns
only metadata and a summary, so the parent just inserts rows. A file is a duplicate when
its content hash is known, when an activity with the same start second and device is, or
when the same run (start and distance close, `_RunIndex`) came from another app. Rows go
in batches: one executemany INSERT per batch inside a savepoint, each file retried in its
own savepoint if the batch fails, then a commit; an activity is stored whole or not at all.
A bad file is reported and never stops the rest (even one that kills its worker process);
importing the same files again changes nothing.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.domain.activity import Activity, Samples
from backstride.errors import IngestError
from backstride.ingest.archive import Limits
from backstride.ingest.detect import parse_activity, unwrap
from backstride.ingest.sources import Source, expand, load_source
from backstride.ingest.sport import with_sport
from backstride.ingest.summary import FileSummary, summarize
from backstride.ingest.track import normalise_sport, sha256_hex
from backstride.services.activities import limits_from
from backstride.services.store import local_runner, open_store, release_store
from backstride.storage import activities as repo
from backstride.storage.db import session_scope
from backstride.storage.samples import remove_orphans, write_samples

ProgressCallback = Callable[[int, int], None]
#: Files committed per transaction (one multi-row INSERT in a savepoint).
BATCH = 100
#: Most files handed to a worker process in one task.
CHUNK = 4
#: Sports whose Strava gear is a pair of shoes (a bike is not).
_ON_FOOT = frozenset({"running", "walking", "hiking"})


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one file: imported, duplicate or failed, with a one-line detail."""

    label: str
    status: str
    detail: str = ""
    activity_id: int | None = None
    started: datetime | None = None  # the activity's start, when the file was read
    sport: str | None = None
    distance_m: float | None = None


@dataclass
class ImportReport:
    """The outcome of one import run, file by file."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many files ended with this status."""
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    def as_json(self) -> dict[str, object]:
        """Stable JSON: counts, then one entry per file."""
        return {
            "imported": self.count("imported"),
            "duplicates": self.count("duplicate"),
            "failed": self.count("failed"),
            "files": [
                {"file": o.label, "status": o.status, "detail": o.detail, "id": o.activity_id}
                for o in self.outcomes
            ],
        }


@dataclass(frozen=True, slots=True)
class Parsed:
    """A worker's result: metadata (without samples), summary, samples file."""

    source: Source
    activity: Activity
    summary: FileSummary
    samples_path: str


def import_paths(
    settings: Settings,
    paths: Iterable[Path],
    *,
    now: datetime,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every activity under `paths` (stamped imported at `now`); InputError if one is
    missing."""
    limits = limits_from(settings)
    expansion = expand(list(paths), limits=limits)
    report = ImportReport([FileOutcome(label, "failed", why) for label, why in expansion.failures])
    engine = open_store(settings)
    try:
        with session_scope(engine) as session:
            runner_id = local_runner(session).id
            hashes, starts = repo.known_keys(session, runner_id=runner_id)
            runs = _RunIndex(repo.known_runs(session, runner_id=runner_id))
        release_store(engine)  # the process keeps its engine; workers never touch it
        context = _WorkerContext(limits, frozenset(hashes), settings.samples_dir, settings.workers)
        if on_progress:
            on_progress(0, len(expansion.sources))
        with session_scope(engine) as session:
            store = _Store(session, settings.samples_dir, runner_id, hashes, starts, now=now)
            store.runs = runs
            report.outcomes.extend(_store_all(store, expansion.sources, context, on_progress))
        with session_scope(engine) as session:
            remove_orphans(settings.samples_dir, repo.list_sample_names(session))
    finally:
        release_store(engine)
    return report


def _store_all(
    store: _Store,
    sources: list[Source],
    context: _WorkerContext,
    on_progress: ProgressCallback | None,
) -> Iterator[FileOutcome]:
    """Parse every source in the pool and store the results, committing each batch."""
    for done, result in enumerate(_parse_all(sources, context), 1):
        store.save(result)
        if len(store.pending) >= BATCH:
            yield from store.flush()
            store.session.commit()
        if on_progress:
            on_progress(done, len(sources))
    yield from store.flush()


def _parse_all(sources: list[Source], context: _WorkerContext) -> Iterator[Parsed | FileOutcome]:
    """Every source's result, in order; parsed in a process pool when it pays off."""
    workers = min(context.workers or os.cpu_count() or 1, max(len(sources), 1))
    if workers <= 1 or len(sources) < 4:
        _init_worker(context)
        yield from (parse_source(source) for source in sources)
        return
    start = 0
    while start < len(sources):  # a crashed worker costs one file and a fresh pool
        start = yield from _parse_in_pool(sources, start, context, workers)


def _parse_in_pool(
    sources: list[Source], start: int, context: _WorkerContext, workers: int
) -> Generator[Parsed | FileOutcome, None, int]:
    """Results from `start` on; returns where to resume if a worker process died.

    Files go to the workers a few at a time: one task per file cost the pool's threads
    up to a CPU-second per 2,000 files.
    """
    size = max(1, min(CHUNK, (len(sources) - start) // (workers * 8)))
    in_flight = max(workers + 1, workers * 8 // size)  # files in flight stay few: flat memory
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(context,)) as pool:
        pending: deque[tuple[int, int, Future[list[Parsed | FileOutcome]]]] = deque()
        following = start
        while following < len(sources) or pending:
            while following < len(sources) and len(pending) < in_flight:
                chunk = sources[following : following + size]
                try:
                    submitted = pool.submit(parse_sources, chunk)
                except BrokenProcessPool:  # a worker died since: the pending results say which
                    if not pending:
                        return following
                    break
                pending.append((following, len(chunk), submitted))
                following += len(chunk)
            position, count, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                for source in sources[position : position + count]:
                    yield _parse_alone(source, context)
                return position + count
            yield from results
    return len(sources)


def parse_sources(sources: list[Source]) -> list[Parsed | FileOutcome]:
    """`parse_source` of each source, in order (one task of a worker process)."""
    return [parse_source(source) for source in sources]


def _parse_alone(source: Source, context: _WorkerContext) -> Parsed | FileOutcome:
    """Retry one file in its own process, to tell the file that kills a worker apart."""
    with ProcessPoolExecutor(1, initializer=_init_worker, initargs=(context,)) as pool:
        try:
            return pool.submit(parse_source, source).result()
        except BrokenProcessPool:
            return FileOutcome(source.label, "failed", "reading it crashed the worker process")


@dataclass(frozen=True, slots=True)
class _WorkerContext:
    limits: Limits
    known: frozenset[str]
    samples_dir: Path
    workers: int | None = None


_CONTEXT = _WorkerContext(Limits(), frozenset(), Path())


def _init_worker(context: _WorkerContext) -> None:
    global _CONTEXT
    _CONTEXT = context


def parse_source(source: Source) -> Parsed | FileOutcome:
    """Load, unwrap, dedupe by hash, parse and write the samples file of one source.

    Runs in a worker process; the samples file is written (atomically) before the parent
    inserts the row, so a committed row always finds its file.
    """
    limits = _CONTEXT.limits
    try:
        data, name = unwrap(load_source(source, limits=limits), limits=limits, name=source.label)
        digest = sha256_hex(data)
        if digest in _CONTEXT.known:
            return FileOutcome(source.label, "duplicate", "same file already imported")
        activity = parse_activity(
            data, source_name=name, sport_hint=source.sport_hint, source_hash=digest
        )
        activity = replace(activity, name=source.name or activity.name, gear=source.gear)
        if activity.sport == "generic" and source.sport_hint:  # e.g. a FIT without sport
            sport, sub_sport = normalise_sport(source.sport_hint)
            activity = with_sport(activity, sport, activity.sub_sport or sub_sport)
        summary = summarize(activity)
        path = write_samples(_CONTEXT.samples_dir, activity.source_hash, activity.samples)
        # The parent needs no samples (the summary counts them): not pickling them back
        # saves copying every timestamp of the history through a pipe.
        bare = replace(activity, samples=Samples(timestamp=activity.samples.timestamp[:0].copy()))
        return Parsed(source, bare, summary, path)
    except IngestError as exc:
        return FileOutcome(source.label, "failed", _reason(str(exc), source.label))
    except OSError as exc:
        return FileOutcome(source.label, "failed", f"cannot read: {exc}")
    except Exception as exc:  # a reader bug must not stop the other files
        return FileOutcome(source.label, "failed", f"unexpected {type(exc).__name__}: {exc}")


def _reason(message: str, label: str) -> str:
    # Reader messages start with the file's name; the outcome already carries it.
    head, sep, rest = message.partition(": ")
    return rest if sep and head and (head in label or label in head) else message


class _Store:
    """The parent side: dedupe within the run, then insert rows a batch at a time.

    A batch is one multi-row INSERT inside a savepoint; if it fails, each of its files is
    retried in its own savepoint, so one bad row never takes the others with it.
    """

    def __init__(
        self,
        session: Session,
        samples_dir: Path,
        runner_id: int,
        hashes: set[str],
        starts: set[tuple[datetime, str]],
        *,
        now: datetime,
    ) -> None:
        self.session = session
        self.now = now
        self.samples_dir = samples_dir
        self.runner_id = runner_id
        self.hashes = hashes
        self.starts = starts
        self.runs = _RunIndex([])
        self.shoes: dict[str, int] = {}
        self.pending: list[Parsed] = []
        self.arrived: list[Parsed | FileOutcome] = []  # outcomes are reported in this order

    def save(self, result: Parsed | FileOutcome) -> None:
        """Queue a parsed file for insertion (or record a worker's outcome)."""
        if isinstance(result, FileOutcome):
            self.arrived.append(result)
            return
        activity = result.activity
        key = _start_key(activity)
        detail = self._duplicate_of(activity, key)
        if detail:
            self.arrived.append(
                FileOutcome(result.source.label, "duplicate", detail, None, *_what(activity))
            )
            if activity.source_hash not in self.hashes:  # its file is referenced by no row
                (self.samples_dir / result.samples_path).unlink(missing_ok=True)
            return
        self.hashes.add(activity.source_hash)
        self.starts.add(key)
        self.runs.add(key[0], activity.distance_m)
        self.pending.append(result)
        self.arrived.append(result)

    def _duplicate_of(self, activity: Activity, key: tuple[datetime, str]) -> str:
        """Why this activity is already stored ('' when it is new)."""
        if activity.source_hash in self.hashes:
            return "same file already imported"
        if key in self.starts:
            return "an activity with this start and device exists"
        if self.runs.has(key[0], activity.distance_m):
            return "the same run (start and distance) exists from another device or export"
        return ""

    def flush(self) -> list[FileOutcome]:
        """Insert the queued files; returns every outcome recorded since the last flush."""
        batch, self.pending = self.pending, []
        try:
            with self.session.begin_nested():
                ids = self._insert(batch)
            outcomes = [_imported(parsed, id_) for parsed, id_ in zip(batch, ids, strict=True)]
        except Exception:
            self.shoes.clear()  # shoes added inside the rolled-back savepoint are gone
            outcomes = [self._insert_one(parsed) for parsed in batch]
        by_parsed = {id(parsed): outcome for parsed, outcome in zip(batch, outcomes, strict=True)}
        arrived, self.arrived = self.arrived, []
        return [by_parsed[id(a)] if isinstance(a, Parsed) else a for a in arrived]

    def _insert_one(self, parsed: Parsed) -> FileOutcome:
        try:
            with self.session.begin_nested():
                (activity_id,) = self._insert([parsed])
        except Exception as exc:  # the savepoint rolled back: this file only
            self.shoes.clear()  # a rolled-back shoe id must not be reused
            return FileOutcome(parsed.source.label, "failed", f"not stored: {exc}")
        return _imported(parsed, activity_id)

    def _insert(self, batch: list[Parsed]) -> list[int]:
        new = [
            repo.NewActivity(
                activity=parsed.activity,
                stats=_stats(parsed.summary),
                samples_path=parsed.samples_path,
                shoe_id=self._shoe(parsed.activity),
                records=parsed.summary.records,
            )
            for parsed in batch
        ]
        return repo.add_activities(
            self.session, runner_id=self.runner_id, new=new, imported_at=self.now
        )

    def _shoe(self, activity: Activity) -> int | None:
        if not activity.gear or activity.sport not in _ON_FOOT:
            return None
        if activity.gear not in self.shoes:
            self.shoes[activity.gear] = repo.get_or_add_shoe(
                self.session,
                runner_id=self.runner_id,
                name=activity.gear,
                added_on=activity.start_time.date(),
            )
        return self.shoes[activity.gear]


#: One run exported by two apps: starts this close, distances within this share (or metres).
SAME_RUN_S = 60
SAME_RUN_SHARE = 0.03
SAME_RUN_M = 50.0


class _RunIndex:
    """Stored runs by start minute, to find the same run exported by another app.

    Two activities are one run when they start within `SAME_RUN_S` of each other and their
    distances agree within `SAME_RUN_SHARE` (or `SAME_RUN_M`); without a distance only the
    exact key counts.
    """

    def __init__(self, runs: list[tuple[datetime, float | None]]) -> None:
        self.by_minute: dict[int, list[tuple[float, float]]] = {}
        for start, distance in runs:
            self.add(start, distance)

    def add(self, start: datetime, distance_m: float | None) -> None:
        """Remember a stored run."""
        if distance_m is not None and distance_m > 0:
            moment = start.timestamp()
            self.by_minute.setdefault(int(moment // 60), []).append((moment, distance_m))

    def has(self, start: datetime, distance_m: float | None) -> bool:
        """True when a stored run starts within a minute with about the same distance."""
        if distance_m is None or distance_m <= 0:
            return False
        moment = start.timestamp()
        minute = int(moment // 60)
        return any(
            abs(other - moment) <= SAME_RUN_S
            and abs(other_m - distance_m) <= max(SAME_RUN_M, SAME_RUN_SHARE * distance_m)
            for near in (minute - 1, minute, minute + 1)
            for other, other_m in self.by_minute.get(near, ())
        )


def _start_key(activity: Activity) -> tuple[datetime, str]:
    return activity.start_time.astimezone(UTC).replace(microsecond=0), activity.device or ""


def _imported(parsed: Parsed, activity_id: int) -> FileOutcome:
    warnings = "; ".join(parsed.activity.warnings)
    return FileOutcome(
        parsed.source.label, "imported", warnings, activity_id, *_what(parsed.activity)
    )


def _what(activity: Activity) -> tuple[datetime, str, float | None]:
    """Start, sport and distance: what the runner recognises an activity by."""
    return activity.start_time, activity.sport, activity.distance_m


def _stats(summary: FileSummary) -> repo.ActivityStats:
    return repo.ActivityStats(
        avg_hr_bpm=summary.avg_hr_bpm,
        max_hr_bpm=summary.max_hr_bpm,
        avg_cadence_spm=summary.avg_cadence_spm,
        avg_speed_mps=summary.avg_speed_mps,
        has_running_dynamics=summary.has_running_dynamics,
    )

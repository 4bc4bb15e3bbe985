"""Import activity files into the store: parse in parallel, dedupe, store all-or-nothing.

Parsing is pure CPU and runs in a process pool; each worker returns the activity's
metadata, its summary and its samples already packed, so the parent only writes files and
rows. A file is a duplicate when its content hash is known, or when an activity with the
same start second and device is. Each file is stored in its own savepoint (its samples
file written first, atomically); a batch of files is committed together. A bad file is
reported and never stops the rest; importing the same files again changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.domain.activity import Activity, Samples
from backstride.errors import IngestError
from backstride.ingest.archive import Limits
from backstride.ingest.detect import parse_activity, unwrap
from backstride.ingest.sources import Source, expand, load_source
from backstride.ingest.summary import FileSummary, summarize
from backstride.ingest.track import sha256_hex
from backstride.services.activities import limits_from
from backstride.services.store import local_runner, open_store
from backstride.storage import activities as repo
from backstride.storage.db import session_scope
from backstride.storage.samples import pack_samples, remove_orphans, write_samples_blob

ProgressCallback = Callable[[int, int], None]
#: Files committed per transaction (each inside its own savepoint).
BATCH = 100
#: Sports whose Strava gear is a pair of shoes (a bike is not).
_ON_FOOT = frozenset({"running", "walking", "hiking"})


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one file: imported, duplicate or failed, with a one-line detail."""

    label: str
    status: str
    detail: str = ""
    activity_id: int | None = None


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
    """A worker's result: metadata (samples reduced to timestamps), summary, packed samples."""

    source: Source
    activity: Activity
    summary: FileSummary
    blob: bytes


def import_paths(
    settings: Settings, paths: Iterable[Path], *, on_progress: ProgressCallback | None = None
) -> ImportReport:
    """Import every activity under `paths` for the local runner; InputError if one is missing."""
    limits = limits_from(settings)
    expansion = expand(list(paths), limits=limits)
    report = ImportReport([FileOutcome(label, "failed", why) for label, why in expansion.failures])
    engine = open_store(settings)
    with session_scope(engine) as session:
        runner_id = local_runner(session).id
        hashes, starts = repo.known_keys(session, runner_id=runner_id)
    engine.dispose()  # no open database handles may cross into forked workers
    store = _Store(engine, settings.samples_dir, runner_id, hashes, starts)
    total = len(expansion.sources)
    if on_progress:
        on_progress(0, total)
    with session_scope(engine) as session:
        store.session = session
        for done, result in enumerate(_parse_all(expansion.sources, limits, hashes, settings), 1):
            report.outcomes.append(store.save(result))
            if done % BATCH == 0:
                session.commit()
            if on_progress:
                on_progress(done, total)
    with session_scope(engine) as session:
        remove_orphans(settings.samples_dir, repo.list_sample_names(session))
    return report


def _parse_all(
    sources: list[Source], limits: Limits, known: set[str], settings: Settings
) -> Iterator[Parsed | FileOutcome]:
    workers = min(settings.workers or os.cpu_count() or 1, max(len(sources), 1))
    if workers <= 1 or len(sources) < 4:
        _init_worker(limits, frozenset(known))
        yield from (parse_source(source) for source in sources)
        return
    with ProcessPoolExecutor(
        workers, initializer=_init_worker, initargs=(limits, frozenset(known))
    ) as pool:
        pending: list[Future[Parsed | FileOutcome]] = []
        queue = iter(sources)
        for source in queue:  # keep a bounded number in flight so memory stays flat
            pending.append(pool.submit(parse_source, source))
            if len(pending) >= workers * 8:
                break
        while pending:
            head = pending.pop(0)
            yield head.result()
            following = next(queue, None)
            if following is not None:
                pending.append(pool.submit(parse_source, following))


_LIMITS = Limits()
_KNOWN: frozenset[str] = frozenset()


def _init_worker(limits: Limits, known: frozenset[str]) -> None:
    global _LIMITS, _KNOWN
    _LIMITS, _KNOWN = limits, known


def parse_source(source: Source) -> Parsed | FileOutcome:
    """Load, unwrap, dedupe by hash and parse one source (runs in a worker process)."""
    try:
        data, name = unwrap(load_source(source, limits=_LIMITS), limits=_LIMITS, name=source.label)
        if sha256_hex(data) in _KNOWN:
            return FileOutcome(source.label, "duplicate", "same file already imported")
        activity = parse_activity(data, source_name=name, sport_hint=source.sport_hint)
        activity = replace(activity, name=source.name or activity.name, gear=source.gear)
        summary = summarize(activity)
        blob = pack_samples(activity.samples)
        bare = replace(activity, samples=Samples(timestamp=activity.samples.timestamp))
        return Parsed(source, bare, summary, blob)
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
    """The parent side: dedupe within the run, write samples, insert rows in savepoints."""

    def __init__(
        self,
        engine: Engine,
        samples_dir: Path,
        runner_id: int,
        hashes: set[str],
        starts: set[tuple[datetime, str]],
    ) -> None:
        self.engine = engine
        self.samples_dir = samples_dir
        self.runner_id = runner_id
        self.hashes = hashes
        self.starts = starts
        self.session: Session | None = None

    def save(self, result: Parsed | FileOutcome) -> FileOutcome:
        """Store one parsed file (or pass a worker's outcome through)."""
        if isinstance(result, FileOutcome):
            return result
        activity = result.activity
        start_key = (
            activity.start_time.astimezone(UTC).replace(microsecond=0),
            activity.device or "",
        )
        if activity.source_hash in self.hashes:
            return FileOutcome(result.source.label, "duplicate", "same file already imported")
        if start_key in self.starts:
            return FileOutcome(
                result.source.label, "duplicate", "an activity with this start and device exists"
            )
        try:
            activity_id = self._insert(result)
        except Exception as exc:  # the savepoint rolled back: this file only
            return FileOutcome(result.source.label, "failed", f"not stored: {exc}")
        self.hashes.add(activity.source_hash)
        self.starts.add(start_key)
        detail = "; ".join(activity.warnings)
        return FileOutcome(result.source.label, "imported", detail, activity_id)

    def _insert(self, result: Parsed) -> int:
        assert self.session is not None
        activity, summary = result.activity, result.summary
        name = write_samples_blob(self.samples_dir, activity.source_hash, result.blob)
        with self.session.begin_nested():
            shoe_id = None
            if activity.gear and activity.sport in _ON_FOOT:
                shoe_id = repo.get_or_add_shoe(
                    self.session,
                    runner_id=self.runner_id,
                    name=activity.gear,
                    added_on=activity.start_time.date(),
                )
            return repo.add_activity(
                self.session,
                runner_id=self.runner_id,
                activity=activity,
                stats=repo.ActivityStats(
                    avg_hr_bpm=summary.avg_hr_bpm,
                    max_hr_bpm=summary.max_hr_bpm,
                    avg_cadence_spm=summary.avg_cadence_spm,
                    avg_speed_mps=summary.avg_speed_mps,
                    has_running_dynamics=summary.has_running_dynamics,
                ),
                samples_path=name,
                shoe_id=shoe_id,
                imported_at=datetime.now(UTC),
            )

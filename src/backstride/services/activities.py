"""Use cases for single activity files and the stored history (no import side effects)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from backstride.domain.vocabulary import SURFACE_TAGS
from backstride.errors import InputError
from backstride.ingest.archive import Limits

if TYPE_CHECKING:  # the store is imported by the use cases that need it, not by a summary
    from backstride.config import Settings
    from backstride.domain.activity import Samples
    from backstride.ingest.summary import FileSummary
    from backstride.storage import activities as repo


def limits_from(settings: Settings) -> Limits:
    """The decompression limits the settings ask for."""
    return Limits(
        max_file_bytes=settings.max_file_bytes,
        max_archive_total_bytes=settings.max_archive_total_bytes,
        max_compression_ratio=settings.max_compression_ratio,
    )


def summarize_file(path: Path, *, limits: Limits) -> FileSummary:
    """Read one activity file (any supported format) and summarise it; stores nothing."""
    from backstride.ingest.detect import read_activity
    from backstride.ingest.summary import summarize

    if not path.is_file():
        raise InputError(f"file {path} does not exist (expected an activity file)")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputError(
            f"file {path} has {size} bytes, more than max_file_bytes ({limits.max_file_bytes})"
        )
    activity = read_activity(path.read_bytes(), source_name=path.name, limits=limits)
    return summarize(activity)


def list_history(settings: Settings, *, since: date | None = None) -> list[repo.ActivitySummary]:
    """The local runner's stored activities (from `since` on), oldest first."""
    from backstride.services.cache import cached
    from backstride.services.store import local_runner, store_session
    from backstride.storage import activities as repo

    with store_session(settings) as session:
        runner_id = local_runner(session).id
        found = cached(session, runner_id, ("history", since), lambda: tuple(
            repo.list_activity_summaries(session, runner_id=runner_id, since=since)))  # fmt: skip
        return list(found)


SURFACES = SURFACE_TAGS  # the case file's vocabulary plus road (domain.vocabulary)


def tag_surface(settings: Settings, *, activity_id: int, surface: str | None) -> None:
    """Tag one stored activity's surface (None clears the tag; sub_sport applies again)."""
    if surface is not None and surface not in SURFACES:
        raise InputError(f"--surface: expected one of {', '.join(SURFACES)}, got {surface!r}")
    from backstride.services.store import store_session
    from backstride.storage import activities as repo

    with store_session(settings) as session:
        repo.set_surface(session, activity_id=activity_id, surface=surface)


def activity_with_samples(
    settings: Settings, activity_id: int
) -> tuple[repo.ActivitySummary, Samples | None]:
    """One of the local runner's activities and its samples (NotFoundError for others')."""
    from backstride.errors import NotFoundError
    from backstride.services.store import local_runner, store_session
    from backstride.storage import activities as repo

    with store_session(settings) as session:
        runner_id = local_runner(session).id
        found = [s for s in repo.list_activity_summaries(session, runner_id=runner_id)
                 if s.id == activity_id]  # fmt: skip
        if not found:
            raise NotFoundError(f"There is no activity {activity_id} in your account.")
        if found[0].samples_path is None:
            return found[0], None
        return found[0], repo.load_samples(session, settings.samples_dir, activity_id=activity_id)

"""The import use case against a real SQLite store: dedupe, re-runs, bad files, shoes."""

from __future__ import annotations

import gzip
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.errors import InputError
from backstride.ingest.sources import Source
from backstride.services.imports import import_paths, parse_source
from backstride.services.store import local_runner, open_store
from backstride.storage import activities as repo
from backstride.storage.db import session_scope
from tests.activity_files import gpx_bytes, straight_run, tcx_bytes

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _runs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"run{i}.gpx"
        path.write_bytes(gpx_bytes([straight_run(30, start_s=i * 86_400)], name=f"Run {i}"))
        paths.append(path)
    return paths


_PARSE_SOURCE = parse_source


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    engine = open_store(settings)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def _stored(settings: Settings) -> list[repo.ActivitySummary]:
    with _session(settings) as session:
        runner = local_runner(session).id
        return repo.list_activity_summaries(session, runner_id=runner)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_folder_is_imported_with_samples_beside_the_database(
    tmp_path: Path, workers: int
) -> None:
    settings = Settings(home=tmp_path / "home", workers=workers)
    _runs(tmp_path / "in", 5)
    progress: list[tuple[int, int]] = []
    report = import_paths(
        settings, [tmp_path / "in"], now=NOW, on_progress=lambda d, t: progress.append((d, t))
    )
    assert (report.count("imported"), report.count("failed")) == (5, 0)
    assert progress[0] == (0, 5)
    assert progress[-1] == (5, 5)
    stored = _stored(settings)
    assert [s.name for s in stored] == [f"Run {i}" for i in range(5)]
    assert all(s.avg_cadence_spm == 170.0 and s.records == 30 for s in stored)
    with _session(settings) as session:
        samples = repo.load_samples(session, settings.samples_dir, activity_id=stored[0].id)
    np.testing.assert_array_equal(samples.channels["hr_bpm"], np.full(30, 140.0))


def test_importing_the_same_files_again_changes_nothing(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", workers=2)
    _runs(tmp_path / "in", 4)
    import_paths(settings, [tmp_path / "in"], now=NOW)
    files_before = sorted(p.name for p in settings.samples_dir.iterdir())
    again = import_paths(settings, [tmp_path / "in"], now=NOW)
    assert (again.count("imported"), again.count("duplicate")) == (0, 4)
    assert len(_stored(settings)) == 4
    assert sorted(p.name for p in settings.samples_dir.iterdir()) == files_before


def test_the_same_activity_in_another_wrapping_or_format_is_a_duplicate(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    (original,) = _runs(tmp_path / "in", 1)
    gz = tmp_path / "copy.gpx.gz"
    gz.write_bytes(gzip.compress(original.read_bytes()))
    renamed = tmp_path / "renamed.gpx"  # other bytes, same start second and device
    renamed.write_bytes(original.read_bytes().replace(b"Run 0", b"Renamed"))
    report = import_paths(settings, [original, gz, renamed], now=NOW)
    assert [o.status for o in report.outcomes] == ["imported", "duplicate", "duplicate"]
    assert "start and device" in report.outcomes[2].detail
    assert len(_stored(settings)) == 1


def test_a_bad_file_among_good_ones_is_reported_and_the_rest_are_stored(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", workers=2)
    good = _runs(tmp_path / "in", 3)
    bad = tmp_path / "in" / "broken.tcx"
    bad.write_bytes(tcx_bytes([10])[:200])
    junk = tmp_path / "in" / "notes.gpx"
    junk.write_text("hello")
    report = import_paths(settings, [*good, bad, junk], now=NOW)
    failed = {o.label: o.detail for o in report.outcomes if o.status == "failed"}
    assert set(failed) == {str(bad), str(junk)}
    assert "not well-formed TCX" in failed[str(bad)]
    assert "not an activity file" in failed[str(junk)]
    assert len(_stored(settings)) == 3


def test_strava_gear_becomes_a_shoe_for_runs_but_not_for_rides(tmp_path: Path) -> None:
    export = tmp_path / "export"
    (export / "activities").mkdir(parents=True)
    run = gpx_bytes([straight_run(30)], sport=None)
    ride = gpx_bytes([straight_run(30, start_s=90_000)], sport=None)
    (export / "activities" / "1.gpx.gz").write_bytes(gzip.compress(run))
    (export / "activities" / "2.gpx").write_bytes(ride)
    (export / "activities.csv").write_text(
        "Activity ID,Activity Name,Activity Type,Distance,Activity Gear,Filename,Distance\n"
        "1,Lunch Run,Run,0.1,Kinvara 14,activities/1.gpx.gz,100\n"
        "2,Spin,Ride,0.1,Old Bike,activities/2.gpx,100\n"
    )
    settings = Settings(home=tmp_path / "home")
    import_paths(settings, [export], now=NOW)
    first, second = _stored(settings)
    assert (first.name, first.sport, first.shoe_name) == ("Lunch Run", "running", "Kinvara 14")
    assert (second.sport, second.shoe_name) == ("cycling", None)
    with _session(settings) as session:
        shoes = repo.list_shoes(session, runner_id=local_runner(session).id)
    assert [(s.name, s.activities) for s in shoes] == [("Kinvara 14", 1)]


def test_a_stale_orphan_samples_file_is_cleaned_by_the_next_import(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    settings.samples_dir.mkdir(parents=True)
    orphan = settings.samples_dir / ("ef" * 32 + ".npz")
    orphan.write_bytes(b"left by an import that never committed")
    old = time.time() - 7200
    os.utime(orphan, (old, old))
    import_paths(settings, _runs(tmp_path / "in", 1), now=NOW)
    assert not orphan.exists()
    assert len(list(settings.samples_dir.glob("*.npz"))) == 1


def test_a_missing_path_stops_before_anything_is_imported(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    with pytest.raises(InputError, match="does not exist"):
        import_paths(settings, [*_runs(tmp_path / "in", 1), tmp_path / "missing.fit"], now=NOW)
    assert not (tmp_path / "home").exists()


def test_a_row_that_fails_inside_a_batch_is_retried_alone_and_the_others_are_kept(
    tmp_path: Path,
) -> None:
    # Another process stored run 1 after this import read the known hashes: the batch's
    # multi-row INSERT hits the unique constraint, so each file is retried on its own.
    from backstride.ingest.archive import Limits
    from backstride.ingest.sources import Source
    from backstride.services import imports

    settings = Settings(home=tmp_path / "home")
    paths = _runs(tmp_path / "in", 3)
    import_paths(settings, [paths[1]], now=NOW)
    imports._init_worker(imports._WorkerContext(Limits(), frozenset(), settings.samples_dir))
    parsed = [imports.parse_source(Source(str(p), str(p))) for p in paths]
    with _session(settings) as session:
        runner = local_runner(session).id
        store = imports._Store(session, settings.samples_dir, runner, set(), set(), now=NOW)
        for result in parsed:
            store.save(result)
        outcomes = store.flush()
    assert [o.status for o in outcomes] == ["imported", "failed", "imported"]
    assert "not stored" in outcomes[1].detail
    assert [s.name for s in _stored(settings)] == ["Run 0", "Run 1", "Run 2"]


@pytest.mark.postgres
def test_import_and_reimport_work_on_postgresql(tmp_path: Path, pg_schema_url: str) -> None:
    import uuid

    from sqlalchemy import delete

    from backstride.storage.activities import ActivityRow

    settings = Settings(home=tmp_path / "home", database_url=pg_schema_url)
    offset_days = uuid.uuid4().int % 100_000  # this run's activities are new to the server
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(2):
        start_s = (offset_days + i) * 86_400
        (folder / f"{i}.gpx").write_bytes(gpx_bytes([straight_run(20, start_s=start_s)]))
    first = import_paths(settings, [folder], now=NOW)
    again = import_paths(settings, [folder], now=NOW)
    ids = [o.activity_id for o in first.outcomes]
    try:
        assert [o.status for o in first.outcomes] == ["imported", "imported"]
        assert [o.status for o in again.outcomes] == ["duplicate", "duplicate"]
    finally:
        with _session(settings) as session:
            session.execute(delete(ActivityRow).where(ActivityRow.id.in_(ids)))


def _die_on_crash_file(source: Source) -> object:
    """Stands in for a reader that kills its process on one particular file."""
    if source.label.endswith("crash.gpx"):
        os._exit(70)
    return _PARSE_SOURCE(source)


@pytest.mark.parametrize("count", [6, 40])  # 40: workers get the files a few at a time
def test_a_file_that_kills_its_worker_is_reported_and_the_others_are_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    from backstride.services import imports

    settings = Settings(home=tmp_path / "home", workers=2)
    paths = _runs(tmp_path / "in", count)
    crash = paths[2].rename(tmp_path / "in" / "crash.gpx")
    monkeypatch.setattr(imports, "parse_source", _die_on_crash_file)
    report = import_paths(settings, [*paths[:2], crash, *paths[3:]], now=NOW)
    statuses = {Path(o.label).name: o.status for o in report.outcomes}
    assert statuses.pop("crash.gpx") == "failed"
    assert set(statuses.values()) == {"imported"}
    assert len(statuses) == count - 1
    assert "crashed the worker" in report.outcomes[2].detail
    assert [Path(o.label).name for o in report.outcomes][3:] == [p.name for p in paths[3:]]
    assert len(_stored(settings)) == count - 1


@pytest.mark.parametrize(
    ("shift_s", "step_deg", "expected"),
    [
        (30, 0.00003, "duplicate"),  # same run, other app: 30 s later, same distance
        (30, 0.00006, "imported"),  # same start but twice the distance: another activity
        (300, 0.00003, "imported"),  # five minutes later: another activity
    ],
)
def test_the_same_run_exported_by_another_app_is_a_duplicate(
    tmp_path: Path, shift_s: int, step_deg: float, expected: str
) -> None:
    settings = Settings(home=tmp_path / "home")
    watch = tmp_path / "watch.gpx"
    watch.write_bytes(gpx_bytes([straight_run(120)], creator="Garmin Connect"))
    app = tmp_path / "app.gpx"
    run = straight_run(120, step_deg=step_deg, start_s=shift_s)
    app.write_bytes(gpx_bytes([run], creator="StravaGPX"))
    import_paths(settings, [watch], now=NOW)
    (outcome,) = import_paths(settings, [app], now=NOW).outcomes
    assert outcome.status == expected
    if expected == "duplicate":
        assert "same run" in outcome.detail

"""The activity/shoe repository and compact sample files."""

from __future__ import annotations

import io
import os
import time
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.domain.activity import Activity, Samples
from backstride.errors import InputError, NotFoundError, StorageError
from backstride.services.store import local_runner
from backstride.storage import activities as repo
from backstride.storage.base import Base
from backstride.storage.db import open_database, session_scope
from backstride.storage.samples import (
    pack_samples,
    read_samples,
    remove_orphans,
    unpack_samples,
    write_samples,
)

START = datetime(2024, 3, 1, 7, 0, 5, tzinfo=UTC)
NO_STATS = repo.ActivityStats(None, None, None, None, False)


def make_activity(
    *, start: datetime = START, source_hash: str = "ab" * 32, distance_m: float = 5000.0
) -> Activity:
    n = 5
    stamps = np.datetime64(start.replace(tzinfo=None), "ms") + np.arange(n) * np.timedelta64(
        1000, "ms"
    )
    channels = {
        "lat_deg": np.linspace(46.0, 46.001, n),
        "hr_bpm": np.array([120.0, np.nan, 130.0, 131.0, 132.0]),
    }
    return Activity(
        sport="running",
        sub_sport="trail",
        start_time=start,
        duration_s=4.0,
        moving_time_s=4.0,
        distance_m=distance_m,
        device="garmin fr955",
        source_format="fit",
        source_hash=source_hash,
        samples=Samples(timestamp=stamps, channels=channels),
        name="Morning run",
    )


def _add(
    session: Session,
    runner_id: int,
    activity: Activity | None = None,
    *,
    stats: repo.ActivityStats = NO_STATS,
    samples_path: str | None = None,
    shoe_id: int | None = None,
) -> int:
    """Store one activity (a default run unless given) imported at START; returns its id."""
    return repo.add_activity(
        session,
        runner_id=runner_id,
        activity=activity or make_activity(),
        stats=stats,
        samples_path=samples_path,
        shoe_id=shoe_id,
        imported_at=START,
    )


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_database(Settings(home=tmp_path))


def test_migrations_create_exactly_the_tables_the_models_declare(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if "activity" in repr(d) or "shoe" in repr(d)]
    assert ours == []


def test_added_activity_is_listed_with_aware_utc_start_and_surface(engine: Engine) -> None:
    with session_scope(engine) as session:
        runner = local_runner(session).id
        _add(session, runner, stats=repo.ActivityStats(128.0, 132.0, 170.0, 3.1, True))
    with session_scope(engine) as session:
        (summary,) = repo.list_activity_summaries(session, runner_id=runner)
    assert summary.start_time == START
    assert summary.surface == "trail"
    assert summary.records == 5
    assert (summary.avg_hr_bpm, summary.avg_cadence_spm, summary.has_running_dynamics) == (
        128.0,
        170.0,
        True,
    )


def test_duplicates_are_found_by_hash_and_by_start_and_device(engine: Engine) -> None:
    with session_scope(engine) as session:
        runner = local_runner(session).id
        _add(session, runner)
        assert repo.activity_exists_by_hash(session, runner_id=runner, source_hash="ab" * 32)
        assert not repo.activity_exists_by_hash(session, runner_id=runner, source_hash="cd" * 32)
        assert repo.activity_exists_at(
            session, runner_id=runner, start_time=START, device="garmin fr955"
        )
        assert not repo.activity_exists_at(
            session, runner_id=runner, start_time=START, device="other"
        )
        hashes, starts = repo.known_keys(session, runner_id=runner)
    assert hashes == {"ab" * 32}
    assert starts == {(START, "garmin fr955")}


def test_the_same_content_hash_cannot_be_stored_twice_for_one_runner(engine: Engine) -> None:
    def add_twice() -> None:
        with session_scope(engine) as session:
            runner = local_runner(session).id
            for _ in range(2):
                _add(session, runner)

    with pytest.raises(IntegrityError):
        add_twice()


def test_summaries_since_a_date_leave_older_activities_out(engine: Engine) -> None:
    with session_scope(engine) as session:
        runner = local_runner(session).id
        for days, digest in [(0, "aa"), (10, "bb"), (20, "cc")]:
            _add(
                session,
                runner,
                make_activity(start=START + timedelta(days=days), source_hash=digest * 32),
            )
        recent = repo.list_activity_summaries(session, runner_id=runner, since=date(2024, 3, 11))
    assert [s.start_time.day for s in recent] == [11, 21]


def test_shoe_distance_is_start_km_plus_assigned_activities(engine: Engine) -> None:
    with session_scope(engine) as session:
        runner = local_runner(session).id
        shoe = repo.add_shoe(
            session, runner_id=runner, name="Pegasus", added_on=date(2024, 1, 1), start_km=100
        )
        for i in range(3):
            activity_id = _add(
                session, runner, make_activity(source_hash=f"{i:02d}" * 32, distance_m=10_000.0)
            )
            repo.assign_shoe(session, activity_id=activity_id, shoe_id=shoe)
        repo.retire_shoe(session, shoe_id=shoe)
        (listed,) = repo.list_shoes(session, runner_id=runner)
        assert repo.list_shoes(session, runner_id=runner, include_retired=False) == []
        assert repo.shoe_distances_km(session, runner_id=runner) == {shoe: pytest.approx(130.0)}
        assert (
            repo.get_or_add_shoe(
                session, runner_id=runner, name="pegasus", added_on=date(2024, 1, 1)
            )
            == shoe
        )
    assert (listed.retired, listed.activities, listed.distance_km) == (True, 3, 130.0)


@pytest.mark.parametrize(
    ("name", "start_km"), [("", 0.0), ("x" * 201, 0.0), ("Ok", -1.0)], ids=["empty", "long", "neg"]
)
def test_invalid_shoes_are_refused_with_a_clear_error(
    engine: Engine, name: str, start_km: float
) -> None:
    with pytest.raises(InputError, match="shoe"), session_scope(engine) as session:
        repo.add_shoe(
            session,
            runner_id=local_runner(session).id,
            name=name,
            added_on=date(2024, 1, 1),
            start_km=start_km,
        )


def test_unknown_ids_raise_not_found(engine: Engine) -> None:
    with session_scope(engine) as session:
        with pytest.raises(NotFoundError, match="activity id 99"):
            repo.assign_shoe(session, activity_id=99, shoe_id=None)
        with pytest.raises(NotFoundError, match="shoe id 7"):
            repo.retire_shoe(session, shoe_id=7)


def test_samples_round_trip_through_the_store(engine: Engine, tmp_path: Path) -> None:
    activity = make_activity()
    samples_dir = tmp_path / "samples"
    name = write_samples(samples_dir, activity.source_hash, activity.samples)
    with session_scope(engine) as session:
        runner = local_runner(session).id
        activity_id = _add(session, runner, activity, samples_path=name)
        loaded = repo.load_samples(session, samples_dir, activity_id=activity_id)
        assert repo.list_sample_names(session) == {name}
    assert np.array_equal(loaded.timestamp, activity.samples.timestamp)
    np.testing.assert_array_equal(loaded.channels["lat_deg"], activity.samples.channels["lat_deg"])
    np.testing.assert_allclose(loaded.channels["hr_bpm"], [120, np.nan, 130, 131, 132])


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.floats(min_value=-1e6, max_value=1e6, width=32), st.just(float("nan"))),
        max_size=50,
    ),
    offset_ms=st.integers(min_value=0, max_value=10**12),
)
def test_packing_keeps_every_value_and_timestamp(values: list[float], offset_ms: int) -> None:
    n = len(values)
    stamps = (np.int64(offset_ms) + np.arange(n, dtype=np.int64) * 1000).astype("datetime64[ms]")
    samples = Samples(timestamp=stamps, channels={"speed_mps": np.array(values, dtype=np.float64)})
    back = unpack_samples(pack_samples(samples))
    assert np.array_equal(back.timestamp, stamps)
    np.testing.assert_array_equal(back.channels["speed_mps"], samples.channels["speed_mps"])


def _earlier_format(samples: Samples) -> bytes:
    """An `.npz` as earlier versions wrote it: one deflated, byte-shuffled member per array."""
    stamps = samples.timestamp.astype("datetime64[ms]").astype(np.int64)
    arrays = {"timestamp": np.diff(stamps, prepend=np.int64(0))}
    for name, values in samples.channels.items():
        arrays[name] = values.astype(np.float64 if name == "lat_deg" else np.float32)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        members = {"layout": np.array([f"{n}:{a.dtype.str}" for n, a in arrays.items()])}
        for name, array in arrays.items():
            members[name] = np.ascontiguousarray(array.view(np.uint8).reshape(-1, array.itemsize).T)
        for name, member in members.items():
            with archive.open(name + ".npy", "w") as handle:
                np.lib.format.write_array(handle, member)
    return buffer.getvalue()


def test_sample_files_of_the_earlier_format_still_read(tmp_path: Path) -> None:
    samples = make_activity().samples
    back = unpack_samples(_earlier_format(samples))
    assert np.array_equal(back.timestamp, samples.timestamp)
    np.testing.assert_array_equal(back.channels["lat_deg"], samples.channels["lat_deg"])
    np.testing.assert_array_equal(back.channels["hr_bpm"], samples.channels["hr_bpm"])


def test_packed_samples_are_one_compressed_payload_smaller_than_the_arrays() -> None:
    n = 3600
    stamps = np.datetime64("2024-03-01T07:00:00", "ms") + np.arange(n) * np.timedelta64(1, "s")
    channels = {
        "lat_deg": 46.0 + np.cumsum(np.full(n, 1e-5)),
        "hr_bpm": np.round(140 + 10 * np.sin(np.arange(n) / 60)),
        "distance_m": np.cumsum(np.full(n, 2.8)),
    }
    blob = pack_samples(Samples(timestamp=stamps, channels=channels))
    with np.load(io.BytesIO(blob)) as data:
        assert sorted(data.files) == ["layout", "payload"]
    assert len(blob) < n * (8 + 8 + 4 + 4) / 3
    back = unpack_samples(blob)
    np.testing.assert_array_equal(back.channels["lat_deg"], channels["lat_deg"])
    np.testing.assert_array_equal(back.channels["hr_bpm"], channels["hr_bpm"])


def test_a_payload_that_does_not_fit_its_layout_is_refused() -> None:
    blob = pack_samples(make_activity().samples)
    with np.load(io.BytesIO(blob)) as data:
        layout, payload = data["layout"], data["payload"]
    assert list(layout) == ["timestamp:<i8", "lat_deg:<f8", "hr_bpm:<f4"]  # 20 bytes a sample
    buffer = io.BytesIO()
    np.savez(buffer, layout=np.array(["timestamp:<i8"]), payload=payload)  # 8 a sample
    with pytest.raises(StorageError, match="do not match their layout"):
        unpack_samples(buffer.getvalue())


def test_orphan_files_are_removed_once_stale_and_kept_files_survive(tmp_path: Path) -> None:
    activity = make_activity()
    kept = write_samples(tmp_path, "11" * 32, activity.samples)
    orphan = write_samples(tmp_path, "22" * 32, activity.samples)
    fresh = write_samples(tmp_path, "33" * 32, activity.samples)
    old = time.time() - 7200
    for name in (kept, orphan):
        os.utime(tmp_path / name, (old, old))
    assert remove_orphans(tmp_path, {kept}) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([kept, fresh])
    assert len(read_samples(tmp_path, kept)) == 5


@pytest.mark.parametrize("bad", ["../x.npz", "abc"])
def test_sample_names_outside_the_folder_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(StorageError, match="samples name"):
        read_samples(tmp_path, bad)


def test_a_non_hex_hash_is_refused_as_a_sample_name(tmp_path: Path) -> None:
    samples = make_activity().samples
    with pytest.raises(StorageError, match="hex digest"):
        write_samples(tmp_path, "ZZ" * 32, samples)


@pytest.mark.postgres
def test_the_repository_works_the_same_on_postgresql(pg_schema_url: str) -> None:
    from sqlalchemy import delete

    from backstride.storage.db import make_engine, migrate
    from backstride.storage.tables import RunnerRow

    engine = make_engine(pg_schema_url)
    try:
        migrate(engine)
        with session_scope(engine) as session:
            runner = RunnerRow(name="repo-test", created_at=START, profile={})
            session.add(runner)
            session.flush()
            shoe = repo.add_shoe(
                session, runner_id=runner.id, name="Pegasus", added_on=START.date()
            )
            activity_id = _add(session, runner.id, shoe_id=shoe)
            assert repo.activity_exists_at(
                session, runner_id=runner.id, start_time=START, device="garmin fr955"
            )
            (summary,) = repo.list_activity_summaries(
                session, runner_id=runner.id, since=START.date()
            )
            assert (summary.id, summary.start_time, summary.shoe_name) == (
                activity_id,
                START,
                "Pegasus",
            )
            assert repo.shoe_distances_km(session, runner_id=runner.id) == {shoe: 5.0}
            session.execute(delete(RunnerRow).where(RunnerRow.id == runner.id))
    finally:
        engine.dispose()


def test_a_batch_of_rows_gets_its_ids_in_the_given_order(database_url: str) -> None:
    from backstride.storage.db import make_engine, migrate

    hashes = ["c3" * 32, "a1" * 32, "b2" * 32]  # not in sorted order
    new = [
        repo.NewActivity(
            make_activity(start=START + timedelta(days=k), source_hash=h),
            NO_STATS,
            None,
            records=100 + k,
        )
        for k, h in enumerate(hashes)
    ]
    engine = make_engine(database_url)
    try:
        migrate(engine)
        with session_scope(engine) as session:
            runner = local_runner(session).id
            ids = repo.add_activities(session, runner_id=runner, new=new, imported_at=START)
            stored = {s.id: s for s in repo.list_activity_summaries(session, runner_id=runner)}
    finally:
        engine.dispose()
    assert len(set(ids)) == 3
    assert [stored[i].start_time for i in ids] == [START + timedelta(days=k) for k in range(3)]
    assert [stored[i].records for i in ids] == [100, 101, 102]


def test_missing_timestamps_and_empty_samples_survive_packing() -> None:
    stamps = np.array(["2020-01-01T00:00:00", "NaT", "2020-01-01T00:00:02"], dtype="datetime64[ms]")
    back = unpack_samples(pack_samples(Samples(timestamp=stamps)))
    assert np.array_equal(back.timestamp, stamps, equal_nan=True)
    empty = unpack_samples(pack_samples(Samples(timestamp=stamps[:0])))
    assert len(empty) == 0


def test_a_shoe_can_be_renamed_and_deleted_leaving_its_activities(engine: Engine) -> None:
    with session_scope(engine) as session:
        runner = local_runner(session).id
        shoe = repo.add_shoe(session, runner_id=runner, name="Old", added_on=date(2024, 1, 1))
        other = repo.add_shoe(session, runner_id=runner, name="Other", added_on=date(2024, 1, 1))
        activity_id = _add(session, runner, shoe_id=shoe)
        repo.update_shoe(session, shoe_id=shoe, name="Ghost 15", brand="Brooks", start_km=12.5)
        with pytest.raises(InputError, match="unused"):
            repo.update_shoe(session, shoe_id=other, name="ghost 15")
        (listed, _) = repo.list_shoes(session, runner_id=runner)
        assert (listed.name, listed.brand, listed.distance_km) == ("Ghost 15", "Brooks", 17.5)
        repo.delete_shoe(session, shoe_id=shoe)
        (summary,) = repo.list_activity_summaries(session, runner_id=runner)
    assert (summary.id, summary.shoe_id, summary.distance_m) == (activity_id, None, 5000.0)

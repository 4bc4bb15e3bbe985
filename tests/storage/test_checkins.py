"""Weekly check-ins are stored and read back (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from backstride.config import Settings
from backstride.domain.checkin import CheckIn
from backstride.services import plans


def _round_trip(settings: Settings) -> None:
    first = CheckIn(date(2026, 11, 22), 4, 6, 3, 2, 5000, "Walk to work", None)
    second = CheckIn(date(2026, 11, 29), 2, 8, 4, 3, 6000, "Walk to work", True)
    plans.record_checkin(settings, second, now=datetime(2026, 11, 29, 20, tzinfo=UTC))
    done = plans.record_checkin(settings, first, now=datetime(2026, 11, 29, 21, tzinfo=UTC))
    assert plans.list_checkins(settings) == [first, second]
    assert done is not None  # judged as of the week it was given for


def test_check_ins_round_trip_in_sqlite(tmp_path: Path) -> None:
    _round_trip(Settings(home=tmp_path))


def test_check_ins_round_trip_in_postgresql(pg_schema_url: str, tmp_path: Path) -> None:
    _round_trip(Settings(home=tmp_path, database_url=pg_schema_url))


def test_an_out_of_range_check_in_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    import pytest

    from backstride.errors import InputError

    settings = Settings(home=tmp_path)
    with pytest.raises(InputError, match="pain: expected 0–10, got 14"):
        plans.record_checkin(settings, CheckIn(date(2026, 11, 29), 14, 6, 3, 2),
                             now=datetime(2026, 11, 29, tzinfo=UTC))  # fmt: skip
    assert plans.list_checkins(settings) == []

"""The store through the database driver alone: the short commands' path (no SQLAlchemy).

Importing the SQLAlchemy ORM costs a command about a second of CPU on a small machine, more
than everything else `diary add` does. The few reads and writes those commands need run
here on a plain DB-API connection: the standard library's `sqlite3` for SQLite, psycopg
for PostgreSQL. The schema stays the migrations' own: a database that is not at the
migrations' heads is opened (and migrated) the usual way first. Values are stored exactly
as the ORM stores them (SQLite keeps SQLAlchemy's text forms of dates, times and JSON); a
test writes and reads through both paths and compares the rows.

Functions take a `Store` and never commit: the caller owns the transaction (`transaction`).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from backstride.domain.diary import ENTRY_FIELDS, DiaryEntry, entry_fields, entry_from_fields
from backstride.progress.history import AssessmentRecord

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: Set on every SQLite connection, by either path: WAL, foreign keys, a busy timeout.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=30000",
)
#: SQLAlchemy's SQLite text form of a DateTime (always with microseconds, no zone).
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"
_NAMED = re.compile(r"(?<!:):(\w+)")
#: `revision = "..."` / `down_revision = ...` at the start of a line of a migration script.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)


def script_heads() -> set[str]:
    """The revisions no other migration builds on, read from the scripts' assignments."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        # Only the two assignment lines are read: parsing whole scripts on every start
        # cost more than the rest of opening the store.
        for name, literal in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            value = ast.literal_eval(literal)
            if name == "revision":
                revisions.add(value)
            elif value:
                parents.update([value] if isinstance(value, str) else value)
    return revisions - parents


def _sqlite_datetime(text: str) -> datetime:
    return datetime.fromisoformat(text)  # both "... 12:00:00" and "... 12:00:00.000001"


#: How SQLite's declared column types come back as the ORM returns them.
_SQLITE_READERS: dict[str, Callable[[Any], Any]] = {
    "DATETIME": _sqlite_datetime,
    "DATE": date.fromisoformat,
    "JSON": json.loads,
    "BOOLEAN": bool,
}


@dataclass
class Store:
    """One DB-API connection and how its driver wants parameters and values."""

    connection: Any
    sqlite: bool
    _readers: dict[str, dict[str, Callable[[Any], Any]]] = field(default_factory=dict)

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """Run `sql` with `:name` parameters; the driver's cursor."""
        values = {k: self._value(v) for k, v in (params or {}).items()}
        cursor = self.connection.cursor()
        cursor.execute(sql if self.sqlite else _NAMED.sub(r"%(\1)s", sql), values)
        return cursor

    def rows(
        self, table: str, sql: str, params: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """The rows of a query on one table, each as a dict of its columns' values."""
        cursor = self.execute(sql, params)
        names = [d[0] for d in cursor.description]
        readers = self._table_readers(table)
        return [
            {
                n: v if v is None or n not in readers else readers[n](v)
                for n, v in zip(names, row, strict=True)
            }
            for row in cursor.fetchall()
        ]

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        """Insert one row; its id."""
        names = ", ".join(values)
        marks = ", ".join(f":{n}" for n in values)
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id"
        return int(self.execute(sql, values).fetchone()[0])

    def _value(self, value: Any) -> Any:
        if isinstance(value, list | dict):
            return json.dumps(value)  # SQLAlchemy's JSON type writes json.dumps' text
        if self.sqlite and isinstance(value, datetime):
            return value.replace(tzinfo=None).strftime(_SQLITE_DATETIME)
        if self.sqlite and isinstance(value, date):
            return value.isoformat()
        return value

    def _table_readers(self, table: str) -> dict[str, Callable[[Any], Any]]:
        """Column -> reader from the table's declared types (SQLite; the driver does PG's)."""
        if not self.sqlite:
            return {}
        if table not in self._readers:
            declared = self.connection.execute(f"PRAGMA table_info({table})").fetchall()
            self._readers[table] = {
                row[1]: _SQLITE_READERS[kind]
                for row in declared
                if (kind := str(row[2]).split("(")[0].strip().upper()) in _SQLITE_READERS
            }
        return self._readers[table]


def connect(url: str) -> Store:
    """A connection to the database at this SQLAlchemy URL (SQLite or PostgreSQL)."""
    scheme, _, rest = url.partition("://")
    if scheme.startswith("sqlite"):
        import sqlite3

        path = rest[1:].split("?")[0] or ":memory:"
        connection = sqlite3.connect(path, timeout=30)
        for pragma in SQLITE_PRAGMAS:
            connection.execute(pragma)
        return Store(connection, sqlite=True)
    if scheme.startswith("postgresql"):
        import psycopg

        return Store(psycopg.connect(f"postgresql://{rest}"), sqlite=False)
    raise ValueError(f"no direct driver for database URLs starting {scheme}://")


def at_heads(store: Store) -> bool:
    """True when the database's recorded revisions are exactly the migrations' heads."""
    try:
        stored = {str(row[0]) for row in store.execute("SELECT version_num FROM alembic_version")}
    except Exception:  # no table yet (a new database): the migrations decide
        store.connection.rollback()
        return False
    return bool(stored) and stored == script_heads()


@contextmanager
def transaction(store: Store) -> Iterator[Store]:
    """One transaction: commit on success, roll back on any exception; then close."""
    try:
        yield store
        store.connection.commit()
    except BaseException:
        store.connection.rollback()
        raise
    finally:
        store.connection.close()


def utc(moment: datetime) -> datetime:
    """`moment` as aware UTC (SQLite returns naive values that are already UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def entry_columns(entry: DiaryEntry) -> dict[str, Any]:
    """The diary table's values for an entry (its time as naive local, to the second)."""
    return entry_fields(entry) | {"at": entry.at.replace(tzinfo=None, microsecond=0)}


def rmdq_columns(on: date, items: Sequence[int]) -> dict[str, Any]:
    """The RMDQ table's values for a response: the statements ticked, sorted, and the score."""
    return {"taken_on": on, "items": sorted(items), "score": len(items)}


# The rows the short commands read and write --------------------------------------------


def owner_id(store: Store) -> int | None:
    """The owner account (the oldest account holding the owner role), or None."""
    for row in store.rows("users", "SELECT id, roles FROM users ORDER BY id"):
        if "owner" in (row["roles"] or []):
            return int(row["id"])
    return None


def runner_of_user(store: Store, user_id: int) -> int | None:
    """The runner this account owns, or None (no such account, or its runner is missing)."""
    found = store.execute(
        "SELECT runner.id FROM users JOIN runner ON runner.id = users.runner_id "
        "WHERE users.id = :user_id",
        {"user_id": user_id},
    ).fetchone()
    return None if found is None else int(found[0])


def user_of_runner(store: Store, runner_id: int) -> int | None:
    """The account owning this runner, or None."""
    found = store.execute(
        "SELECT id FROM users WHERE runner_id = :runner_id", {"runner_id": runner_id}
    ).fetchone()
    return None if found is None else int(found[0])


def add_diary_entry(
    store: Store, *, runner_id: int, entry: DiaryEntry, created_at: datetime
) -> int:
    """Store one diary entry; its id."""
    values = {"runner_id": runner_id, "created_at": utc(created_at), **entry_columns(entry)}
    return store.insert("diary_entry", values)


def add_rmdq(
    store: Store, *, runner_id: int, on: date, items: Sequence[int], created_at: datetime
) -> int:
    """Store one RMDQ response (statement numbers 1–24 ticked); its id."""
    values = {"runner_id": runner_id, **rmdq_columns(on, items), "created_at": utc(created_at)}
    return store.insert("rmdq_response", values)


def list_diary_entries(store: Store, *, runner_id: int) -> list[tuple[int, DiaryEntry]]:
    """The runner's diary entries with their ids, oldest first."""
    rows = store.rows(
        "diary_entry",
        f"SELECT id, {', '.join(ENTRY_FIELDS)} FROM diary_entry "
        "WHERE runner_id = :runner_id ORDER BY at, id",
        {"runner_id": runner_id},
    )
    return [(int(row["id"]), entry_from_fields(row)) for row in rows]


def list_assessments(store: Store, *, runner_id: int) -> list[AssessmentRecord]:
    """Every assessment of the runner, oldest first."""
    rows = store.rows(
        "assessment",
        'SELECT id, created_at, "case", result, urgency, kb_version FROM assessment '
        "WHERE runner_id = :runner_id ORDER BY created_at, id",
        {"runner_id": runner_id},
    )
    return [
        AssessmentRecord(
            r["id"], utc(r["created_at"]), r["case"], r["result"], r["urgency"], r["kb_version"]
        )
        for r in rows
    ]


def latest_review_at(store: Store, *, user_id: int) -> datetime | None:
    """When this account's runner was last reviewed by a clinician (aware UTC), or None."""
    rows = store.rows(
        "clinician_reviews",
        "SELECT at FROM clinician_reviews WHERE user_id = :user_id ORDER BY at DESC, id DESC "
        "LIMIT 1",
        {"user_id": user_id},
    )
    return utc(rows[0]["at"]) if rows else None


@dataclass(frozen=True, slots=True)
class RunRow:
    """A stored running activity as the diary and progress read it."""

    source_hash: str  # the run's key
    start_time: datetime  # aware UTC
    distance_m: float | None
    duration_s: float | None
    avg_cadence_spm: float | None
    surface: str | None
    sub_sport: str | None


def list_runs(store: Store, *, runner_id: int) -> list[RunRow]:
    """The runner's running activities, oldest first."""
    rows = store.rows(
        "activity",
        "SELECT source_hash, start_time, distance_m, duration_s, avg_cadence_spm, surface, "
        "sub_sport FROM activity WHERE runner_id = :runner_id AND sport = 'running' "
        "ORDER BY start_time",
        {"runner_id": runner_id},
    )
    return [RunRow(**(r | {"start_time": utc(r["start_time"])})) for r in rows]


@dataclass(frozen=True, slots=True)
class ActivitySummary:
    """One stored activity without its samples (what history views and analytics read)."""

    id: int
    sport: str
    sub_sport: str | None
    start_time: datetime
    device: str | None
    duration_s: float
    moving_time_s: float | None
    distance_m: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    avg_cadence_spm: float | None
    avg_speed_mps: float | None
    has_running_dynamics: bool
    records: int
    source_format: str
    name: str | None
    shoe_id: int | None
    shoe_name: str | None
    surface: str | None
    samples_path: str | None


_SUMMARY_COLUMNS = ", ".join(
    "shoe.name AS shoe_name" if name == "shoe_name" else f"activity.{name}"
    for name in ActivitySummary.__dataclass_fields__
)


def list_activity_summaries(
    store: Store, *, runner_id: int, since: date | None = None, sport: str | None = None
) -> list[ActivitySummary]:
    """The runner's activities (optionally from `since` on, of one sport), oldest first."""
    where = ["activity.runner_id = :runner_id"]
    params: dict[str, Any] = {"runner_id": runner_id}
    if since is not None:
        where.append("activity.start_time >= :since")
        params["since"] = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    if sport is not None:
        where.append("activity.sport = :sport")
        params["sport"] = sport
    rows = store.rows(
        "activity",
        f"SELECT {_SUMMARY_COLUMNS} FROM activity "
        "LEFT OUTER JOIN shoe ON activity.shoe_id = shoe.id "
        f"WHERE {' AND '.join(where)} ORDER BY activity.start_time, activity.id",
        params,
    )
    return [ActivitySummary(**(r | {"start_time": utc(r["start_time"])})) for r in rows]


def activity_keys(store: Store, *, runner_id: int) -> dict[int, str]:
    """The runner's activities' keys (source hashes) by id."""
    rows = store.execute(
        "SELECT id, source_hash FROM activity WHERE runner_id = :runner_id",
        {"runner_id": runner_id},
    ).fetchall()
    return {int(row[0]): str(row[1]) for row in rows}


@dataclass(frozen=True, slots=True)
class ShoeSummary:
    """A shoe with its total distance (start_km plus assigned activities)."""

    id: int
    name: str
    brand: str | None
    model: str | None
    start_km: float
    retired: bool
    added_on: date
    distance_km: float
    activities: int


def list_shoes(store: Store, *, runner_id: int, include_retired: bool = True) -> list[ShoeSummary]:
    """The runner's shoes with their distance and activity count, in the order added."""
    retired = "" if include_retired else " AND NOT shoe.retired"
    rows = store.rows(
        "shoe",
        "SELECT shoe.id, shoe.name, shoe.brand, shoe.model, shoe.start_km, shoe.retired, "
        "shoe.added_on, totals.metres, totals.n FROM shoe LEFT OUTER JOIN ("
        "SELECT shoe_id, coalesce(sum(distance_m), 0.0) AS metres, count(id) AS n "
        "FROM activity WHERE shoe_id IS NOT NULL GROUP BY shoe_id) AS totals "
        f"ON totals.shoe_id = shoe.id WHERE shoe.runner_id = :runner_id{retired} "
        "ORDER BY shoe.id",
        {"runner_id": runner_id},
    )
    return [
        ShoeSummary(
            **{k: v for k, v in r.items() if k not in ("metres", "n")},
            distance_km=r["start_km"] + float(r["metres"] or 0.0) / 1000.0,
            activities=int(r["n"] or 0),
        )
        for r in rows
    ]

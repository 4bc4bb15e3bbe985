"""Recovery-tracking tables (assessments, plan snapshots, diary, RMDQ) and their repository.

Every function takes a `Session` and never commits: the caller owns the transaction.
Diary times are the runner's wall-clock time (no zone: a diary day is the runner's day);
creation stamps are UTC and always come back timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.domain.diary import ENTRY_FIELDS, DiaryEntry, entry_from_fields
from backstride.errors import NotFoundError
from backstride.progress.change import RmdqPoint
from backstride.progress.history import AssessmentRecord, RmdqResponse
from backstride.storage.base import Base
from backstride.storage.direct import entry_columns, rmdq_columns, utc
from backstride.storage.tables import RunnerRow

__all__ = ["entry_columns", "utc"]  # the column rules, shared with the direct path


class AssessmentRow(Base):
    """One stored assessment: the case as answered, the result and the knowledge base used."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey(RunnerRow.id, ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    case: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    urgency: Mapped[str] = mapped_column(String(16))
    kb_version: Mapped[str] = mapped_column(String(40))
    kb_digest: Mapped[str] = mapped_column(String(64))


class PlanSnapshotRow(Base):
    """A plan as it was given to the runner (the plan's JSON form)."""

    __tablename__ = "plan_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey(RunnerRow.id, ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    phase: Mapped[str | None] = mapped_column(String(80), nullable=True)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    kb_version: Mapped[str] = mapped_column(String(40))


class DiaryEntryRow(Base):
    """One diary entry (several a day are allowed)."""

    __tablename__ = "diary_entry"
    __table_args__ = (
        CheckConstraint("pain_now BETWEEN 0 AND 10", name="pain_now_range"),
        CheckConstraint("pain_worst IS NULL OR pain_worst BETWEEN 0 AND 10", name="worst_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey(RunnerRow.id, ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=False), index=True)
    pain_now: Mapped[int] = mapped_column(Integer)
    pain_worst: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pain_during_run: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pain_next_morning: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stiffness: Mapped[int | None] = mapped_column(Integer, nullable=True)
    locations: Mapped[list[str]] = mapped_column(JSON)
    leg_symptoms: Mapped[bool] = mapped_column(Boolean)
    new_red_flags: Mapped[list[str]] = mapped_column(JSON)
    exercises_done: Mapped[list[str]] = mapped_column(JSON)
    sleep_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    rmdq_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    run_keys: Mapped[list[str]] = mapped_column(JSON)
    steps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RmdqResponseRow(Base):
    """A Roland–Morris response: the statement numbers ticked and the score."""

    __tablename__ = "rmdq_response"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 24", name="score_range"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey(RunnerRow.id, ondelete="CASCADE"), index=True)
    taken_on: Mapped[date] = mapped_column(Date, index=True)
    items: Mapped[list[int]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """A diary entry with its database id."""

    id: int
    entry: DiaryEntry


#: The stored assessment is the pure core's record (kept under its storage name too).
StoredAssessment = AssessmentRecord


def add_assessment(
    session: Session,
    *,
    runner_id: int,
    case: dict[str, Any],
    result: dict[str, Any],
    created_at: datetime,
) -> int:
    """Store one assessment; returns its id."""
    kb = result.get("knowledge_base") or {}
    row = AssessmentRow(
        runner_id=runner_id,
        created_at=utc(created_at),
        case=case,
        result=result,
        urgency=str(result.get("urgency", "self_care")),
        kb_version=str(kb.get("version", "")),
        kb_digest=str(kb.get("digest", "")),
    )
    session.add(row)
    session.flush()
    return row.id


def latest_assessment(session: Session, *, runner_id: int) -> StoredAssessment | None:
    """The runner's newest assessment (the last of `list_assessments`), or None."""
    r = session.scalars(
        select(AssessmentRow)
        .where(AssessmentRow.runner_id == runner_id)
        .order_by(AssessmentRow.created_at.desc(), AssessmentRow.id.desc())
        .limit(1)
    ).first()
    return None if r is None else _stored_assessment(r)


def _stored_assessment(r: AssessmentRow) -> StoredAssessment:
    return StoredAssessment(r.id, utc(r.created_at), r.case, r.result, r.urgency, r.kb_version)


def list_assessments(session: Session, *, runner_id: int) -> list[StoredAssessment]:
    """Every assessment of the runner, oldest first."""
    rows = session.scalars(
        select(AssessmentRow)
        .where(AssessmentRow.runner_id == runner_id)
        .order_by(AssessmentRow.created_at, AssessmentRow.id)
    )
    return [_stored_assessment(r) for r in rows]


def add_plan_snapshot(
    session: Session,
    *,
    runner_id: int,
    plan: dict[str, Any],
    phase: str | None,
    kb_version: str,
    created_at: datetime,
) -> int:
    """Store the plan as given; returns its id."""
    row = PlanSnapshotRow(
        runner_id=runner_id,
        created_at=utc(created_at),
        phase=phase,
        plan=plan,
        kb_version=kb_version,
    )
    session.add(row)
    session.flush()
    return row.id


def latest_plan_snapshot(session: Session, *, runner_id: int) -> PlanSnapshotRow | None:
    """The most recent plan snapshot, or None."""
    query = (
        select(PlanSnapshotRow)
        .where(PlanSnapshotRow.runner_id == runner_id)
        .order_by(PlanSnapshotRow.created_at.desc(), PlanSnapshotRow.id.desc())
    )
    return session.scalars(query.limit(1)).first()


def add_diary_entry(
    session: Session, *, runner_id: int, entry: DiaryEntry, created_at: datetime
) -> int:
    """Store one diary entry; returns its id."""
    row = DiaryEntryRow(runner_id=runner_id, created_at=utc(created_at), **entry_columns(entry))
    session.add(row)
    session.flush()
    return row.id


#: The columns a diary entry is read from (plain rows: years of diary load without ORM objects).
_ENTRY_COLUMNS = (DiaryEntryRow.id, *(getattr(DiaryEntryRow, name) for name in ENTRY_FIELDS))


def list_diary_entries(
    session: Session, *, runner_id: int, since: date | None = None, last: int | None = None
) -> list[StoredEntry]:
    """The runner's diary entries (optionally from `since` on, or only the `last` few),
    oldest first."""
    query = select(*_ENTRY_COLUMNS).where(DiaryEntryRow.runner_id == runner_id)
    if since is not None:
        query = query.where(DiaryEntryRow.at >= datetime.combine(since, datetime.min.time()))
    if last is not None:
        newest = query.order_by(DiaryEntryRow.at.desc(), DiaryEntryRow.id.desc()).limit(last)
        return [StoredEntry(row.id, _entry(row)) for row in reversed(session.execute(newest).all())]
    rows = session.execute(query.order_by(DiaryEntryRow.at, DiaryEntryRow.id))
    return [StoredEntry(row.id, _entry(row)) for row in rows]


def replace_diary_entry(row: DiaryEntryRow, entry: DiaryEntry) -> None:
    """Overwrite a stored entry's values in place (its id and creation time stay)."""
    for name, value in entry_columns(entry).items():
        setattr(row, name, value)


def _entry(row: Any) -> DiaryEntry:
    """A diary entry from a table row or a row of `_ENTRY_COLUMNS`."""
    return entry_from_fields({name: getattr(row, name) for name in ENTRY_FIELDS})


def delete_diary_entry(session: Session, *, runner_id: int, entry_id: int) -> None:
    """Remove one diary entry (NotFoundError when the runner has no such entry)."""
    row = session.get(DiaryEntryRow, entry_id)
    if row is None or row.runner_id != runner_id:
        raise NotFoundError(f"diary entry id {entry_id} does not exist")
    session.delete(row)


def add_rmdq(
    session: Session, *, runner_id: int, on: date, items: tuple[int, ...], created_at: datetime
) -> int:
    """Store one RMDQ response (statement numbers 1–24 ticked); returns its id."""
    row = RmdqResponseRow(
        runner_id=runner_id, **rmdq_columns(on, items), created_at=utc(created_at)
    )
    session.add(row)
    session.flush()
    return row.id


def list_rmdq(session: Session, *, runner_id: int) -> list[RmdqPoint]:
    """Every RMDQ score of the runner, oldest first."""
    rows = session.scalars(
        select(RmdqResponseRow)
        .where(RmdqResponseRow.runner_id == runner_id)
        .order_by(RmdqResponseRow.taken_on, RmdqResponseRow.id)
    )
    return [RmdqPoint(row.taken_on, row.score) for row in rows]


def list_rmdq_responses(session: Session, *, runner_id: int) -> list[RmdqResponse]:
    """Every RMDQ response with the statements ticked, oldest first."""
    rows = session.scalars(
        select(RmdqResponseRow)
        .where(RmdqResponseRow.runner_id == runner_id)
        .order_by(RmdqResponseRow.taken_on, RmdqResponseRow.id)
    )
    return [RmdqResponse(row.taken_on, tuple(row.items), row.score) for row in rows]


def count_diary_entries(session: Session) -> int:
    """How many diary entries the database holds (all runners): for integrity checks."""
    return int(session.scalar(select(func.count()).select_from(DiaryEntryRow)) or 0)


def delete_tracking(session: Session, *, runner_id: int) -> None:
    """Remove every tracking row of one runner."""
    for table in (RmdqResponseRow, DiaryEntryRow, PlanSnapshotRow, AssessmentRow):
        session.execute(delete(table).where(table.runner_id == runner_id))

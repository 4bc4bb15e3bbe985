"""Weekly check-ins (pain, function, what was done, steps, own goal) and their repository.

Every function takes a `Session` and never commits: the caller owns the transaction.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.domain.checkin import CheckIn
from backstride.storage.base import Base
from backstride.storage.tables import RunnerRow


class CheckInRow(Base):
    """One weekly check-in of one runner."""

    __tablename__ = "weekly_checkin"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey(RunnerRow.id, ondelete="CASCADE"), index=True)
    week_end: Mapped[date] = mapped_column(Date)
    pain: Mapped[int] = mapped_column(Integer)
    function_score: Mapped[int] = mapped_column(Integer)
    sessions_done: Mapped[int] = mapped_column(Integer)
    runs_done: Mapped[int] = mapped_column(Integer)
    steps_per_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    goal: Mapped[str | None] = mapped_column(String(300), nullable=True)
    goal_met: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def add_checkin(session: Session, *, runner_id: int, checkin: CheckIn, created_at: datetime) -> int:
    """Store one check-in; its id."""
    row = CheckInRow(
        runner_id=runner_id,
        week_end=checkin.week_end,
        pain=checkin.pain,
        function_score=checkin.function,
        sessions_done=checkin.sessions_done,
        runs_done=checkin.runs_done,
        steps_per_day=checkin.steps_per_day,
        goal=checkin.goal,
        goal_met=checkin.goal_met,
        created_at=created_at.astimezone(UTC),
    )
    session.add(row)
    session.flush()
    return row.id


def list_checkins(session: Session, *, runner_id: int) -> list[CheckIn]:
    """The runner's check-ins, oldest week first."""
    rows = session.scalars(
        select(CheckInRow)
        .where(CheckInRow.runner_id == runner_id)
        .order_by(CheckInRow.week_end, CheckInRow.id)
    )
    return [
        CheckIn(
            r.week_end,
            r.pain,
            r.function_score,
            r.sessions_done,
            r.runs_done,
            r.steps_per_day,
            r.goal,
            r.goal_met,
        )
        for r in rows
    ]

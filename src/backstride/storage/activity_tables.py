"""The activity and shoe tables (the repository in `storage.activities` reads and writes them)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backstride.storage.base import Base
from backstride.storage.tables import RunnerRow


class ShoeRow(Base):
    """A pair of shoes; its distance is `start_km` plus its activities' distance."""

    __tablename__ = "shoe"
    __table_args__ = (UniqueConstraint("runner_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey(RunnerRow.id, ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(100), nullable=True)
    model: Mapped[str | None] = mapped_column(String(100), nullable=True)
    start_km: Mapped[float] = mapped_column(Float, default=0.0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    added_on: Mapped[date] = mapped_column(Date)


class ActivityRow(Base):
    """One imported activity: its summary values and the name of its samples file."""

    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("runner_id", "source_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey(RunnerRow.id, ondelete="CASCADE"), index=True)
    sport: Mapped[str] = mapped_column(String(40))
    sub_sport: Mapped[str | None] = mapped_column(String(40), nullable=True)
    start_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    device: Mapped[str | None] = mapped_column(String(200), nullable=True)
    duration_s: Mapped[float] = mapped_column(Float)
    moving_time_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    distance_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_hr_bpm: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_hr_bpm: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_cadence_spm: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_speed_mps: Mapped[float | None] = mapped_column(Float, nullable=True)
    has_running_dynamics: Mapped[bool] = mapped_column(Boolean, default=False)
    records: Mapped[int] = mapped_column(Integer)
    source_format: Mapped[str] = mapped_column(String(8))
    source_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    shoe_id: Mapped[int | None] = mapped_column(
        ForeignKey(ShoeRow.id, ondelete="SET NULL"), nullable=True, index=True
    )
    surface: Mapped[str | None] = mapped_column(String(40), nullable=True)
    samples_path: Mapped[str | None] = mapped_column(String(300), nullable=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

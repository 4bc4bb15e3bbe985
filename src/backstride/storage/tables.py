"""Tables owned by the foundation: the runner. Other modules add theirs beside this one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backstride.storage.base import Base


class RunnerRow(Base):
    """A runner (one per local install by default; clubs and clinics hold many)."""

    __tablename__ = "runner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="me")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    profile: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)

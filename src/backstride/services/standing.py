"""The standing red-flag escalation, from the stored rows as values (no database here).

A new red-flag answer in the diary re-runs the real triage on the latest assessment's case
with that answer set; the result leads everything else the runner sees until a clinician's
review is recorded. Both store paths read the rows and call this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from backstride.assess.intake import Case
from backstride.domain.diary import DiaryEntry
from backstride.progress.history import AssessmentRecord
from backstride.storage.direct import utc


@dataclass(frozen=True, slots=True)
class Standing:
    """A warning sign that leads every output until a clinician's review is recorded."""

    urgency: str | None
    signs: tuple[str, ...]  # in plain words
    flag_ids: tuple[str, ...]  # the diary's red-flag question ids among them
    since: datetime | None


NO_STANDING = Standing(None, (), (), None)


def standing_from(
    entries: Sequence[DiaryEntry],
    assessments: Sequence[AssessmentRecord],
    *,
    reviewed_at: datetime | None,
    kb: Any,
) -> Standing:
    """The latest check's own red flag, or the diary's re-triage, since the latest review.

    The diary's red-flag answers and where it hurts are applied to the latest check's case
    and the real triage runs again (the screen alone on the diary when no check is stored).

    References: nice-ng59, girft-cauda-equina
    """
    from backstride.plan.retriage import counted_entries, retriage

    latest = assessments[-1] if assessments else None
    own = check_standing(latest, reviewed_at, kb)
    if own is not None:
        return own
    assessed_at = None if latest is None else latest.created_at.replace(tzinfo=None)
    counted = counted_entries(
        entries,
        assessed_at=assessed_at,
        reviewed_at=None if reviewed_at is None else _local_naive(reviewed_at),
    )
    raised = retriage(
        stored_case(latest), [] if latest is None else latest.result.get("red_flags") or [],
        counted, kb,
    )  # fmt: skip
    if raised is None:
        return NO_STANDING
    ids = tuple(dict.fromkeys(i for e in counted for i in e.new_red_flags))
    return Standing(raised.result.urgency, raised.signs, ids, raised.since)


def check_standing(
    latest: AssessmentRecord | None, reviewed_at: datetime | None, kb: Any
) -> Standing | None:
    """A stored check that itself found an urgent or emergency flag after the latest review."""
    from backstride.knowledge import urgency as urgency_table

    if latest is None or latest.result.get("urgency") not in ("emergency", "urgent"):
        return None
    made = utc(latest.created_at)
    if reviewed_at is not None and reviewed_at >= made:
        return None
    flags = [f for f in latest.result.get("red_flags") or [] if isinstance(f, str)]
    signs = tuple(urgency_table.flag_summary(kb, f) for f in flags)
    return Standing(str(latest.result["urgency"]), signs, (), made)


def _local_naive(moment: datetime) -> datetime:
    """A tz-aware moment as the naive local time diary entries are stored in."""
    return moment.astimezone().replace(tzinfo=None)


def stored_case(latest: AssessmentRecord | None) -> Case | None:
    """The latest check's case, or None (none stored, or stored by an older version)."""
    if latest is None:
        return None
    try:
        return Case.model_validate(latest.case)
    except ValidationError:  # a case stored by an older version: the screen runs alone
        return None

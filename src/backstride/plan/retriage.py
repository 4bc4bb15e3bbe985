"""Re-running the real triage on what the diary has logged since the last check or review.

A diary entry raises a warning sign either by the quick red-flag question or by its answers
(where it hurts: pain newly in the other leg reads as both legs). Both are applied to the
latest case and the real assessment runs again; its level then leads every output until a
clinician's review is recorded after the entry.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult, urgency_rank
from backstride.assess.triage import assess, assess_answers
from backstride.domain.diary import DiaryEntry
from backstride.knowledge.model import KnowledgeBase
from backstride.progress.questions import (
    apply_diary_locations,
    apply_red_flag_answers,
    questions_by_id,
)


@dataclass(frozen=True, slots=True)
class Retriage:
    """What the diary's answers made of the case: the new result and the signs behind it."""

    result: AssessmentResult
    signs: tuple[str, ...]  # the new warning signs, in plain words
    since: datetime  # the first entry that raised them


def counted_entries(
    entries: Sequence[DiaryEntry],
    *,
    assessed_at: datetime | None,
    reviewed_at: datetime | None,
) -> list[DiaryEntry]:
    """Entries the re-triage reads: from the day before the latest check, after any review.

    The latest check already counted what was known when it was made; a clinician's review
    recorded after an entry settles that entry.
    """
    out = []
    for entry in entries:
        if assessed_at is not None and entry.at.date() < assessed_at.date():
            continue
        if reviewed_at is not None and entry.at <= reviewed_at:
            continue
        out.append(entry)
    return out


def retriage(
    case: Case | None,
    baseline: AssessmentResult | Collection[str] | None,
    entries: Sequence[DiaryEntry],
    kb: KnowledgeBase,
) -> Retriage | None:
    """The re-triaged result when the diary raises a red flag the baseline did not have.

    `baseline` is the latest check's result (or its red-flag ids).
    Without a case (no check stored), the red-flag screen runs on the diary's answers alone.

    References: nice-ng59, girft-cauda-equina, bass-sbns-2018
    """
    data: dict[str, Any] = {} if case is None else case.model_dump(mode="json")
    ids: list[str] = []
    first: datetime | None = None
    for entry in sorted(entries, key=lambda e: e.at):
        changed = apply_diary_locations(apply_red_flag_answers(data, entry.new_red_flags, kb),
                                        entry.locations)  # fmt: skip
        if changed != data and first is None:
            first = entry.at
        data = changed
        ids += [i for i in entry.new_red_flags if i not in ids]
    if first is None:
        return None
    result = _assess(case, data, kb)
    before_flags: set[str] = set()
    if isinstance(baseline, AssessmentResult):
        before_flags.update(baseline.red_flags)
    elif baseline is not None:
        before_flags.update(baseline)
    new_flags: list[str] = [f for f in result.red_flags if f not in before_flags]
    if not new_flags or urgency_rank(result.urgency) < urgency_rank("urgent"):
        return None
    return Retriage(result, _signs(result, ids, new_flags, kb), first)


def _assess(case: Case | None, data: Mapping[str, Any], kb: KnowledgeBase) -> AssessmentResult:
    if case is None:
        return assess_answers(_dotted(data), kb)
    try:
        return assess(Case.model_validate(data), kb)
    except ValidationError:  # cannot happen for answers the knowledge base sets; stay safe
        return assess_answers(_dotted(data), kb)


def _dotted(data: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, values in data.items():
        if isinstance(values, Mapping):
            for key, value in values.items():
                flat[f"{section}.{key}"] = tuple(value) if isinstance(value, list) else value
        else:
            flat[section] = values
    return flat


def _signs(
    result: AssessmentResult, ids: list[str], new_flags: list[str], kb: KnowledgeBase
) -> tuple[str, ...]:
    by_id = questions_by_id(kb)
    signs = [by_id[i].text for i in ids if i in by_id]
    asked = {by_id[i].trigger for i in ids if i in by_id}
    for reason in result.reasons:
        flag = reason.rule.split(".", 1)[0]
        if flag in new_flags and reason.rule not in asked and "." in reason.rule:
            signs.append(reason.text)
    return tuple(dict.fromkeys(signs))

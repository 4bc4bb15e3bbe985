"""A cohort from a backstride server's database: every account that agreed to research use.

Each consenting account is one runner of the cohort, named `user-<account id>` (never by
email: outputs are for research). A worker analyses it through the very use cases the
single-user commands call (`analysis.analyze` over the whole history, `progress_status`
for the diary) acting as that account, so its numbers are those the account sees itself.
The input hash covers the stored activities, shoes and diary entries, so a re-run skips
accounts whose data has not changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from backstride.config import Settings
from backstride.services import analysis, tracking
from backstride.services.cohort_runner import RunnerAnalysis
from backstride.services.cohort_tables import remove_runner
from backstride.services.cohort_tasks import FAILED, UNCHANGED, RunnerOutcome, write_analysed
from backstride.services.store import acting_as, local_runner, store_session
from backstride.storage import accounts, direct
from backstride.storage import activities as repo
from backstride.storage import tracking as diary_repo
from backstride.storage.db import direct_store_of


@dataclass(frozen=True, slots=True)
class AccountJob:
    """What a worker needs to analyse one consenting account."""

    athlete: str
    user_id: int
    settings: Settings
    out: str
    previous_hash: str | None


def consenting_accounts(settings: Settings) -> list[tuple[str, int]]:
    """(runner id in outputs, account id) of every account with research consent."""
    with store_session(settings) as session:
        return [(f"user-{u.id}", u.id) for u in accounts.consenting_users(session)]


def run_account(job: AccountJob) -> RunnerOutcome:
    """Analyse one account's stored data and write its Parquet parts (a Dask task)."""
    out = Path(job.out)
    with acting_as(job.user_id):
        digest, first, last = _stored_state(job.settings)
        if digest == job.previous_hash:
            return RunnerOutcome(job.athlete, UNCHANGED, digest)
        if first is None or last is None:
            remove_runner(out, job.athlete)
            return RunnerOutcome(job.athlete, FAILED, digest, detail="no activities stored")
        report = analysis.analyze(job.settings, since=first, as_of=last)
        status = tracking.progress_status(job.settings, today=max(last, _last_entry(job)))
    result = RunnerAnalysis(report, status.summary.daily, status.associations, ())
    return write_analysed(out, job.athlete, digest, result)


def _stored_state(settings: Settings) -> tuple[str, date | None, date | None]:
    """The hash of the acting account's stored inputs, and its first and last activity day."""
    sha = hashlib.sha256()
    with store_session(settings) as session:
        runner = local_runner(session)
        rows = repo.list_activity_summaries(session, runner_id=runner.id)
        keys = direct.activity_keys(direct_store_of(session), runner_id=runner.id)
        shoes = repo.list_shoes(session, runner_id=runner.id)
        entries = diary_repo.list_diary_entries(session, runner_id=runner.id)
    for row in rows:
        sha.update(f"a|{keys[row.id]}|{row.surface}|{row.shoe_name}\n".encode())
    for shoe in shoes:
        sha.update(f"s|{shoe.name}|{shoe.start_km}|{shoe.retired}|{shoe.added_on}\n".encode())
    for stored in entries:
        sha.update(f"d|{stored.id}|{stored.entry!r}\n".encode())
    days = [analysis._day(row) for row in rows]
    return sha.hexdigest(), min(days, default=None), max(days, default=None)


def _last_entry(job: AccountJob) -> date:
    entries = tracking.list_entries(job.settings)
    return max((s.entry.at.date() for s in entries), default=date.min)

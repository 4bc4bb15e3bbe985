"""Adding a diary entry on the direct store path: the runner's data version moves, so a
kept result follows the write (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from backstride.config import Settings
from backstride.services import diary, tracking
from backstride.services.store import local_runner, store_session
from backstride.services.versions import version, versions_dir

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 8, 0).astimezone()


def _add(settings: Settings, day: date, pain: int) -> diary.DiaryOutcome:
    form = diary.parse_diary_form({"on": day, "pain_now": pain})
    return diary.add_diary_entry(settings, form, now=NOW)


def test_a_direct_diary_write_bumps_the_version_and_a_kept_progress_follows_it(
    database_url: str,
) -> None:
    settings = Settings()
    _add(settings, TODAY - timedelta(days=2), 6)
    with store_session(settings) as session:
        runner_id = local_runner(session).id
    folder = versions_dir(settings.home)
    first = tracking.progress_status(settings, today=TODAY)
    assert tracking.progress_status(settings, today=TODAY) is first  # kept
    stamp = version(folder, str(runner_id))
    outcome = _add(settings, TODAY, 1)
    assert version(folder, str(runner_id)) != stamp
    after = tracking.progress_status(settings, today=TODAY)
    assert after is not first
    assert after.summary.days_tracked == first.summary.days_tracked + 1
    stored = tracking.list_entries(settings)
    assert [s.id for s in stored][-1] == outcome.entry_id
    assert stored[-1].entry == outcome.entry


def test_a_new_red_flag_added_directly_escalates_at_once(database_url: str) -> None:
    settings = Settings()
    form = diary.parse_diary_form({"on": TODAY, "pain_now": 3, "red_flags": ["bladder_change"]})
    outcome = diary.add_diary_entry(settings, form, now=NOW)
    assert outcome.escalation is not None
    assert outcome.escalation.urgency == "emergency"
    assert outcome.escalation == tracking.current_escalation(settings)

"""The plan calendar: parsed back with icalendar, one event per session, deterministic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from backstride.knowledge import load_knowledge_base
from backstride.report.ics import plan_ics
from tests.plan.report_plans import plan_for

KB = load_knowledge_base()


def _events(data: bytes) -> list[object]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_calendar_has_one_event_per_session_with_dose_in_the_description() -> None:
    plan = plan_for("self_care_runner")
    events = _events(plan_ics(plan, KB))
    sessions = [d for d in plan.days if d.kind != "rest"]
    assert len(events) == len(sessions)
    for event, day in zip(events, sessions, strict=True):
        assert event["dtstart"].dt == day.on  # type: ignore[index]
        description = str(event["description"])  # type: ignore[index]
        for p in day.exercises:
            assert f"{p.name}: {p.dose_text}" in description
        if day.run is not None:
            assert day.run.text in description


def test_every_event_has_a_unique_uid_and_a_dtstamp_fixed_to_the_plan_start() -> None:
    plan = plan_for("self_care_runner")
    events = _events(plan_ics(plan, KB))
    uids = [str(e["uid"]) for e in events]  # type: ignore[index]
    assert len(set(uids)) == len(uids)
    stamp = datetime(plan.start.year, plan.start.month, plan.start.day, tzinfo=UTC)
    assert {e["dtstamp"].dt for e in events} == {stamp}  # type: ignore[index]


def test_calendar_is_byte_identical_for_the_same_plan_and_valid_icalendar() -> None:
    plan = plan_for("self_care_runner")
    first, second = plan_ics(plan, KB), plan_ics(plan, KB)
    assert first == second
    text = first.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "VERSION:2.0" in text
    assert "PRODID:" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_every_session_has_a_display_reminder_at_eight_unless_turned_off() -> None:
    plan = plan_for("self_care_runner")
    calendar = Calendar.from_ical(plan_ics(plan, KB))
    events = list(calendar.walk("VEVENT"))
    assert events
    for event in events:
        (alarm,) = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm["trigger"].dt == timedelta(hours=8)  # from the all-day start: 08:00
        assert str(alarm["description"]) == str(event["summary"]).removeprefix("Back plan: ")
    assert list(Calendar.from_ical(plan_ics(plan, KB, reminder=False)).walk("VALARM")) == []


def test_emergency_plan_calendar_has_no_events() -> None:
    assert _events(plan_ics(plan_for("emergency_cauda_equina"), KB)) == []


def test_each_event_names_its_phase_in_plain_words_not_by_its_code() -> None:
    from backstride.report.plan_view import phase_words

    plan = plan_for("self_care_runner")
    words = phase_words(KB)
    sessions = [d for d in plan.days if d.kind != "rest"]
    for event, day in zip(_events(plan_ics(plan, KB)), sessions, strict=True):
        first = str(event.get("description")).splitlines()[0]  # type: ignore[attr-defined]
        assert first == f"{day.title} ({words[day.phase]})"
    assert any("_" in day.phase for day in sessions)  # the codes differ from the words

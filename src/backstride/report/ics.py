"""The schedule as an iCalendar file: one all-day event per session, deterministic."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.texts import screen_text
from backstride.plan.model import Day, Plan
from backstride.report.plan_view import phase_words, safety_net_text

PRODID = "-//backstride//personal plan//EN"


def plan_ics(plan: Plan, kb: KnowledgeBase, *, reminder: bool = True) -> bytes:
    """An iCalendar document with one event per scheduled session (rest days are left free).

    Every event's description ends with the safety net and, unless `reminder` is off, the
    event carries a display reminder at 08:00 that day. UIDs and DTSTAMP derive from the
    plan itself, so the same plan gives identical bytes.
    """
    net = safety_net_text(plan.safety_net, kb)
    words = phase_words(kb)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", screen_text(kb, "plan_calendar", "name"))
    stamp = datetime.combine(plan.start, time(0, 0), tzinfo=UTC)
    key = _plan_key(plan)
    for day in plan.days:
        if day.kind == "rest":
            continue
        text = describe(day, words[day.phase], kb) + (f"\n\n{net}" if net else "")
        summary = screen_text(kb, "plan_calendar", "summary", title=day.title)
        event = _event(day, key=key, stamp=stamp, reminder=reminder, text=text, summary=summary)
        cal.add_component(event)
    return bytes(cal.to_ical())


def _plan_key(plan: Plan) -> str:
    """A short hash naming this plan, so events of different plans never share a UID."""
    return hashlib.sha256(plan.to_json().encode()).hexdigest()[:16]


def _event(
    day: Day, *, key: str, stamp: datetime, reminder: bool, text: str, summary: str
) -> Event:
    event = Event()
    event.add("uid", f"{day.on:%Y%m%d}-{key}@backstride")
    event.add("dtstamp", stamp)
    event.add("dtstart", day.on)
    event.add("dtend", day.on + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", text)
    event.add("transp", "TRANSPARENT")
    if reminder:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", day.title)
        alarm.add("trigger", timedelta(hours=8))
        event.add_component(alarm)
    return event


def describe(day: Day, phase: str, kb: KnowledgeBase) -> str:
    """The session in plain text for a calendar event: exercises with dose, run, activity."""
    lines = [f"{day.title} ({phase})"]
    if day.run is not None:
        lines.append(day.run.text)
    for p in day.exercises:
        lines.append(f"- {p.name}: {p.dose_text}")
    if day.activity:
        lines.append(day.activity)
    lines += list(day.notes)
    if day.education_title:
        lines.append(screen_text(kb, "plan_calendar", "learn", title=day.education_title))
    return "\n".join(lines)

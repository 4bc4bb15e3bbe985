"""The weekly check-in page: account-scoped, CSRF-protected, plain-word errors that keep
what was typed, and the reason next week changes shown straight after saving."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.web.conftest import BASE, sign_up

GOOD = {"pain": "3", "function": "7", "sessions_done": "3", "runs_done": "2",
        "steps_per_day": "6000", "goal": "walk to work twice"}  # fmt: skip


def _token(page_html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page_html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def _alerts(page_html: str) -> list[str]:
    return [html.unescape(a) for a in re.findall(r'role="alert"[^>]*>([^<]*)<', page_html)]


def test_the_home_page_leads_to_the_check_in(client: TestClient) -> None:
    assert 'href="/checkin"' in client.get("/").text
    page = client.get("/checkin")
    assert page.status_code == 200
    assert "Weekly check-in" in page.text
    assert "No check-ins yet." in page.text


def test_a_check_in_is_saved_and_shows_why_next_week_changes(client: TestClient) -> None:
    last_week = (date.today() - timedelta(days=7)).isoformat()
    saved = client.post("/checkin", data={**GOOD, "week_end": last_week})
    assert saved.status_code == 200, saved.text
    shown = html.unescape(saved.text)
    assert "check-in: move on" in shown
    assert "about 6600 steps a day" in shown  # the step goal rises a little
    assert "Your own goal: walk to work twice." in shown
    worse = html.unescape(client.post("/checkin", data={**GOOD, "pain": "6"}).text)
    assert "check-in: ease off this week" in worse
    assert "Your pain this week (6/10) is 2 or more points above last week's (3/10)" in worse
    listed = client.get("/checkin").text
    assert listed.count("<li><strong>Week to") == 2


def test_a_bad_answer_is_refused_plainly_and_what_was_typed_stays(client: TestClient) -> None:
    refused = client.post("/checkin", data={**GOOD, "function": "eleven"})
    assert refused.status_code == 422
    assert _alerts(refused.text) == [
        "How well you managed daily activities needs a whole number from 0 to 10; "
        "you typed “eleven”."
    ]
    assert 'value="eleven"' in refused.text
    assert 'value="walk to work twice"' in refused.text
    missing = client.post("/checkin", data={"pain": "2", "function": "8"})
    assert missing.status_code == 422
    assert "Exercise sessions done" in _alerts(missing.text)[0]
    future = (date.today() + timedelta(days=1)).isoformat()
    assert client.post("/checkin", data={**GOOD, "week_end": future}).status_code == 422
    assert "No check-ins yet." in client.get("/checkin").text  # nothing was stored


def test_a_form_without_the_csrf_token_is_refused(client: TestClient) -> None:
    no_header = {"X-CSRF-Token": ""}
    refused = client.post("/checkin", data=GOOD, headers=no_header)
    assert refused.status_code == 403
    token = _token(client.get("/checkin").text)
    accepted = client.post("/checkin", data={**GOOD, "csrf_token": token}, headers=no_header)
    assert accepted.status_code == 200
    assert client.get("/checkin").text.count("<li><strong>Week to") == 1


def test_another_account_does_not_see_the_check_ins(client: TestClient) -> None:
    assert client.post("/checkin", data=GOOD).status_code == 200
    with TestClient(client.app, base_url=BASE) as bob:
        sign_up(bob, "bob@example.org")
        page = bob.get("/checkin").text
    assert "No check-ins yet." in page
    assert "walk to work twice" not in page


def test_the_diary_keeps_the_days_steps_against_the_check_in_step_goal(
    client: TestClient,
) -> None:
    assert client.post("/checkin", data=GOOD).status_code == 200  # goal: about 6600 a day
    page = client.get("/diary").text
    assert "about 6600 steps" in page
    refused = client.post("/diary", data={"pain_now": "2", "steps": "many"})
    assert refused.status_code == 422
    assert "you typed “many”" in " ".join(_alerts(refused.text))
    assert 'value="many"' in refused.text
    saved = client.post("/diary", data={"pain_now": "2", "steps": "5400"}, follow_redirects=False)
    assert saved.status_code == 303
    assert "5400 steps (goal 6600)" in client.get("/diary").text
    entries = client.get("/api/v1/diary").json()["entries"]
    assert [e["steps"] for e in entries] == [5400]

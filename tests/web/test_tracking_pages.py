"""Diary and progress pages over HTTP, on a real SQLite store in a scratch home."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

DAY = date.today() - timedelta(days=11)


def test_the_diary_page_asks_the_quick_red_flag_questions(client: TestClient) -> None:
    page = client.get("/diary")
    assert page.status_code == 200
    assert "Is any of these NEW" in page.text
    assert 'value="bladder_change"' in page.text
    assert "No entries yet" in page.text


def test_a_saved_entry_is_listed_and_counted_in_progress(client: TestClient) -> None:
    saved = client.post("/diary", data={"on": DAY.isoformat(), "pain_now": "4", "note": "easy"},
                        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    assert saved.headers["location"] == "/progress"
    assert DAY.strftime("%d %b %Y") in client.get("/diary").text
    progress = client.get("/progress")
    assert progress.status_code == 200
    assert "Days tracked" in progress.text


@pytest.mark.parametrize(
    ("form", "named"),
    [
        ({"on": DAY.isoformat(), "pain_now": "14"}, "Pain now needs a whole number"),
        ({"on": DAY.isoformat(), "pain_now": "four"}, "you typed “four”"),
        ({"on": "not-a-day", "pain_now": "3"}, "is not a date"),
        ({"on": DAY.isoformat(), "pain_now": "3", "locations": "elbow"}, "elbow"),
    ],
)
def test_a_bad_entry_is_refused_naming_the_field_and_nothing_is_saved(
    client: TestClient, form: dict[str, str], named: str
) -> None:
    response = client.post("/diary", data=form)
    assert response.status_code == 422
    assert named in html.unescape(response.text)
    assert "No entries yet" in response.text


@pytest.mark.covers("cauda_equina")
def test_a_new_red_flag_in_the_diary_shows_the_action_before_anything_else(
    client: TestClient,
) -> None:
    response = client.post(
        "/diary", data={"on": "2026-11-20", "pain_now": "5", "red_flags": "bladder_change"}
    )
    assert response.status_code == 200
    assert "Get emergency care now" in response.text
    assert "plan is on hold" in response.text


def test_three_stalled_weeks_bring_a_referral_to_the_top_of_progress(client: TestClient) -> None:
    start = date.today() - timedelta(days=24)
    for offset in range(25):
        day = (start + timedelta(days=offset)).isoformat()
        client.post("/diary", data={"on": day, "pain_now": "5"}, follow_redirects=False)
    page = client.get("/progress").text
    assert "Book an appointment soon" in page
    assert page.index("Book an appointment soon") < page.index("Your progress")
    assert "<svg" in page


def test_a_kept_check_becomes_the_baseline_progress_is_measured_from(
    client: TestClient,
) -> None:
    import json

    case = {"age": 35, "pain": {"intensity": 6, "started_days_ago": 3}}
    kept = client.post("/keep", data={"case": json.dumps(case)}, follow_redirects=False)
    assert kept.status_code == 303
    client.post("/diary", data={"on": date.today().isoformat(), "pain_now": "3"})
    page = client.get("/progress").text
    assert "6.0/10" in page  # the kept check's pain is the starting point


def test_keeping_without_a_check_is_a_clear_error(client: TestClient) -> None:
    response = client.post("/keep", data={})
    assert response.status_code == 422
    assert "do the check first" in response.text

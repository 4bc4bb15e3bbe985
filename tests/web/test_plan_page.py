"""The plan served as a page: the app's links with the weekly check-in on top, this week and
the current phase open and the rest folded to one line each; a plan file keeps everything
unfolded and no app links."""

from __future__ import annotations

import json
import re
from datetime import date

from fastapi.testclient import TestClient

CASE = {"age": 35, "pain": {"intensity": 3, "started_days_ago": 5}}


def _plan_page(client: TestClient) -> str:
    assert client.post("/api/v1/assessments", json=CASE).status_code == 201
    response = client.get("/plan")
    assert response.status_code == 200
    return response.text


def test_the_plan_page_leads_to_the_check_in_before_the_plan_itself(client: TestClient) -> None:
    page = _plan_page(client)
    assert page.count('href="/checkin"') == 2  # in the links on top and in the week's prompt
    assert page.index('href="/checkin"') < page.index("<h1>")
    assert 'href="/diary"' in page


def test_this_week_and_the_current_phase_are_open_and_the_rest_folded(client: TestClient) -> None:
    page = _plan_page(client)
    opened = re.findall(r'<details class="fold" open><summary><h3>([^<]+)', page)
    folded = re.findall(r'<details class="fold"><summary><h3>([^<]+)', page)
    phases = client.get("/api/v1/plan").json()["phases"]
    today = date.today()
    (now,) = [p for p in phases if p["start"] <= today.isoformat() <= p["end"]]
    assert opened == [f"{phases.index(now) + 1}. {now['title']} ", "Week 1 "]  # starts today
    assert "Week 2 " in folded
    assert len(folded) >= 5  # the later phases, weeks and reading topics
    sections = re.findall(r'<details class="fold"><summary><h2>([^<]+)', page)
    assert "Treatment options and what the evidence says" in sections
    assert "For your clinician: a one-page summary" in sections
    assert f'Week 1 <span class="muted">{today:%d %b}' in page


def test_a_plan_file_keeps_everything_unfolded_and_no_app_links(client: TestClient) -> None:
    page = _plan_page(client)
    file = client.post("/plan", data={"case": json.dumps(CASE), "format": "html"}).text
    assert "Your back and running plan" in file
    assert "<details" not in file
    assert 'href="/checkin"' not in file  # a saved file cannot follow the app's links
    headings = re.findall(r"<h3>Week \d+", file)
    assert headings == re.findall(r"<h3>Week \d+", page)  # the same weeks, unfolded


def test_the_home_page_leads_to_the_plan_and_no_plan_yet_is_said_plainly(
    client: TestClient,
) -> None:
    missing = client.get("/plan")
    assert missing.status_code == 404
    assert "You have no plan yet: do the check and keep it to get one." in missing.text
    assert "assessment:" not in missing.text
    assert 'href="/plan"' not in client.get("/").text
    _plan_page(client)
    assert 'href="/plan"' in client.get("/").text

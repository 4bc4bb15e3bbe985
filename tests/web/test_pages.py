"""The assessment wizard and plan pages, driven over HTTP as a browser would post them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import calm_answer, page_questions, page_state


def _walk(client: TestClient, overrides: dict[str, Any], *, max_pages: int = 30) -> str:
    """Answer page after page until the wizard shows a result; return the result page."""
    page = client.get("/check")
    for _ in range(max_pages):
        assert page.status_code == 200, page.text
        if 'name="state"' not in page.text:
            return page.text
        form: dict[str, Any] = {"state": page_state(page.text)}
        for question in page_questions(page.text):
            form[question.key] = calm_answer(question, overrides)
        page = client.post("/check", data=form)
    raise AssertionError("the wizard did not finish")


def test_home_page_states_the_intended_purpose_and_starts_the_check(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "not diagnose" in page.text
    assert 'href="/check"' in page.text


def test_the_first_page_asks_only_the_emergency_questions(client: TestClient) -> None:
    questions = page_questions(client.get("/check").text)
    assert questions
    assert {q.section for q in questions} == {"Safety first"}


@pytest.mark.covers("cauda_equina")
def test_an_emergency_answer_ends_the_questionnaire_with_the_action(client: TestClient) -> None:
    first = client.get("/check").text
    form: dict[str, Any] = {"state": page_state(first)}
    for question in page_questions(first):
        form[question.key] = "yes" if question.key == "cauda_equina.bladder" else "no"
    result = client.post("/check", data=form)
    assert result.status_code == 200
    assert "Get emergency care now" in result.text
    assert 'name="state"' not in result.text  # no further questions
    assert 'action="/plan"' not in result.text  # no self-care plan offered


def test_a_calm_walk_through_reaches_a_self_care_result_with_a_plan(client: TestClient) -> None:
    result = _walk(client, {"age": "35", "pain.intensity": "3"})
    assert "You can look after this yourself" in result
    assert 'action="/plan"' in result
    assert "nice-ng59" in result or "Sources" in result
    case_json = page_case(result)
    plan = client.post("/plan", data={"case": case_json})
    assert plan.status_code == 200
    assert "<html" in plan.text.lower()
    assert "settle" in plan.text.lower()


def test_leg_questions_are_skipped_without_leg_pain(client: TestClient) -> None:
    asked: list[str] = []
    page = client.get("/check")
    while 'name="state"' in page.text:
        questions = page_questions(page.text)
        asked += [q.key for q in questions]
        form: dict[str, Any] = {"state": page_state(page.text)}
        form.update({q.key: calm_answer(q, {"age": "30"}) for q in questions})
        page = client.post("/check", data=form)
    assert "pain.leg_pain_worse_than_back" not in asked
    # Numbness is asked without leg pain too: alone it can point to a nerve root, and with
    # a past cancer to cord compression (the rules read it).
    assert "neuro.numbness_or_tingling" in asked


def test_a_warning_sign_list_sent_without_any_answer_is_asked_again(client: TestClient) -> None:
    first = client.get("/check").text
    response = client.post("/check", data={"state": page_state(first)})
    assert response.status_code == 422
    assert "None of these" in response.text
    assert 'role="alert"' in response.text
    assert page_questions(response.text) == page_questions(first)


def test_a_damaged_state_gives_a_clear_error_page(client: TestClient) -> None:
    response = client.post("/check", data={"state": "{not json"})
    assert response.status_code == 422
    assert "please start again" in response.text
    assert "Traceback" not in response.text


def page_case(result_html: str) -> str:
    import html
    import re

    found = re.search(r'name="case" value="([^"]*)"', result_html)
    assert found, "the result page offers no plan"
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("fmt", "media", "starts"),
    [("pdf", "application/pdf", b"%PDF"), ("ics", "text/calendar", b"BEGIN:VCALENDAR")],
)
def test_the_plan_downloads_as_pdf_and_calendar(
    client: TestClient, fmt: str, media: str, starts: bytes
) -> None:
    case = '{"age": 35, "pain": {"intensity": 3, "started_days_ago": 4}}'
    response = client.post("/plan", data={"case": case, "format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(starts)


def test_an_unknown_plan_format_is_a_clear_error(client: TestClient) -> None:
    case = '{"age": 35, "pain": {"intensity": 3}}'
    response = client.post("/plan", data={"case": case, "format": "docx"})
    assert response.status_code == 422
    assert "expected html, pdf or ics" in response.text


_NOW_RUNNING = {"age": "35", "pain.intensity": "2", "pain.worst_24h": "3",
                "pain.started_days_ago": "4", "history.trend": "improving",
                "running.wanted": "yes", "running.weekly_km": "20"}  # fmt: skip
_KEEP_RUNNING = "keep running, a little less and easier"


def test_still_running_reaches_the_case_and_keeps_reduced_running_in_the_plan(
    client: TestClient,
) -> None:
    import json

    result = _walk(client, {**_NOW_RUNNING, "running.running_now": "yes"}, max_pages=60)
    case = page_case(result)
    assert json.loads(case)["running"]["running_now"] is True
    assert "walk_minutes_now" not in json.loads(case)["running"]
    plan = client.post("/plan", data={"case": case})
    assert _KEEP_RUNNING in plan.text


def test_not_running_asks_walking_minutes_refuses_a_bad_one_and_changes_the_start(
    client: TestClient,
) -> None:
    import html
    import json
    import re

    overrides = {**_NOW_RUNNING, "running.running_now": "no"}
    page = client.get("/check")
    for _ in range(60):
        if any(q.key == "running.walk_minutes_now" for q in page_questions(page.text)):
            break
        form: dict[str, Any] = {"state": page_state(page.text)}
        form.update({q.key: calm_answer(q, overrides) for q in page_questions(page.text)})
        page = client.post("/check", data=form)
    else:
        raise AssertionError("no page asks the walking minutes")
    refused = client.post("/check", data={"state": page_state(page.text),
                                          "running.walk_minutes_now": "lots"})  # fmt: skip
    assert refused.status_code == 422
    errors = re.findall(r'role="alert"[^>]*>([^<]*)<', refused.text)
    assert len(errors) == 1
    assert "lots" in html.unescape(errors[0])
    assert 'value="lots"' in refused.text  # what was typed is kept
    page = client.post("/check", data={"state": page_state(refused.text),
                                       "running.walk_minutes_now": "20"})  # fmt: skip
    for _ in range(60):
        if 'name="state"' not in page.text:
            break
        form = {"state": page_state(page.text)}
        form.update({q.key: calm_answer(q, overrides) for q in page_questions(page.text)})
        page = client.post("/check", data=form)
    case = json.loads(page_case(page.text))
    assert case["running"]["running_now"] is False
    assert case["running"]["walk_minutes_now"] == 20
    plan = client.post("/plan", data={"case": json.dumps(case)})
    assert _KEEP_RUNNING not in plan.text
    assert "Where you start" in plan.text

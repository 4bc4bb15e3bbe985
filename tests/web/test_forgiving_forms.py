"""Forms that forgive: a bad answer is refused with one plain sentence, what was typed
stays, the question is asked again and no safety answer is ever dropped; the diary can be
changed and its days are bounded; questionnaires keep their own answer formats; no page
shows an internal id."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.knowledge.analytics_params import REPORT_SPANS_ID
from backstride.web.diary import LIMITS
from tests.kb_copy import edited, setting
from tests.web.conftest import calm_answer, page_questions, page_state
from tests.web.ui_world import html_pages, seed

#: A snake_case word (two or more lower-case parts joined by underscores).
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def visible_text(page_html: str) -> str:
    """The words a person reads (scripts, styles, tags and attribute values left out)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def walk(client: TestClient, overrides: dict[str, Any]) -> list[str]:
    """Every page of the check answered calmly, the result last."""
    pages = [client.get("/check").text]
    while 'name="state"' in pages[-1]:
        form: dict[str, Any] = {"state": page_state(pages[-1])}
        form.update({q.key: calm_answer(q, overrides) for q in page_questions(pages[-1])})
        response = client.post("/check", data=form)
        assert response.status_code == 200, response.text
        pages.append(response.text)
    return pages


def _to_page_with(client: TestClient, key: str) -> str:
    page = client.get("/check").text
    while 'name="state"' in page:
        questions = page_questions(page)
        if any(q.key == key for q in questions):
            return page
        form: dict[str, Any] = {"state": page_state(page)}
        form.update({q.key: calm_answer(q, {"rmdq.wanted": "yes"}) for q in questions})
        page = client.post("/check", data=form).text
    raise AssertionError(f"no page asks {key}")


@pytest.mark.parametrize(
    ("typed", "said"), [("abc", "you typed “abc”"), ("140", "from 0 to 120"), ("-3", "you typed")]
)
def test_a_bad_age_is_refused_plainly_kept_and_asked_again(
    client: TestClient, typed: str, said: str
) -> None:
    page = _to_page_with(client, "age")
    response = client.post("/check", data={"state": page_state(page), "age": typed})
    assert response.status_code == 422
    errors = re.findall(r'role="alert"[^>]*>([^<]*)<', response.text)
    assert len(errors) == 1
    assert said in html.unescape(errors[0])
    assert "age:" not in errors[0]  # no internal field name
    assert f'value="{typed}"' in response.text  # what was typed is still there
    assert [q.key for q in page_questions(response.text)] == ["age"]
    again = client.post("/check", data={"state": page_state(response.text), "age": "35"})
    assert "age" not in [q.key for q in page_questions(again.text)]


@pytest.mark.covers("cauda_equina")
def test_a_ticked_warning_sign_counts_even_when_none_of_these_is_pressed(
    client: TestClient,
) -> None:
    first = client.get("/check").text
    form = {"state": page_state(first), "cauda_equina.bladder": "yes", "answer": "none"}
    result = client.post("/check", data=form)
    assert "Get emergency care now" in result.text
    assert 'href="tel:112"' in result.text
    assert "Tell them" in result.text


def test_the_first_page_is_a_short_list_of_emergency_signs(client: TestClient) -> None:
    first = client.get("/check").text
    questions = page_questions(first)
    assert 1 < len(questions) <= 8
    assert "None of these" in first
    assert first.count('type="checkbox"') == len(questions)


def test_start_back_is_asked_agree_or_disagree_with_five_answers_for_item_nine(
    client: TestClient,
) -> None:
    page = _to_page_with(client, "start_back.1")
    keys = [q.key for q in page_questions(page)]
    assert keys == [f"start_back.{n}" for n in range(1, 10)]  # one page, as on the form
    words = visible_text(page)
    assert words.count("Disagree") == 8
    assert words.count("Agree") == 8  # "Disagree" has a lower-case "agree"
    for answer in ("Not at all", "Slightly", "Moderately", "Very much", "Extremely"):
        assert answer in words
    assert "© Keele University" in words
    assert " = Disagree" not in words


def test_roland_morris_is_a_tick_list(client: TestClient) -> None:
    page = _to_page_with(client, "rmdq.1")
    assert [q.key for q in page_questions(page)] == [f"rmdq.{n}" for n in range(1, 25)]
    assert page.count('type="checkbox"') == 24
    form: dict[str, Any] = {"state": page_state(page), "rmdq.3": "yes", "rmdq.9": "yes"}
    result = client.post("/check", data=form)
    assert "Roland–Morris score: 2/24" in result.text


def test_every_page_speaks_plain_words_and_carries_the_safety_net(client: TestClient) -> None:
    ids = seed(client.app, today=date.today(), email="plain@example.org")  # type: ignore[arg-type]
    from tests.web.conftest import sign_up

    sign_up(client, "plain@example.org")
    texts = {path: client.get(path).text for path in html_pages(client.app, ids)}  # type: ignore[arg-type]
    for number, page in enumerate(walk(client, {"age": "35", "pain.intensity": "3"})):
        texts[f"check page {number + 1}"] = page
    found = {where: SNAKE.findall(visible_text(text)) for where, text in texts.items()}
    assert {where: words for where, words in found.items() if words} == {}
    # The offline page stands alone (the service worker serves it): its net is in the page.
    netless = [
        w for w, t in texts.items() if "safety-net-footer" not in t and 'id="safety-net"' not in t
    ]
    assert netless == []
    assert len(texts) > 20
    assert "shares-with-plain@example.org" in texts[f"/clinician/runners/{ids['runner_id']}"]
    assert re.search(r"Trail shoes</strong> — 2\d\d km", texts["/training"])  # 120 km + the runs


@pytest.mark.covers("cauda_equina")
def test_a_warning_sign_in_the_diary_leads_every_page_until_reviewed(client: TestClient) -> None:
    assert "standing-h" not in client.get("/").text
    saved = client.post("/diary", data=_diary_form(red_flags="bladder_change"))
    assert "bladder_change" not in visible_text(saved.text)  # the sign in plain words
    assert SNAKE.findall(visible_text(saved.text)) == []
    for path in ("/", "/diary", "/training", "/together", "/progress", "/settings", "/check"):
        page = client.get(path).text
        lead = page.index('id="standing-h"')
        assert lead < page.index('<main id="main">'), path  # before the page's own content
        assert 'href="tel:112"' in page[lead:], path
        assert SNAKE.findall(visible_text(page)) == [], path


def _diary_form(**values: str) -> dict[str, str]:
    return {"on": date.today().isoformat(), "pain_now": "3", "leg_symptoms": "no"} | values


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ((date.today() + timedelta(days=1)).isoformat(), "cannot be in the future"),
        ("1900-01-01", "on or after"),
        ("9999-12-31", "cannot be in the future"),
        ("31/02/2026", "is not a date"),
    ],
)
def test_a_diary_day_out_of_bounds_is_refused_and_the_answers_kept(
    client: TestClient, day: str, said: str
) -> None:
    response = client.post("/diary", data=_diary_form(on=day, pain_now="6", note="sore"))
    assert response.status_code == 422
    assert said in html.unescape(response.text)
    assert 'name="pain_now" min="0" max="10" value="6"' in response.text
    assert ">sore</textarea>" in response.text
    assert client.get("/api/v1/diary").json()["entries"] == []


def test_a_diary_score_that_is_not_a_number_is_named_in_plain_words(client: TestClient) -> None:
    response = client.post("/diary", data=_diary_form(pain_worst="lots"))
    assert response.status_code == 422
    message = html.unescape(re.search(r'role="alert"[^>]*>([^<]*)<', response.text)[1])  # type: ignore[index]
    assert message == "Worst today needs a whole number from 0 to 10; you typed “lots”."


def test_a_diary_entry_can_be_changed_and_deleted(client: TestClient) -> None:
    assert client.post("/diary", data=_diary_form(pain_now="5")).status_code == 200
    entry = client.get("/api/v1/diary").json()["entries"][0]
    edit = client.get(f"/diary/{entry['id']}")
    assert 'value="5"' in edit.text
    assert "Delete this entry" in edit.text
    changed = client.post(f"/diary/{entry['id']}", data=_diary_form(pain_now="2"))
    assert changed.status_code == 200
    assert client.get("/api/v1/diary").json()["entries"][0]["pain"] == 2
    bad = client.post(f"/diary/{entry['id']}", data=_diary_form(pain_now="12"))
    assert bad.status_code == 422
    assert 'value="12"' in bad.text
    assert client.post(f"/diary/{entry['id']}/delete").status_code == 200
    assert client.get("/api/v1/diary").json()["entries"] == []


def test_the_three_tap_entry_saves_and_an_unsure_answer_opens_the_full_form(
    client: TestClient,
) -> None:
    quick = {"quick": "yes", "pain_now": "4", "new_signs": "no"}
    assert client.post("/diary", data=quick).status_code == 200
    assert [e["pain"] for e in client.get("/api/v1/diary").json()["entries"]] == [4]
    unsure = client.post("/diary", data=quick | {"new_signs": "yes"})
    assert "Is any of these NEW" in unsure.text
    assert 'name="pain_now" min="0" max="10" value="4"' in unsure.text
    assert len(client.get("/api/v1/diary").json()["entries"]) == 1  # nothing saved unasked


def test_the_diary_reaches_back_as_far_as_the_spans_record_says_and_says_so(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    month = edited(
        tmp_path, "report_spans.yaml", REPORT_SPANS_ID, setting(diary_days_before_first_check=30)
    )
    forty_days_ago = (date.today() - timedelta(days=40)).isoformat()
    packaged = client.post("/diary", data=_diary_form(on="1900-01-01"))
    assert "(365 days before your first check)" in html.unescape(packaged.text)
    assert client.post("/diary", data=_diary_form(on=forty_days_ago)).status_code == 200
    monkeypatch.setattr("backstride.knowledge.load.load_knowledge_base", lambda: month)
    refused = client.post("/diary", data=_diary_form(on=forty_days_ago))
    assert refused.status_code == 422
    assert "(30 days before your first check)" in html.unescape(refused.text)
    twenty_days_ago = (date.today() - timedelta(days=20)).isoformat()
    assert client.post("/diary", data=_diary_form(on=twenty_days_ago)).status_code == 200


def test_the_diary_forms_limits_are_one_table_for_the_page_and_the_check(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = client.get("/diary").text
    assert 'name="steps" min="0" max="100000"' in page
    assert "Pain now (0–10)" in page
    monkeypatch.setitem(LIMITS, "steps", (0, 50_000))
    monkeypatch.setitem(LIMITS, "pain_now", (0, 5))
    refused = client.post("/diary", data=_diary_form(steps="60000"))  # the form shown again
    assert refused.status_code == 422
    assert "from 0 to 50000" in html.unescape(refused.text)
    assert 'name="steps" min="0" max="50000"' in refused.text
    assert "Pain now (0–5)" in refused.text

"""The web app's result, plan and clinician pages carry the safety net near the top for
self-care and referral results, and an emergency leads with its action alone; a warning sign
logged later in the diary leads every page and the API in its level's words until a clinician
review is recorded (GIRFT 2023 safety-netting; NICE CKS Sciatica; NICE NG59)."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.knowledge import load_knowledge_base
from backstride.knowledge import urgency as levels
from backstride.knowledge.rules import SafetyNet
from tests.web.conftest import BASE, page_questions, page_state, sign_up
from tests.web.test_pages import _walk, page_case

KB = load_knowledge_base()
NETS = {n.level: n for n in KB.of(SafetyNet)}
MARKERS = (NETS["emergency"].heading, NETS["emergency"].items[0], NETS["same_day"].heading,
           NETS["same_day"].items[1])  # fmt: skip
EXERCISE_MARKERS = ("How to do the exercises", "Day by day", "walk-run", "Walk 2 min")
BANNED = "emergency services if it is one of the emergency signs"
#: Wizard answers (over the calm defaults) that reach each urgency through the real check.
ANSWERS: dict[str, dict[str, Any]] = {
    "self_care": {"age": "35", "pain.intensity": "3"},
    "soon": {
        "age": "38",
        "pain.intensity": "5",
        "pain.locations": ["low_back_left", "below_knee_left"],
        "pain.leg_pain_worse_than_back": "yes",
    },
    "urgent": {"age": "40", "pain.intensity": "5", "infection.fever": "yes"},
}
CASE = {"age": 38, "pain": {"intensity": 5, "started_days_ago": 10, "onset": "lifting",
        "locations": ["low_back_left", "below_knee_left"], "leg_pain_worse_than_back": True},
        "neuro": {"numbness_or_tingling": ["below_knee_left"]}}  # fmt: skip


def _text(page: str) -> str:
    """The page's visible words, tags and whitespace folded away."""
    without = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", without)).split())


def _assert_net_near_the_top(text: str, action: str, *, before: tuple[str, ...]) -> None:
    for marker in MARKERS:
        assert marker in text, marker
    net = text.index(NETS["emergency"].heading)
    assert text.index(action) < net
    for later in before:
        if later in text:
            assert net < text.index(later), later


@pytest.mark.covers("safety_net.emergency", "safety_net.same_day")
@pytest.mark.parametrize("urgency", list(ANSWERS))
def test_the_check_result_and_its_plan_page_carry_the_safety_net_near_the_top(
    client: TestClient, urgency: str
) -> None:
    page = _walk(client, ANSWERS[urgency])
    text = _text(page)
    action = levels.action(KB, urgency)
    assert levels.label(KB, urgency) in text
    _assert_net_near_the_top(text, action, before=("Why", "Most likely", "Sources"))
    assert BANNED not in text
    if urgency == "urgent":
        assert "Most likely" not in text
        assert 'action="/plan"' not in page
        return
    plan = client.post("/plan", data={"case": page_case(page), "format": "html"})
    assert plan.status_code == 200
    plan_text = _text(plan.text)
    _assert_net_near_the_top(plan_text, action, before=("Your phases", "Day by day", "Sources"))
    assert BANNED not in plan_text


@pytest.mark.covers("cauda_equina")
def test_an_emergency_result_page_leads_with_the_action_and_nothing_competes(
    client: TestClient,
) -> None:
    first = client.get("/check").text
    form: dict[str, Any] = {"state": page_state(first)}
    for question in page_questions(first):
        form[question.key] = "yes" if question.key == "cauda_equina.bladder" else "no"
    page = client.post("/check", data=form).text
    text = _text(page)
    assert text.index(levels.label(KB, "emergency")) < text.index("Why")
    assert levels.action(KB, "emergency") in text
    assert NETS["emergency"].heading not in text
    assert "Most likely" not in text
    assert not any(marker in text for marker in EXERCISE_MARKERS)
    assert 'action="/plan"' not in page


# ---- a warning sign logged later leads every page and the API until a review --------------


def _clinician(client: TestClient) -> tuple[TestClient, int]:
    from backstride.services import accounts

    doctor = TestClient(client.app, base_url=BASE)
    sign_up(doctor, "dr@example.org")
    accounts.admin_role(client.app.state.settings, email="dr@example.org",  # type: ignore[attr-defined]
                        role="clinician", remove=False)  # fmt: skip
    sign_up(doctor, "dr@example.org")
    assert (
        client.post("/api/v1/shares", json={"clinician_email": "dr@example.org"}).status_code == 201
    )
    return doctor, int(client.get("/api/v1/me").json()["id"])


def _pages(client: TestClient) -> dict[str, str]:
    case = json.dumps(CASE)
    return {
        "home": _text(client.get("/").text),
        "diary": _text(client.get("/diary").text),
        "progress": _text(client.get("/progress").text),
        "plan": _text(client.post("/plan", data={"case": case, "format": "html"}).text),
    }


def _api(client: TestClient) -> dict[str, Any]:
    plan = client.get("/api/v1/plan")
    progress = client.get("/api/v1/progress")
    assert plan.status_code == 200, plan.text
    assert progress.status_code == 200, progress.text
    return {"plan": plan.json(), "progress": progress.json(), "raw": plan.text + progress.text}


@pytest.mark.covers("cauda_equina")
@pytest.mark.parametrize(
    ("entry", "sign"),
    [
        ({"red_flags": ["bladder_change"]}, "urine"),
        ({"locations": ["below_knee_left", "below_knee_right"]}, "both legs"),
    ],
    ids=["bladder_change", "pain_below_both_knees"],
)
def test_a_diary_warning_sign_leads_every_page_and_the_api_until_a_review(
    client: TestClient, entry: dict[str, Any], sign: str
) -> None:
    emergency_label = levels.label(KB, "emergency")
    emergency_action = levels.action(KB, "emergency")
    assert client.post("/api/v1/assessments", json=CASE).status_code == 201
    before = _pages(client)
    assert emergency_label not in before["plan"]
    assert _api(client)["plan"]["top"][0]["title"] == levels.label(KB, "soon")
    added = client.post("/api/v1/diary", json={"date": date.today().isoformat(), "pain": 6,
                                               **entry})  # fmt: skip
    assert added.status_code == 201, added.text
    escalation = added.json()["escalation"]
    assert escalation["urgency"] == "emergency"
    assert sign in (escalation["text"] + escalation["action"]).lower()
    doctor, me = _clinician(client)

    for name, text in _pages(client).items():
        assert BANNED not in text, name
        assert emergency_label in text, name
        assert emergency_action in text, name
        lead = text.index(emergency_label)
        for later in ("Your progress", "Add a diary entry", "Your phases", "Start the check",
                      "Is any of these NEW"):  # fmt: skip
            if later in text:
                assert lead < text.index(later), (name, later)
    plan_text = _pages(client)["plan"]
    assert not any(marker in plan_text for marker in EXERCISE_MARKERS)
    api = _api(client)
    assert BANNED not in api["raw"]
    assert api["plan"]["top"][0]["title"] == emergency_label
    assert api["plan"]["top"][0]["text"].startswith(emergency_action)
    assert api["plan"]["urgency_label"] == emergency_label
    assert api["progress"]["escalation"]["urgency"] == "emergency"
    assert api["progress"]["escalation"]["action"] == emergency_action

    note = {"note": "Seen in the emergency department; scan normal"}
    review = doctor.post(f"/api/v1/clinician/runners/{me}/reviews", json=note)
    assert review.status_code == 201, review.text
    after = _pages(client)
    for name, text in after.items():
        assert emergency_label not in text, name
    assert NETS["emergency"].heading in after["plan"]
    api = _api(client)
    assert api["plan"]["top"][0]["title"] == levels.label(KB, "soon")
    escalation_after = api["progress"]["escalation"]
    assert escalation_after is None or escalation_after["urgency"] != "emergency"


def _report(client: TestClient, me: int) -> str:
    """The clinician report as the report renderer writes it for this runner."""
    from backstride.services.store import acting_as
    from backstride.services.tracking import clinician_report

    with acting_as(me):
        body = clinician_report(client.app.state.settings, fmt="html", today=date.today())  # type: ignore[attr-defined]
    return _text(body.decode("utf-8"))


@pytest.mark.covers("safety_net.emergency", "cauda_equina")
def test_the_clinician_page_and_report_carry_the_safety_net_until_an_emergency_leads(
    client: TestClient,
) -> None:
    assert client.post("/api/v1/assessments", json=CASE).status_code == 201
    doctor, me = _clinician(client)
    page = _text(doctor.get(f"/clinician/runners/{me}").text)
    report = _report(client, me)
    for text, later in ((page, "Record a review"), (report, "Assessment history")):
        for marker in MARKERS:
            assert marker in text, marker
        assert text.index(NETS["emergency"].heading) < text.index(later)
    assert "Most likely" in report  # the clinician sees the pattern when nothing is urgent

    entry = {"date": date.today().isoformat(), "pain": 6, "red_flags": ["bladder_change"]}
    assert client.post("/api/v1/diary", json=entry).status_code == 201
    page = _text(doctor.get(f"/clinician/runners/{me}").text)
    report = _report(client, me)
    action = levels.action(KB, "emergency")
    for text, later in ((page, "Record a review"), (report, "Assessment history")):
        assert text.index(action) < text.index(later)
        assert NETS["emergency"].heading not in text
        assert "Most likely" not in text
        assert not any(marker in text for marker in EXERCISE_MARKERS)
        assert BANNED not in text

"""Sharing with a clinician: roles, share and revoke, the summary (escalation first),
recorded reviews, the runner's audit log, and export and delete from settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.knowledge.analytics_params import REPORT_SPANS_ID
from backstride.services import accounts
from backstride.services.store import store_session
from backstride.storage.reviews import latest_review
from tests.kb_copy import edited, setting
from tests.web.conftest import BASE, PASSWORD, sign_up

CASE = {"age": 35, "pain": {"intensity": 3, "started_days_ago": 5}}


def _clinician(client: TestClient, email: str = "dr@example.org") -> TestClient:
    doctor = TestClient(client.app, base_url=BASE)
    sign_up(doctor, email)
    accounts.admin_role(client.app.state.settings, email=email, role="clinician", remove=False)  # type: ignore[attr-defined]
    sign_up(doctor, email)
    return doctor


def test_only_an_account_with_the_clinician_role_can_be_shared_with(client: TestClient) -> None:
    plain = TestClient(client.app, base_url=BASE)
    sign_up(plain, "friend@example.org")
    refused = client.post("/api/v1/shares", json={"clinician_email": "friend@example.org"})
    assert refused.status_code == 422
    assert "clinician" in refused.json()["detail"]
    assert plain.get("/api/v1/clinician/runners").status_code == 403


def test_a_shared_runner_appears_with_escalation_first_and_revoking_ends_it_at_once(
    client: TestClient,
) -> None:
    doctor = _clinician(client)
    client.post("/api/v1/assessments", json=CASE)
    entry = {"date": date.today().isoformat(), "pain": 7, "red_flags": ["bladder_change"]}
    flagged = client.post("/api/v1/diary", json=entry)
    assert flagged.json()["escalation"]["urgency"] == "emergency"
    share = client.post("/api/v1/shares", json={"clinician_email": "dr@example.org"})
    assert share.status_code == 201
    me = client.get("/api/v1/me").json()
    runners = doctor.get("/api/v1/clinician/runners").json()["runners"]
    assert [r["id"] for r in runners] == [me["id"]]
    summary = doctor.get(f"/api/v1/clinician/runners/{me['id']}").json()
    assert next(iter(summary)) == "runner"
    assert list(summary)[1] == "escalation"
    assert summary["escalation"]["urgency"] == "emergency"
    assert summary["assessment"]["case"]["age"] == 35
    assert [e["pain"] for e in summary["recent_diary"]] == [7]
    page = doctor.get(f"/clinician/runners/{me['id']}")
    assert page.status_code == 200
    assert page.text.index("Needs attention") < page.text.index("Recent diary")
    assert doctor.post(f"/api/v1/clinician/runners/{me['id']}/plan", json={}).status_code in (
        404, 405)  # fmt: skip  # read-only: nothing to write but reviews
    assert client.delete(f"/api/v1/shares/{share.json()['id']}").status_code == 204
    assert doctor.get(f"/api/v1/clinician/runners/{me['id']}").status_code == 404
    assert doctor.get("/api/v1/clinician/runners").json()["runners"] == []


def test_a_review_is_recorded_for_the_runner_and_audited(client: TestClient) -> None:
    doctor = _clinician(client)
    client.post("/api/v1/shares", json={"clinician_email": "dr@example.org"})
    me = client.get("/api/v1/me").json()
    doctor.get(f"/api/v1/clinician/runners/{me['id']}")
    review = doctor.post(f"/api/v1/clinician/runners/{me['id']}/reviews",
                         json={"note": "Seen in clinic; no further concern."})  # fmt: skip
    assert review.status_code == 201
    with store_session(client.app.state.settings) as session:  # type: ignore[attr-defined]
        found = latest_review(session, user_id=me["id"])
    assert found is not None
    assert found.reviewer == "dr@example.org"
    events = client.get("/api/v1/audit").json()["events"]
    actions = [(e["actor"], e["action"]) for e in events]
    assert ("dr@example.org", "clinician_reviewed") in actions
    assert ("dr@example.org", "clinician_viewed") in actions
    assert ("ann@example.org", "share_created") in actions
    settings_page = client.get("/settings").text
    assert "Looked at your summary" in settings_page
    assert "clinician_viewed" not in settings_page  # words for people, not ids


def test_a_runner_exports_everything_and_deletes_the_account_and_its_data(
    client: TestClient,
) -> None:
    client.post("/api/v1/assessments", json=CASE)
    client.post("/api/v1/diary", json={"date": "2026-01-01", "pain": 4, "note": "mine"})
    other = TestClient(client.app, base_url=BASE)
    sign_up(other, "bob@example.org")
    other.post("/api/v1/diary", json={"date": "2026-01-01", "pain": 1, "note": "bob's"})
    document = client.get("/api/v1/export").json()
    assert document["account"]["email"] == "ann@example.org"
    assert [row["note"] for row in document["tables"]["diary_entry"]] == ["mine"]
    assert len(document["tables"]["assessment"]) == 1
    assert "password_hash" not in str(document)
    wrong = client.request("DELETE", "/api/v1/me", json={"password": "not my password"})
    assert wrong.status_code == 401
    assert client.request("DELETE", "/api/v1/me", json={"password": PASSWORD}).status_code == 204
    assert client.get("/api/v1/me").status_code == 401
    relogin = client.post(
        "/api/v1/auth/login", json={"email": "ann@example.org", "password": PASSWORD}
    )
    assert relogin.status_code == 401
    assert [e["note"] for e in other.get("/api/v1/diary").json()["entries"]] == ["bob's"]


def test_research_consent_starts_off_and_the_runner_can_change_it(client: TestClient) -> None:
    assert client.get("/api/v1/me").json()["research_consent"] is False
    token = client.headers["X-CSRF-Token"]
    client.post("/settings/consent", data={"research_consent": "yes", "csrf_token": token})
    assert client.get("/api/v1/me").json()["research_consent"] is True
    assert client.patch("/api/v1/me", json={"research_consent": False}).json()[
        "research_consent"] is False  # fmt: skip


def test_the_summary_shows_as_many_latest_diary_entries_as_the_spans_record_says(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doctor = _clinician(client)
    for day, pain in zip(range(1, 5), (1, 2, 3, 4), strict=True):
        client.post("/api/v1/diary", json={"date": f"2026-01-0{day}", "pain": pain})
    client.post("/api/v1/shares", json={"clinician_email": "dr@example.org"})
    me = client.get("/api/v1/me").json()

    def shown() -> list[int]:
        summary = doctor.get(f"/api/v1/clinician/runners/{me['id']}").json()
        return [e["pain"] for e in summary["recent_diary"]]

    assert shown() == [1, 2, 3, 4]  # fewer entries than the record's span: all of them
    two = edited(tmp_path, "report_spans.yaml", REPORT_SPANS_ID, setting(clinician_diary_entries=2))
    monkeypatch.setattr("backstride.knowledge.load_knowledge_base", lambda: two)
    assert shown() == [3, 4]

"""The JSON API: the assessment contract over HTTP, and problem+json for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from backstride.assess.casefile import case_from_data
from backstride.services.assessment import assess_case

VIGNETTES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "assess" / "vignettes.yaml").read_text(encoding="utf-8")
)["vignettes"]


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_api_assess_returns_the_same_bytes_as_the_python_api(
    client: TestClient, vignette: dict[str, Any]
) -> None:
    response = client.post("/api/assess", content=json.dumps(vignette["case"]))
    assert response.status_code == 200
    assert response.text == assess_case(case_from_data(vignette["case"])).to_json()
    assert response.json()["urgency"] == vignette["expect"]["urgency"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"age": 38, "pain": {"intensity": 14}}', "pain.intensity"),
        (b'{"age": 38, "pain": {"intensity": 4}, "agee": 1}', "agee"),
        (b'{"age": "38", "pain": {"intensity": 4}}', "age"),
        (b'{"age": 38, "pain": {"intensity": 4, "onset": "sneeze"}}', "pain.onset"),
        (b'{"age": 38', "JSON"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_bad_cases_get_one_problem_line_naming_the_field(
    client: TestClient, body: bytes, detail: str
) -> None:
    response = client.post("/api/assess", content=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert detail in problem["detail"]
    assert "\n" not in problem["detail"]


def test_an_oversized_body_is_refused_before_it_is_parsed(client: TestClient) -> None:
    response = client.post("/api/assess", content=b" " * (300 * 1024))
    assert response.status_code == 413
    assert "at most" in response.json()["detail"]


def test_api_plan_builds_a_plan_from_a_case(client: TestClient) -> None:
    case = {"age": 35, "pain": {"intensity": 3, "started_days_ago": 5}}
    response = client.post("/api/plan?weeks=2&start=2026-01-05", content=json.dumps(case))
    assert response.status_code == 200
    plan = response.json()
    assert plan["start"] == "2026-01-05"
    assert plan["weeks"] == 2


def test_api_plan_for_an_emergency_holds_no_exercise(client: TestClient) -> None:
    case = {"age": 35, "pain": {"intensity": 6}, "neuro": {"bladder_change": True}}
    response = client.post("/api/plan", content=json.dumps(case))
    assert response.status_code == 200
    assert "glute-bridge" not in response.text
    assert response.json()["assessment"]["urgency"] == "emergency"


def test_api_kb_returns_a_record_and_404s_an_unknown_id(client: TestClient) -> None:
    assert client.get("/api/kb/nice-ng59").json()["id"] == "nice-ng59"
    missing = client.get("/api/kb/no-such-record")
    assert missing.status_code == 404
    assert "no-such-record" in missing.json()["detail"]

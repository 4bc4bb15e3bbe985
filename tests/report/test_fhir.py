"""The FHIR R4 Bundle: questionnaires as QuestionnaireResponse, pain as LOINC Observations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from backstride.domain.diary import DiaryEntry
from backstride.progress.history import AssessmentRecord, RmdqResponse
from backstride.report.fhir import PAIN_NRS_LOINC, FhirInput, build_bundle

ASSESSMENT = AssessmentRecord(
    id=1,
    created_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    case={
        "age": 40,
        "pain": {"intensity": 6},
        "start_back": [True, False, True, False, False, False, False, False, "very_much"],
        "rmdq": [2, 9],
    },
    result={
        "urgency": "self_care",
        "start_back": {"total": 3, "psychosocial": 1, "risk": "low"},
        "rmdq": {"score": 2},
    },
    urgency="self_care",
    kb_version="1",
)
DIARY = (
    DiaryEntry(at=datetime(2026, 3, 2, 8), pain_now=5, pain_worst=7),
    DiaryEntry(at=datetime(2026, 3, 2, 8), pain_now=5),  # same minute, same score
)


def bundle() -> dict:  # type: ignore[type-arg]
    data = FhirInput([ASSESSMENT], DIARY, [RmdqResponse(date(2026, 3, 8), (1, 4, 9), 3)])
    return build_bundle(data, generated_at=datetime(2026, 3, 9, 12, tzinfo=UTC))


def resources(kind: str) -> list[dict]:  # type: ignore[type-arg]
    return [e["resource"] for e in bundle()["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_is_a_collection_with_unique_full_urls() -> None:
    document = bundle()
    assert (document["resourceType"], document["type"]) == ("Bundle", "collection")
    urls = [e["fullUrl"] for e in document["entry"]]
    assert len(urls) == len(set(urls))
    assert all(
        u == f"urn:uuid:{e['resource']['id']}" for u, e in zip(urls, document["entry"], strict=True)
    )


def test_every_resource_refers_to_the_one_patient() -> None:
    (patient,) = resources("Patient")
    for kind in ("Observation", "QuestionnaireResponse"):
        for resource in resources(kind):
            assert resource["subject"] == {"reference": f"urn:uuid:{patient['id']}"}


def test_pain_scores_are_loinc_72514_3_observations_with_a_zoned_time() -> None:
    pain = [o for o in resources("Observation") if o["code"]["coding"][0]["code"] == PAIN_NRS_LOINC]
    assert sorted(o["valueInteger"] for o in pain) == [5, 5, 6]
    assert all(o["code"]["coding"][0]["system"] == "http://loinc.org" for o in pain)
    for observation in pain:
        moment = datetime.fromisoformat(observation["effectiveDateTime"])
        assert moment.tzinfo is not None
        assert observation["status"] == "final"


def test_start_back_and_rmdq_are_questionnaire_responses() -> None:
    by_questionnaire: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for response in resources("QuestionnaireResponse"):
        by_questionnaire.setdefault(response["questionnaire"], []).append(response)
        assert response["status"] == "completed"
    (start_back,) = by_questionnaire["urn:backstride:questionnaire:startback"]
    answers = {i["linkId"]: i["answer"][0] for i in start_back["item"]}
    assert answers["1"] == {"valueBoolean": True}
    assert answers["9"]["valueCoding"]["code"] == "very_much"
    assert answers["total"] == {"valueInteger": 3}
    rmdq = by_questionnaire["urn:backstride:questionnaire:rmdq"]
    scores = sorted(
        next(i["answer"][0]["valueInteger"] for i in r["item"] if i["linkId"] == "score")
        for r in rmdq
    )
    assert scores == [2, 3]
    assert all(len(r["item"]) == 25 for r in rmdq)


def test_the_same_data_gives_the_same_bundle() -> None:
    assert bundle() == bundle()

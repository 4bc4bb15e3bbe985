"""The runner's questionnaires and pain scores as a FHIR R4 Bundle (type "collection").

STarT Back and RMDQ answers become QuestionnaireResponse resources (answers by item number
only: the instruments' wording is not reproduced); pain scores become Observation resources
coded with LOINC where a code exists (72514-3, pain severity 0-10 verbal numeric rating).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from backstride.domain.diary import DiaryEntry
from backstride.progress.history import AssessmentRecord, RmdqResponse

LOINC = "http://loinc.org"
PAIN_NRS_LOINC = "72514-3"
PAIN_NRS_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
LOCAL_CODES = "urn:backstride:code"
STARTBACK_QUESTIONNAIRE = "urn:backstride:questionnaire:startback"
RMDQ_QUESTIONNAIRE = "urn:backstride:questionnaire:rmdq"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
_NAMESPACE = uuid.UUID("6f1f4d0e-3a0b-5c55-9a7e-0b5f3a1c2d10")


@dataclass(frozen=True, slots=True)
class FhirInput:
    """What goes into the bundle."""

    assessments: Sequence[AssessmentRecord]
    diary: Sequence[DiaryEntry]
    rmdq: Sequence[RmdqResponse]


def build_bundle(data: FhirInput, *, generated_at: datetime) -> dict[str, Any]:
    """A FHIR R4 collection Bundle with a Patient and every questionnaire and pain score."""
    patient_id = _uid("patient")
    resources: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": patient_id, "active": True}
    ]
    for record in data.assessments:
        resources.extend(_assessment_resources(record, patient_id))
    for response in data.rmdq:
        moment = datetime.combine(response.on, datetime.min.time(), tzinfo=UTC)
        resources.append(_rmdq_response(response.items, response.score, moment, patient_id))
    for entry in data.diary:
        resources.extend(_diary_observations(entry, patient_id))
    _make_ids_unique(resources)
    return {
        "resourceType": "Bundle",
        "id": _uid("bundle", generated_at.isoformat()),
        "type": "collection",
        "timestamp": _instant(generated_at),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def _assessment_resources(record: AssessmentRecord, patient_id: str) -> list[dict[str, Any]]:
    out = []
    answers = record.case.get("start_back")
    if isinstance(answers, list | tuple) and len(answers) == 9:
        out.append(_startback_response(record, list(answers), patient_id))
    items = record.case.get("rmdq")
    if isinstance(items, list | tuple):
        score = (record.result.get("rmdq") or {}).get("score", len(items))
        out.append(_rmdq_response(tuple(items), int(score), record.created_at, patient_id))
    intensity = (record.case.get("pain") or {}).get("intensity")
    if isinstance(intensity, int):
        out.append(_pain_observation(intensity, record.created_at, patient_id, "assessment"))
    return out


def _startback_response(
    record: AssessmentRecord, answers: list[Any], patient_id: str
) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {"linkId": str(n), "answer": [{"valueBoolean": bool(value)}]}
        for n, value in enumerate(answers[:8], start=1)
    ]
    items.append(
        {
            "linkId": "9",
            "answer": [{"valueCoding": {"system": STARTBACK_QUESTIONNAIRE, "code": answers[8]}}],
        }
    )
    score = record.result.get("start_back") or {}
    for key in ("total", "psychosocial"):
        if isinstance(score.get(key), int):
            items.append({"linkId": key, "answer": [{"valueInteger": score[key]}]})
    if isinstance(score.get("risk"), str):
        items.append({"linkId": "risk", "answer": [{"valueString": score["risk"]}]})
    return _questionnaire_response(
        STARTBACK_QUESTIONNAIRE, items, record.created_at, patient_id, "startback"
    )


def _rmdq_response(
    ticked: tuple[int, ...], score: int, moment: datetime, patient_id: str
) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {"linkId": str(n), "answer": [{"valueBoolean": n in ticked}]} for n in range(1, 25)
    ]
    items.append({"linkId": "score", "answer": [{"valueInteger": score}]})
    return _questionnaire_response(RMDQ_QUESTIONNAIRE, items, moment, patient_id, "rmdq")


def _questionnaire_response(
    questionnaire: str, items: list[dict[str, Any]], moment: datetime, patient_id: str, kind: str
) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": _uid(kind, moment.isoformat(), repr(items)),
        "questionnaire": questionnaire,
        "status": "completed",
        "subject": {"reference": f"urn:uuid:{patient_id}"},
        "authored": _instant(moment),
        "item": items,
    }


def _diary_observations(entry: DiaryEntry, patient_id: str) -> list[dict[str, Any]]:
    moment = entry.at
    out = [_pain_observation(entry.pain_now, moment, patient_id, "now")]
    local = (
        ("pain-worst", "Worst pain today (0-10)", entry.pain_worst),
        ("pain-during-run", "Pain during the last run (0-10)", entry.pain_during_run),
        ("pain-next-morning", "Pain the morning after a run (0-10)", entry.pain_next_morning),
        ("stiffness", "Back stiffness (0-10)", entry.stiffness),
    )
    for code, display, value in local:
        if value is not None:
            out.append(
                _observation(
                    {"system": LOCAL_CODES, "code": code, "display": display},
                    value,
                    moment,
                    patient_id,
                )
            )
    return out


def _pain_observation(value: int, moment: datetime, patient_id: str, kind: str) -> dict[str, Any]:
    coding = {"system": LOINC, "code": PAIN_NRS_LOINC, "display": PAIN_NRS_DISPLAY}
    observation = _observation(coding, value, moment, patient_id)
    observation["id"] = _uid("pain", kind, moment.isoformat(), str(value))
    return observation


def _observation(
    coding: dict[str, str], value: int, moment: datetime, patient_id: str
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": _uid("obs", coding["code"], moment.isoformat(), str(value)),
        "status": "final",
        "category": [SURVEY],
        "code": {"coding": [coding], "text": coding["display"]},
        "subject": {"reference": f"urn:uuid:{patient_id}"},
        "effectiveDateTime": _instant(moment),
        "valueInteger": value,
    }


def _make_ids_unique(resources: list[dict[str, Any]]) -> None:
    """Two entries logged at the same minute with the same score still get distinct ids."""
    seen: set[str] = set()
    for resource in resources:
        base, n = resource["id"], 0
        while resource["id"] in seen:
            n += 1
            resource["id"] = _uid(base, str(n))
        seen.add(resource["id"])


def _instant(moment: datetime) -> str:
    """A FHIR dateTime with seconds and a zone (wall-clock diary times get the local zone)."""
    aware = moment if moment.tzinfo is not None else moment.astimezone()
    return aware.replace(microsecond=0).isoformat()


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(parts)))

"""Broken content records fail to load with a message naming file, record and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from backstride.errors import KnowledgeBaseError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.load import data_dir

GOOD_EXERCISE = {
    "id": "test-move",
    "name": "Test move",
    "category": "strength",
    "purpose": "A move for tests.",
    "targets": ["glutes"],
    "steps": ["Lie down on the floor.", "Lift the hips slowly."],
    "dose": {"sets": 2, "reps": 10, "sessions_per_week": 3},
    "dose_max": {"sets": 3, "reps": 12, "sessions_per_week": 3},
    "progression": "Harder.",
    "regression": "Easier.",
    "phases": ["strengthen"],
    "sources": ["owen-2020"],
}


def _kb_with(tmp_path: Path, kind: str, record: dict[str, object]) -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    document = {"kind": kind, "records": [record]}
    (folder / "zz_test.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    return folder


def test_a_well_formed_exercise_loads(tmp_path: Path) -> None:
    kb = load_knowledge_base(_kb_with(tmp_path, "exercise", GOOD_EXERCISE))
    assert kb.get("test-move").sources == ("owen-2020",)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"dose": None}, "dose", id="missing-dose"),
        pytest.param(
            {"dose": {"sets": 0, "reps": 5, "sessions_per_week": 3}}, "dose.sets", id="zero-sets"
        ),
        pytest.param({"steps": ["Only one step."]}, "steps", id="one-step"),
        pytest.param({"phases": ["someday"]}, "phases.0", id="unknown-phase"),
        pytest.param({"phases": []}, "phases", id="no-phase"),
        pytest.param(
            {"cautions": ["bad_knee"], "caution_text": "x"}, "cautions.0", id="unknown-caution"
        ),
        pytest.param({"cautions": ["radicular"]}, "caution_text", id="caution-without-text"),
        pytest.param({"category": "cardio"}, "category", id="unknown-category"),
        pytest.param({"sources": []}, "sources", id="uncited"),
        pytest.param({"repetitions": 3}, "repetitions", id="typo-key"),
    ],
)
def test_a_broken_exercise_names_the_file_record_and_field(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    record = {**GOOD_EXERCISE, **change}
    record = {key: value for key, value in record.items() if value is not None}
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(_kb_with(tmp_path, "exercise", record))
    message = str(error.value)
    assert message.startswith("zz_test.yaml: record test-move: ")
    assert field in message


def test_a_treatment_position_citing_a_malformed_source_id_is_rejected(tmp_path: Path) -> None:
    record = {
        "id": "test-treatment",
        "name": "Test",
        "category": "advice",
        "status": "recommended",
        "reason": "Because.",
        "summary": "Do it.",
        "positions": [{"source": "Not An Id", "status": "recommended"}],
        "sources": ["nice-ng59"],
    }
    with pytest.raises(
        KnowledgeBaseError, match=r"record test-treatment: field positions\.0\.source"
    ):
        load_knowledge_base(_kb_with(tmp_path, "treatment", record))


def test_a_myth_without_evidence_is_rejected(tmp_path: Path) -> None:
    record = {
        "id": "test-myth",
        "title": "Myth",
        "summary": "Summary.",
        "body": ["Body."],
        "myth": "Something untrue.",
        "sources": ["nice-ng59"],
    }
    with pytest.raises(KnowledgeBaseError, match=r"record test-myth: .*myth and evidence"):
        load_knowledge_base(_kb_with(tmp_path, "education", record))


@pytest.mark.parametrize(
    ("edges", "message"),
    [
        pytest.param([50, 70, 60], "expected rising edges", id="falling"),
        pytest.param([50, 60, 100], "between 0 and 100", id="at-hr-max"),
        pytest.param([], "zone_lower_pct", id="none"),
    ],
)
def test_heart_rate_zones_that_do_not_rise_within_hr_max_do_not_load(
    tmp_path: Path, edges: list[int], message: str
) -> None:
    record = {"id": "load.test_zones", "zone_lower_pct": edges, "sources": ["edwards-1993"]}
    with pytest.raises(KnowledgeBaseError, match=message):
        load_knowledge_base(_kb_with(tmp_path, "heart_rate_zones", record))

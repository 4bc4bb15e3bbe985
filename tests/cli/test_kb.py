"""`backstride kb` through the real entry point: validate, list, show, trace."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import Exercise
from backstride.knowledge.kinds import KINDS
from backstride.knowledge.load import data_dir
from tests.conftest import REPO, run_backstride

KB = load_knowledge_base()


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("backstride: error: ")
    assert "Traceback" not in stderr
    return lines[0]


def test_validate_prints_version_digest_and_counts_per_kind(home: Path) -> None:
    result = run_backstride("kb", "validate")
    assert result.code == 0, result.stderr
    assert f"Knowledge base {KB.version} is valid (digest {KB.digest})." in result.stdout
    assert "exercise" in result.stdout
    assert str(len(KB.of(Exercise))) in result.stdout


def test_validate_as_json_reports_counts_and_full_seed_topic_coverage(home: Path) -> None:
    result = run_backstride("kb", "validate", "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["digest"] == KB.digest
    assert report["counts"]["exercise"] == len(KB.of(Exercise))
    assert report["counts"]["source"] == len(KB.sources)
    assert report["seed_topics"]["uncovered"] == []


BAD_YAML = "kind: exercise\nrecords:\n  - id: x\n    name: [unclosed\n"
HALF_RECORD = "kind: exercise\nrecords:\n  - id: half\n    name: Half\n    sources: [owen-2020]\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(BAD_YAML, "cannot read YAML", id="bad-yaml"),
        pytest.param(HALF_RECORD, "record half: field", id="missing-fields"),
    ],
)
def test_validate_a_broken_directory_exits_2_with_one_line(
    home: Path, tmp_path: Path, content: str, expected: str
) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (folder / "zz_broken.yaml").write_text(content, encoding="utf-8")
    result = run_backstride("kb", "validate", "--dir", str(folder))
    assert result.code == 2
    assert result.stdout == ""
    line = _one_error_line(result.stderr)
    assert "zz_broken.yaml" in line
    assert expected in line


def test_validate_a_missing_directory_exits_2(home: Path, tmp_path: Path) -> None:
    result = run_backstride("kb", "validate", "--dir", str(tmp_path / "nowhere"))
    assert result.code == 2
    assert "--dir" in _one_error_line(result.stderr)


@pytest.mark.covers("glute-bridge", "walking")
def test_list_exercises_as_json_is_sorted_and_complete(home: Path) -> None:
    result = run_backstride("kb", "list", "exercises", "--format", "json")
    assert result.code == 0, result.stderr
    items = json.loads(result.stdout)
    ids = [item["id"] for item in items]
    assert ids == sorted(ids)
    assert len(ids) == len(KB.of(Exercise))
    bridge = items[ids.index("glute-bridge")]
    assert bridge["dose"]["sets"] >= 1
    assert "owen-2020" in bridge["sources"]


def test_list_red_flags_lists_the_registered_red_flag_records(home: Path) -> None:
    result = run_backstride("kb", "list", "red-flags", "--format", "json")
    assert result.code == 0, result.stderr
    ids = [item["id"] for item in json.loads(result.stdout)]
    if "red_flag" in KINDS:
        expected = sorted(r.id for r in KB.records.values() if type(r) is KINDS["red_flag"])
        assert ids == expected
        assert "cauda_equina" in ids
    else:
        assert ids == []


@pytest.mark.covers("acupuncture")
def test_list_treatments_as_text_shows_a_table_with_status(home: Path) -> None:
    result = run_backstride("kb", "list", "treatments")
    assert result.code == 0, result.stderr
    assert "acupuncture" in result.stdout
    assert "not_recommended" in result.stdout
    assert result.stdout.rstrip().endswith("treatments")


def test_list_sources_includes_the_guidelines(home: Path) -> None:
    result = run_backstride("kb", "list", "sources", "--format", "json")
    ids = {item["id"] for item in json.loads(result.stdout)}
    assert {"nice-ng59", "acp-2017", "lancet-2018-foster", "owen-2020"} <= ids


def test_list_of_an_unknown_kind_is_a_usage_error(home: Path) -> None:
    result = run_backstride("kb", "list", "recipes")
    assert result.code == 2
    assert "Traceback" not in result.stderr


@pytest.mark.covers("glute-bridge")
def test_show_prints_every_field_and_the_cited_sources(home: Path) -> None:
    result = run_backstride("kb", "show", "glute-bridge")
    assert result.code == 0, result.stderr
    assert "Glute bridge" in result.stdout
    assert "Owen PJ" in result.stdout
    assert "progression" in result.stdout


@pytest.mark.covers("edu-anatomy")
def test_show_as_json_returns_the_record_with_kind_and_stamp(home: Path) -> None:
    result = run_backstride("kb", "show", "edu-anatomy", "--format", "json")
    shown = json.loads(result.stdout)
    assert shown["kind"] == "education"
    assert shown["record"]["id"] == "edu-anatomy"
    assert shown["knowledge_base"] == KB.stamp


def test_show_an_unknown_id_exits_2_with_one_line(home: Path) -> None:
    result = run_backstride("kb", "show", "no-such-record")
    assert result.code == 2
    assert result.stdout == ""
    assert "no-such-record" in _one_error_line(result.stderr)


@pytest.mark.covers("ice")
def test_trace_as_json_lists_the_tests_covering_a_record(home: Path) -> None:
    result = run_backstride("kb", "trace", "--tests", str(REPO / "tests"), "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    rows = {row["id"]: row for row in report["records"]}
    assert (
        "tests/cli/test_kb.py::test_trace_as_json_lists_the_tests_covering_a_record"
        in (rows["ice"]["text_only"])
    )
    assert rows["ice"]["sources"] == list(KB.get("ice").sources)
    assert set(report["uncovered"]) == {rid for rid, row in rows.items() if not row["tests"]}
    assert "rule.pain_monitoring" not in report["uncovered"]
    assert set(report["text_only"]) <= set(report["uncovered"])


def test_trace_as_text_shows_the_table_and_the_uncovered_summary(home: Path) -> None:
    result = run_backstride("kb", "trace", "--tests", str(REPO / "tests"))
    assert result.code == 0, result.stderr
    assert "Records an engine output was shown to carry" in result.stdout
    assert "Covered only by text checks" in result.stdout
    assert "superficial-heat" in result.stdout


def test_trace_reads_several_run_logs_together(home: Path, tmp_path: Path) -> None:
    logs = []
    for folder, record in (("plan", "ice"), ("report", "label.trend.same")):
        log = tmp_path / f"{folder}.jsonl"
        log.write_text(json.dumps({"record": record, "test": f"tests/{folder}/t.py::t"}) + "\n")
        logs += ["--log", str(log)]
    result = run_backstride("kb", "trace", "--tests", str(REPO / "tests"), "-f", "json", *logs)
    assert result.code == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)["records"]}
    assert rows["ice"]["tests"] == ["tests/plan/t.py::t"]
    assert rows["label.trend.same"]["tests"] == ["tests/report/t.py::t"]


def test_trace_without_a_tests_folder_exits_2(home: Path, tmp_path: Path) -> None:
    result = run_backstride("kb", "trace", "--tests", str(tmp_path / "none"))
    assert result.code == 2
    assert "--tests" in _one_error_line(result.stderr)


@pytest.mark.covers("myth-bed-rest")
def test_checklist_as_json_maps_every_seed_topic_to_its_records(home: Path) -> None:
    result = run_backstride("kb", "checklist", "--format", "json")
    assert result.code == 0, result.stderr
    rows = {row["topic"]: row for row in json.loads(result.stdout)}
    assert all(row["records"] for row in rows.values())
    assert "myth-bed-rest" in rows["bed-rest"]["records"]


@pytest.mark.covers("edu-anatomy")
def test_show_prints_the_anatomy_diagram_with_its_bracketed_labels(home: Path) -> None:
    result = run_backstride("kb", "show", "edu-anatomy")
    assert result.code == 0, result.stderr
    assert "|  L1  |==[facet]" in result.stdout
    assert "SACRUM" in result.stdout

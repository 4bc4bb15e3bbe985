"""Loading the knowledge base: version, digest, and clear errors for bad records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backstride.errors import KnowledgeBaseError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.load import data_dir


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def test_packaged_knowledge_base_loads_with_version_and_sha256_digest() -> None:
    kb = load_knowledge_base()
    assert kb.version
    assert len(kb.digest) == 64
    assert "nice-ng59" in kb.sources


def test_digest_changes_when_any_file_changes(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path)
    before = load_knowledge_base(folder).digest
    (folder / "meta.yaml").write_text('version: "changed"\n', encoding="utf-8")
    assert load_knowledge_base(folder).digest != before


def test_record_citing_an_unknown_source_fails_naming_record_and_field(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path)
    (folder / "zz_bad.yaml").write_text(
        "kind: prevention\nrecords:\n  - id: bad-item\n    title: A bad item\n"
        "    category: load\n    advice: Text.\n    sources: [no-such-source]\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match=r"bad-item.*sources.*no-such-source"):
        load_knowledge_base(folder)


def test_record_without_sources_fails_naming_file_record_and_field(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path)
    (folder / "zz_bad.yaml").write_text(
        "kind: prevention\nrecords:\n  - id: uncited\n    title: Uncited\n"
        "    category: load\n    advice: Text.\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match=r"zz_bad\.yaml: record uncited: field sources"):
        load_knowledge_base(folder)


def test_unknown_key_in_a_record_is_rejected(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path)
    (folder / "zz_bad.yaml").write_text(
        "kind: prevention\nrecords:\n  - id: typo\n    title: Typo\n    category: load\n"
        "    advice: Text.\n    sources: [nice-ng59]\n    sourcse: []\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match=r"record typo: field sourcse"):
        load_knowledge_base(folder)


def test_unknown_kind_is_rejected(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path)
    (folder / "zz_bad.yaml").write_text("kind: recipe\nrecords: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="unknown kind 'recipe'"):
        load_knowledge_base(folder)


def test_guideline_position_citing_an_unknown_source_fails_naming_the_nested_field(
    tmp_path: Path,
) -> None:
    folder = _copy_kb(tmp_path)
    (folder / "zz_bad.yaml").write_text(
        "kind: treatment\nrecords:\n  - id: odd-treatment\n    name: Odd\n"
        "    category: advice\n    status: recommended\n    reason: R.\n    summary: S.\n"
        "    sources: [nice-ng59]\n    positions:\n"
        "      - {source: no-such-guideline, status: recommended}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        KnowledgeBaseError, match=r"odd-treatment: field positions\[0\]\.source: unknown source"
    ):
        load_knowledge_base(folder)


def test_invalid_yaml_gives_a_one_line_message(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path)
    (folder / "zz_bad.yaml").write_text("kind: prevention\nrecords: [\n  - : :\n", "utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"zz_bad\.yaml: cannot read YAML") as info:
        load_knowledge_base(folder)
    assert "\n" not in str(info.value)

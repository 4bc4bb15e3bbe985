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


BAD_PREVENTION = "kind: prevention\nrecords:\n  - id: {id}\n    title: A bad item\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            BAD_PREVENTION.format(id="bad-item")
            + "    category: load\n    advice: Text.\n    sources: [no-such-source]\n",
            r"bad-item.*sources.*no-such-source",
            id="unknown-source",
        ),
        pytest.param(
            BAD_PREVENTION.format(id="uncited") + "    category: load\n    advice: Text.\n",
            r"zz_bad\.yaml: record uncited: field sources",
            id="no-sources",
        ),
        pytest.param(
            BAD_PREVENTION.format(id="typo")
            + "    category: load\n    advice: Text.\n    sources: [nice-ng59]\n    sourcse: []\n",
            r"record typo: field sourcse",
            id="unknown-key",
        ),
        pytest.param("kind: recipe\nrecords: []\n", "unknown kind 'recipe'", id="unknown-kind"),
        pytest.param(
            "kind: treatment\nrecords:\n  - id: odd-treatment\n    name: Odd\n"
            "    category: advice\n    status: recommended\n    reason: R.\n    summary: S.\n"
            "    sources: [nice-ng59]\n    positions:\n"
            "      - {source: no-such-guideline, status: recommended}\n",
            r"odd-treatment: field positions\[0\]\.source: unknown source",
            id="nested-unknown-source",
        ),
        pytest.param(
            "kind: prevention\nrecords: [\n  - : :\n",
            r"zz_bad\.yaml: cannot read YAML",
            id="invalid-yaml",
        ),
    ],
)
def test_a_bad_record_fails_naming_file_record_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    folder = _copy_kb(tmp_path)
    (folder / "zz_bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message) as info:
        load_knowledge_base(folder)
    assert "\n" not in str(info.value)  # one line a person can read

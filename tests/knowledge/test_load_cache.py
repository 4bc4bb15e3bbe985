"""The validated knowledge-base cache: used when it matches the files, never when stale."""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from pathlib import Path

import pytest

from backstride.errors import KnowledgeBaseError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.load import data_dir, load_cached
from backstride.knowledge.model import KnowledgeBase


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def _only_cache(cache: Path) -> Path:
    files = sorted(cache.glob("knowledge-*.pickle"))
    assert len(files) == 1, files
    return files[0]


def _plant(path: Path, kb: KnowledgeBase, **changes: str) -> None:
    path.write_bytes(pickle.dumps(dataclasses.replace(kb, **changes)))


def test_a_first_load_writes_a_cache_equal_to_the_full_load(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_cached(kb_copy, cache_dir=cache)
    cached = pickle.loads(_only_cache(cache).read_bytes())
    assert cached == first == load_knowledge_base(kb_copy)
    assert first.digest == load_knowledge_base().digest  # the same files as the package


def test_a_second_load_reads_the_cache_instead_of_the_files(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    kb = load_cached(kb_copy, cache_dir=cache)
    _plant(_only_cache(cache), kb, version="from-the-cache")  # same digest, marked
    assert load_cached(kb_copy, cache_dir=cache).version == "from-the-cache"


def test_changing_any_data_file_invalidates_the_cache(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    kb = load_cached(kb_copy, cache_dir=cache)
    old = _only_cache(cache)
    _plant(old, kb, version="stale")
    sources = kb_copy / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    fresh = load_cached(kb_copy, cache_dir=cache)
    assert fresh.version != "stale"
    assert fresh.digest != kb.digest
    assert _only_cache(cache) != old  # a new key; the stale file is removed
    assert not old.exists()


def test_an_invalid_edit_fails_the_load_even_with_an_older_cache(
    kb_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    load_cached(kb_copy, cache_dir=cache)
    (kb_copy / "zz_bad.yaml").write_text(
        "kind: prevention\nrecords:\n  - id: uncited\n    title: Uncited\n"
        "    category: load\n    advice: Text.\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="uncited"):
        load_cached(kb_copy, cache_dir=cache)


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps({"records": 1})])
def test_an_unreadable_or_foreign_cache_falls_back_to_the_full_load(
    kb_copy: Path, tmp_path: Path, content: bytes
) -> None:
    cache = tmp_path / "cache"
    kb = load_cached(kb_copy, cache_dir=cache)
    _only_cache(cache).write_bytes(content)
    assert load_cached(kb_copy, cache_dir=cache) == kb


def test_a_cache_of_other_files_under_this_key_is_not_used(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    kb = load_cached(kb_copy, cache_dir=cache)
    _plant(_only_cache(cache), kb, digest="0" * 64, version="other")
    assert load_cached(kb_copy, cache_dir=cache).version == kb.version


def test_without_write_nothing_is_cached_and_an_unwritable_place_is_no_error(
    kb_copy: Path, tmp_path: Path
) -> None:
    load_cached(kb_copy, cache_dir=tmp_path / "cache", write=False)
    assert not (tmp_path / "cache").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert load_cached(kb_copy, cache_dir=blocker / "cache").records  # mkdir fails: ignored

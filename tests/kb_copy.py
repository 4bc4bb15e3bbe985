"""A copy of the packaged knowledge base with one record changed: proof that an engine reads
the record (change the record, the behaviour follows)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.load import data_dir
from backstride.knowledge.model import KnowledgeBase

Edit = Callable[[dict[str, Any]], None]


def edited(tmp_path: Path, file: str, record_id: str, edit: Edit) -> KnowledgeBase:
    """The packaged knowledge base, copied under `tmp_path`, with one record of `file`
    changed by `edit`, loaded and validated like the real one."""
    folder = tmp_path / "kb"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = folder / file
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(next(r for r in document["records"] if r["id"] == record_id))
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return load_knowledge_base(folder)


def setting(**values: object) -> Edit:
    """An edit that sets top-level fields of a record."""
    return lambda record: record.update(values)

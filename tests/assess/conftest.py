"""Shared helpers for the assessment tests: the knowledge base and the vignette table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.knowledge import KnowledgeBase, load_knowledge_base

VIGNETTES_FILE = Path(__file__).with_name("vignettes.yaml")


def load_vignettes() -> list[dict[str, Any]]:
    """Every vignette of tests/assess/vignettes.yaml (schema documented in the file)."""
    document = yaml.safe_load(VIGNETTES_FILE.read_text(encoding="utf-8"))
    vignettes: list[dict[str, Any]] = document["vignettes"]
    return vignettes


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The packaged knowledge base."""
    return load_knowledge_base()

"""Clinical-rule schemas (red flags, patterns, questionnaires) interpreted by `assess`."""

from __future__ import annotations

from pydantic import BaseModel

RULE_KINDS: dict[str, type[BaseModel]] = {}

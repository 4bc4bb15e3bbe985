"""The registry of record kinds: a data file's `kind` names its schema here."""

from __future__ import annotations

from pydantic import BaseModel

from backstride.knowledge.content import CONTENT_KINDS
from backstride.knowledge.labels import LABEL_KINDS
from backstride.knowledge.model import Source
from backstride.knowledge.rules import RULE_KINDS

KINDS: dict[str, type[BaseModel]] = {"source": Source, **CONTENT_KINDS, **RULE_KINDS, **LABEL_KINDS}

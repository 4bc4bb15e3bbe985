"""The registry of record kinds: a data file's `kind` names its schema here."""

from __future__ import annotations

from pydantic import BaseModel

from backstride.knowledge.analytics_params import ANALYTICS_PARAM_KINDS
from backstride.knowledge.care import CARE_KINDS
from backstride.knowledge.cohort import COHORT_KINDS
from backstride.knowledge.content import CONTENT_KINDS
from backstride.knowledge.labels import LABEL_KINDS
from backstride.knowledge.model import Source
from backstride.knowledge.plan_rules import PLAN_RULE_KINDS
from backstride.knowledge.plan_texts import PLAN_KINDS
from backstride.knowledge.rules import RULE_KINDS
from backstride.knowledge.texts import TEXT_KINDS
from backstride.knowledge.training import TRAINING_KINDS

KINDS: dict[str, type[BaseModel]] = {
    "source": Source,
    **CONTENT_KINDS,
    **RULE_KINDS,
    **COHORT_KINDS,
    **CARE_KINDS,
    **TRAINING_KINDS,
    **ANALYTICS_PARAM_KINDS,
    **PLAN_KINDS,
    **PLAN_RULE_KINDS,
    **LABEL_KINDS,
    **TEXT_KINDS,
}

"""Interpreting the knowledge base's declarative conditions over a case's facts.

Facts are a flat mapping from dotted field names (`pain.intensity`) to values, plus
derived facts (`derived.duration`, `derived.patterns`, `derived.start_back_risk`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from backstride.assess.intake import Case
from backstride.knowledge.rules import Condition

Facts = Mapping[str, Any]

#: Derived facts the assessment computes before the rules that read them.
DERIVED_FIELDS = (
    "derived.duration",
    "derived.patterns",
    "derived.start_back_risk",
    "derived.age_at_onset",
)


def facts_of(case: Case) -> dict[str, Any]:
    """The case as flat dotted facts (tuples stay tuples)."""
    return dict(_flatten(case, ""))


def default_facts() -> dict[str, Any]:
    """Facts of an empty questionnaire: every default, required answers None."""
    facts: dict[str, Any] = {}
    for name, info in Case.model_fields.items():
        section = info.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            for sub, sub_info in section.model_fields.items():
                facts[f"{name}.{sub}"] = None if sub_info.is_required() else sub_info.default
        else:
            facts[name] = None if info.is_required() else info.default
    for name in DERIVED_FIELDS:
        facts[name] = () if name == "derived.patterns" else None
    return facts


def _flatten(model: BaseModel, prefix: str) -> Iterable[tuple[str, Any]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _flatten(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value


def known_fields() -> frozenset[str]:
    """Every dotted field a condition may name."""
    return frozenset(default_facts())


def holds(condition: Condition, facts: Facts, flags: frozenset[str] = frozenset()) -> bool:
    """Whether `condition` is true for these facts, given the red flags raised so far."""
    if condition.field is not None:
        return _field_test(condition, _lookup(facts, condition.field))
    if condition.any_ is not None:
        return any(holds(c, facts, flags) for c in condition.any_)
    if condition.all_ is not None:
        return all(holds(c, facts, flags) for c in condition.all_)
    if condition.not_ is not None:
        return not holds(condition.not_, facts, flags)
    if condition.of is not None and condition.at_least is not None:
        return sum(holds(c, facts, flags) for c in condition.of) >= condition.at_least
    return condition.red_flag in flags


def fields_named(condition: Condition) -> Iterable[str]:
    """Every dotted field a condition reads (for checking the knowledge base)."""
    if condition.field is not None:
        yield condition.field
    for group in (condition.any_, condition.all_, condition.of):
        for child in group or ():
            yield from fields_named(child)
    if condition.not_ is not None:
        yield from fields_named(condition.not_)


def _lookup(facts: Facts, name: str) -> Any:
    try:
        return facts[name]
    except KeyError:
        raise KeyError(f"condition names unknown field {name!r}") from None


def _field_test(c: Condition, value: Any) -> bool:
    if c.equals is not None:
        return value is not None and type(value) is type(c.equals) and value == c.equals
    if c.in_ is not None:
        return value in c.in_
    if c.contains is not None:
        return value is not None and c.contains in value
    if c.contains_any is not None:
        return value is not None and any(item in value for item in c.contains_any)
    if c.not_empty is not None:
        return bool(value)
    if c.absent is not None:
        return value is None
    return _compare(c, value)


def _compare(c: Condition, value: Any) -> bool:
    if value is None:
        return False
    if c.gt is not None:
        return bool(value > c.gt)
    if c.ge is not None:
        return bool(value >= c.ge)
    if c.lt is not None:
        return bool(value < c.lt)
    return c.le is not None and bool(value <= c.le)

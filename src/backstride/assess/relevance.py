"""Which questions can still change the answer: skip logic read from the rules themselves.

Every rule of the knowledge base is a conjunction of conditions over case fields (a red
flag's trigger, a weak flag, a referral rule, a pattern feature with its pattern's
`requires` and `excluded_by`). Given the answers so far, each rule is true, false or still
open (three-valued logic, unanswered fields unknown). A question is worth asking only
when some still-open rule reads one of the fields it fills; a field no rule reads is
never asked. Questions that only feed the plan or a questionnaire are not judged here.

References: nice-ng59
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backstride.assess.conditions import default_facts, fields_named, holds
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import Condition, Pattern, RedFlag, TriageRule

Rule = tuple[Condition, ...]  # all must hold
#: Derived facts and the case fields they are computed from (None: known only at the end).
_DERIVED: dict[str, frozenset[str] | None] = {
    "derived.duration": frozenset({"pain.started_days_ago"}),
    "derived.age_at_onset": frozenset({"age", "pain.started_days_ago"}),
    "derived.patterns": None,
    "derived.start_back_risk": None,
}


def open_rules_read(
    fields: Iterable[str],
    answers: Mapping[str, Any],
    unknown: frozenset[str],
    kb: KnowledgeBase,
    *,
    red_flags_only: bool = False,
    settled: frozenset[str] = frozenset(),
) -> bool:
    """True when a rule that is still open (a warning sign's, if asked) reads `fields`.

    `settled` names triggers whose own question was answered: that answer decides them.
    """
    wanted = set(fields)
    facts = with_derived({**default_facts(), **answers}, kb)
    state = _State(facts, unknown, _flag_triggers(kb))
    rules = _rules(kb)[: _red_flag_rule_count(kb)] if red_flags_only else _rules(kb)
    return any(
        named & wanted and rule_id not in settled and _open_fields(rule, state) & wanted
        for rule, named, rule_id in rules
    )


def _open_fields(rule: Rule, state: _State) -> set[str]:
    """The unknown fields the rule's value still hangs on (none once it is decided)."""
    if _decided(rule, state) is not None:
        return set()
    return {f for c in rule for f in _hanging(c, state)}


def _hanging(c: Condition, state: _State) -> set[str]:
    """Unknown fields an undecided condition depends on: decided parts depend on none."""
    if _three(c, state) is not None:
        return set()
    if c.field is not None:
        return {c.field} if c.field in state.unknown else set(_DERIVED.get(c.field) or ())
    if c.red_flag is not None:
        return {f for t in state.flags.get(c.red_flag, ()) for f in _hanging(t, state)}
    children = (c.not_,) if c.not_ is not None else (c.any_ or c.all_ or c.of or ())
    return {f for child in children for f in _hanging(child, state)}


def with_derived(facts: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """The facts with the derived values computable from answers (duration, onset age)."""
    from backstride.assess.triage import age_at_onset, classify_duration

    started = facts.get("pain.started_days_ago")
    facts["derived.duration"] = classify_duration(started, kb)[0]
    facts["derived.age_at_onset"] = age_at_onset(facts.get("age"), started)
    return facts


def _red_flag_rule_count(kb: KnowledgeBase) -> int:
    """The red flags' triggers come first among the rules; this many of them."""
    return sum(len(flag.triggers) for flag in kb.of(RedFlag))


def is_read_by_rules(fields: Iterable[str], kb: KnowledgeBase) -> bool:
    """True when any rule of the knowledge base reads one of `fields`."""
    wanted = set(fields)
    return any(named & wanted for _rule, named, _id in _rules(kb))


_RULES: dict[str, tuple[tuple[Rule, frozenset[str], str], ...]] = {}


def _rules(kb: KnowledgeBase) -> tuple[tuple[Rule, frozenset[str], str], ...]:
    """Every rule with the fields it reads (worked out once per knowledge base)."""
    if kb.digest not in _RULES:
        _RULES[kb.digest] = _collect(kb)
    return _RULES[kb.digest]


def _collect(kb: KnowledgeBase) -> tuple[tuple[Rule, frozenset[str], str], ...]:
    rules: list[tuple[Rule, str]] = []
    flags = kb.of(RedFlag)
    rules += [((t.when,), t.id) for flag in flags for t in flag.triggers]  # see red_flags_only
    rules += [((t.when,), t.id) for flag in flags for t in flag.weak_triggers]
    rules += [((r.when,), r.id) for r in kb.of(TriageRule) if r.when is not None]
    for pattern in kb.of(Pattern):
        frame: Rule = () if pattern.requires is None else (pattern.requires,)
        if pattern.excluded_by is not None:
            frame += (Condition.model_validate({"not": pattern.excluded_by}),)
        rules += [((*frame, feature.when), feature.id) for feature in pattern.features]
    return tuple(
        (rule, frozenset(f for c in rule for f in fields_named(c)), rule_id)
        for rule, rule_id in rules
    )


@dataclass(frozen=True)
class _State:
    """What is known: the facts, the fields still unknown, and every flag's triggers."""

    facts: Mapping[str, Any]
    unknown: frozenset[str]
    flags: Mapping[str, tuple[Condition, ...]]


def _flag_triggers(kb: KnowledgeBase) -> dict[str, tuple[Condition, ...]]:
    return {flag.id: tuple(t.when for t in flag.triggers) for flag in kb.of(RedFlag)}


def _decided(rule: Rule, state: _State) -> bool | None:
    results = [_three(c, state) for c in rule]
    if False in results:
        return False
    return None if None in results else True


def _three(c: Condition, state: _State) -> bool | None:
    """The condition's value, or None while it depends on an unknown field."""
    if c.field is not None:
        return None if _is_unknown(c.field, state.unknown) else holds(c, state.facts)
    if c.red_flag is not None:  # raised when any of its triggers is
        return _any([_three(t, state) for t in state.flags.get(c.red_flag, ())])
    if c.not_ is not None:
        inner = _three(c.not_, state)
        return None if inner is None else not inner
    parts = [_three(p, state) for p in (c.any_ or c.all_ or c.of or ())]
    if c.any_ is not None:
        return _any(parts)
    if c.all_ is not None:
        return False if False in parts else None if None in parts else True
    need = c.at_least or 0
    if parts.count(True) >= need:
        return True
    return False if parts.count(True) + parts.count(None) < need else None


def _any(parts: list[bool | None]) -> bool | None:
    return True if True in parts else None if None in parts else False


def _is_unknown(field: str, unknown: frozenset[str]) -> bool:
    if field in _DERIVED:
        inputs = _DERIVED[field]
        return inputs is None or bool(inputs & unknown)
    return field in unknown

"""Traceability: which tests show each knowledge-base record producing an engine output.

A record is covered by behaviour only when a test runs an engine (assessment, plan,
progress, analytics) and calls `assert_produced(output, "<id>")`, which fails unless the
id is among the output's provenance (`records`, `rule`, reasons' rules, exercise and
education ids; see `produced_ids`), or `assert_labelled(text, served, "<label id>")` for
plain-word labels (`assert_said` for a screen's sentences), which fails unless the lookup
served the record while the text was rendered and the text shows its words. Tests
declare what they exercise with `@pytest.mark.covers(...)` too; a record named only by
covers marks (or by tests that just re-read its text) is reported as covered by text
checks only.

Evidence comes from a run log (`BACKSTRIDE_TRACE_LOG=file pytest` appends one
`{"record", "test"}` line per record of a passing check; logs of several runs can be
read together), or, without a log, from the literal ids of those calls found statically
with `ast`.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from backstride.errors import InputError
from backstride.knowledge.kinds import KINDS
from backstride.knowledge.model import KnowledgeBase, Record

#: Separators allowed between a record id and a nested id in a covers mark ("rf.trigger").
NESTED_SEPARATORS = (".", "/", ":")


#: Fields of engine outputs that carry the ids of the records that produced them.
PROVENANCE_FIELDS = frozenset(
    {"records", "rule", "exercise_id", "exercise_ids", "education_id", "red_flags"}
)
#: The helpers a behavioural test calls (found statically when no run log is given).
PRODUCED_HELPERS = frozenset({"assert_produced", "assert_labelled", "assert_said"})
#: The helper for a screen's sentences, which names the screen rather than the record.
SAID_HELPER = "assert_said"


@dataclass(frozen=True)
class TraceRow:
    """One record: kind, sources, tests that showed it in an output, tests only naming it."""

    record_id: str
    kind: str
    sources: tuple[str, ...]
    tests: tuple[str, ...]  # behavioural: an engine output carried the id
    text_only: tuple[str, ...] = ()  # covers marks without an output check


@dataclass(frozen=True)
class Trace:
    """Every record's row, records no behaviour covers, and ids that match no record."""

    rows: tuple[TraceRow, ...]
    uncovered: tuple[str, ...]
    unknown: dict[str, tuple[str, ...]]

    @property
    def text_only(self) -> tuple[str, ...]:
        """Records covered only by text checks (covers marks, no output carried the id)."""
        return tuple(r.record_id for r in self.rows if not r.tests and r.text_only)


def produced_ids(output: object) -> set[str]:
    """Every record id an engine output names in its provenance fields, at any depth."""
    found: set[str] = set()
    stack: list[tuple[object, bool]] = [(output, False)]
    while stack:
        value, provenance = stack.pop()
        if isinstance(value, str):
            if provenance:
                found.add(value)
            continue
        if isinstance(value, dict):
            stack.extend((v, provenance or k in PROVENANCE_FIELDS) for k, v in value.items())
        elif isinstance(value, list | tuple | set | frozenset):
            stack.extend((v, provenance) for v in value)
        elif isinstance(value, BaseModel):
            stack.extend(
                (getattr(value, n), n in PROVENANCE_FIELDS) for n in type(value).model_fields
            )
        elif hasattr(value, "__dataclass_fields__"):
            names = value.__dataclass_fields__
            stack.extend((getattr(value, n), n in PROVENANCE_FIELDS) for n in names)
    return found


def record_of(covered: str, kb: KnowledgeBase) -> str | None:
    """The record an id belongs to: itself, the record holding it, or the longest prefix."""
    return _kb_owners(kb).get(covered) or _prefix_owner(covered, kb)


_owners_cache: dict[int, tuple[KnowledgeBase, dict[str, str]]] = {}


def _kb_owners(kb: KnowledgeBase) -> dict[str, str]:
    """`_owners` of a knowledge base, worked out once per loaded base (tests ask per id)."""
    cached = _owners_cache.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = (kb, _owners(list(kb.records.values())))
        if len(_owners_cache) >= 8:  # a few bases per process at most; keep none alive long
            _owners_cache.clear()
        _owners_cache[id(kb)] = cached
    return cached[1]


def find_produced(tests_dir: Path) -> dict[str, tuple[str, ...]]:
    """Id -> tests that call `assert_produced(..., "<id>")` with it literally (static scan)."""
    found: dict[str, set[str]] = {}
    for path, label in _test_files(tests_dir):
        tree = _parse(path, label)
        for test_id, node in _test_functions(tree.body, prefix=label):
            for call in ast.walk(node):
                for record_id in _produced_ids_of(call):
                    found.setdefault(record_id, set()).add(test_id)
    return {key: tuple(sorted(tests)) for key, tests in sorted(found.items())}


def _produced_ids_of(node: ast.AST) -> Iterator[str]:
    """The literal record ids a helper call names (`assert_said` names a screen's record by
    its screen, the third argument)."""
    if not _is_produced_call(node):
        return
    assert isinstance(node, ast.Call)
    said = _helper_name(node) == SAID_HELPER
    for arg in node.args[2:3] if said else node.args[1:]:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            yield f"text.{arg.value}" if said else arg.value


def read_log(*paths: Path) -> dict[str, tuple[str, ...]]:
    """Id -> tests from run logs of `{"record": id, "test": node id}` lines (several runs,
    such as one per test folder, are merged)."""
    found: dict[str, set[str]] = {}
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(f"--log: cannot read {path}: {exc.strerror or exc}") from exc
        for number, line in enumerate(lines, start=1):
            try:
                entry = json.loads(line)
                found.setdefault(str(entry["record"]), set()).add(str(entry["test"]))
            except (ValueError, KeyError, TypeError) as exc:
                message = f"--log: {path.name} line {number}: expected {{record, test}} JSON"
                raise InputError(message) from exc
    return {key: tuple(sorted(tests)) for key, tests in sorted(found.items())}


def _is_produced_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _helper_name(node) in PRODUCED_HELPERS


def _helper_name(call: ast.Call) -> str:
    func = call.func
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )


def kind_name(record: BaseModel) -> str:
    """The registry name (`exercise`, `red_flag`, ...) of a record's schema."""
    for name, schema in KINDS.items():
        if type(record) is schema:
            return name
    return type(record).__name__


def _test_files(tests_dir: Path) -> Iterator[tuple[Path, str]]:
    if not tests_dir.is_dir():
        raise InputError(f"--tests: expected a directory of tests, got {tests_dir}")
    for path in sorted(tests_dir.rglob("*.py")):
        if path.name.startswith("test_") or path.name.endswith("_test.py"):
            yield path, path.relative_to(tests_dir.parent).as_posix()


def find_covers(tests_dir: Path) -> dict[str, tuple[str, ...]]:
    """Covered id -> sorted test ids (`path::Class::test`) for every test file under a folder."""
    found: dict[str, set[str]] = {}
    for path, label in _test_files(tests_dir):
        for test_id, ids in _covers_in_module(path, label):
            for covered in ids:
                found.setdefault(covered, set()).add(test_id)
    return {key: tuple(sorted(tests)) for key, tests in sorted(found.items())}


def build_trace(
    kb: KnowledgeBase,
    covers: dict[str, tuple[str, ...]],
    produced: dict[str, tuple[str, ...]] | None = None,
) -> Trace:
    """Join the records with the tests that showed them in an output (`produced`) and the
    tests that only name them (`covers`)."""
    named, unknown = _by_record(kb, covers)
    shown, unknown_shown = _by_record(kb, produced or {})
    rows = tuple(
        TraceRow(
            record.id,
            kind_name(record),
            record.sources,
            tuple(sorted(shown[record.id])),
            tuple(sorted(named[record.id] - shown[record.id])),
        )
        for record in sorted(kb.records.values(), key=lambda r: (kind_name(r), r.id))
    )
    uncovered = tuple(row.record_id for row in rows if not row.tests)
    return Trace(rows=rows, uncovered=uncovered, unknown={**unknown, **unknown_shown})


def _by_record(
    kb: KnowledgeBase, ids: dict[str, tuple[str, ...]]
) -> tuple[dict[str, set[str]], dict[str, tuple[str, ...]]]:
    owners = _kb_owners(kb)
    by_record: dict[str, set[str]] = {record_id: set() for record_id in kb.records}
    unknown: dict[str, tuple[str, ...]] = {}
    for covered, tests in ids.items():
        owner = owners.get(covered) or _prefix_owner(covered, kb)
        if owner is None:
            unknown[covered] = tests
        else:
            by_record[owner].update(tests)
    return by_record, unknown


def _owners(records: list[Record]) -> dict[str, str]:
    """Every id (a record's and its nested elements') -> the id of the record holding it."""
    owners: dict[str, str] = {}
    for record in records:
        for nested in _nested_ids(record):
            owners.setdefault(nested, record.id)
    for record in records:
        owners[record.id] = record.id
    return owners


def _nested_ids(value: object) -> Iterator[str]:
    """Ids of sub-models (triggers, features, items) inside a record, depth first."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            child = getattr(value, name)
            if isinstance(child, BaseModel):
                yield from _ids_of(child)
            elif isinstance(child, (list, tuple)):
                for item in child:
                    if isinstance(item, BaseModel):
                        yield from _ids_of(item)


def _ids_of(model: BaseModel) -> Iterator[str]:
    nested_id = getattr(model, "id", None)
    if isinstance(nested_id, str):
        yield nested_id
    yield from _nested_ids(model)


def _prefix_owner(covered: str, kb: KnowledgeBase) -> str | None:
    """The record whose id is the longest prefix of `covered` ending at a separator."""
    cuts = [i for i, char in enumerate(covered) if char in NESTED_SEPARATORS]
    for cut in reversed(cuts):
        if covered[:cut] in kb.records:
            return covered[:cut]
    return None


def _parse(path: Path, label: str) -> ast.Module:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{label}: cannot parse test file: {exc}") from exc


def _test_functions(
    body: list[ast.stmt], *, prefix: str
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            yield from _test_functions(node.body, prefix=f"{prefix}::{node.name}")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            yield f"{prefix}::{node.name}", node


def _covers_in_module(path: Path, label: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(test id, covered ids) for each test function of one file."""
    tree = _parse(path, label)
    module_ids = _pytestmark_ids(tree.body)
    yield from _tests_in(tree.body, prefix=label, inherited=module_ids)


def _tests_in(
    body: list[ast.stmt], *, prefix: str, inherited: tuple[str, ...]
) -> Iterator[tuple[str, tuple[str, ...]]]:
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            class_ids = inherited + _decorator_ids(node) + _pytestmark_ids(node.body)
            yield from _tests_in(node.body, prefix=f"{prefix}::{node.name}", inherited=class_ids)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
            "test"
        ):
            ids = _unique(inherited + _decorator_ids(node))
            if ids:
                yield f"{prefix}::{node.name}", ids


def _decorator_ids(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[str, ...]:
    return tuple(covered for decorator in node.decorator_list for covered in _marks_in(decorator))


def _pytestmark_ids(body: list[ast.stmt]) -> tuple[str, ...]:
    ids: list[str] = []
    for node in body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        ):
            ids.extend(_marks_in(node.value))
    return tuple(ids)


def _marks_in(expression: ast.expr) -> Iterator[str]:
    """String ids of every `*.mark.covers(...)` call anywhere inside an expression.

    Arguments are string literals, or names bound by a comprehension over literal strings
    (`[pytest.param(n, marks=pytest.mark.covers(n)) for n in ("a", "b")]`).
    """
    bindings = _comprehension_bindings(expression)
    for node in ast.walk(expression):
        if isinstance(node, ast.Call) and _is_covers(node.func):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield arg.value
                elif isinstance(arg, ast.Name):
                    yield from bindings.get(arg.id, ())


def _comprehension_bindings(expression: ast.expr) -> dict[str, list[str]]:
    """Loop variable -> the literal strings it takes, for comprehensions over literals."""
    bindings: dict[str, list[str]] = {}
    for node in ast.walk(expression):
        if not (
            isinstance(node, ast.comprehension) and isinstance(node.iter, ast.List | ast.Tuple)
        ):
            continue
        for item in node.iter.elts:
            for name, value in _bind(node.target, item):
                bindings.setdefault(name, []).append(value)
    return bindings


def _bind(target: ast.expr, item: ast.expr) -> Iterator[tuple[str, str]]:
    if isinstance(target, ast.Name):
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            yield target.id, item.value
    elif isinstance(target, ast.Tuple) and isinstance(item, ast.Tuple | ast.List):
        for sub_target, sub_item in zip(target.elts, item.elts, strict=False):
            yield from _bind(sub_target, sub_item)


def _is_covers(func: ast.expr) -> bool:
    """`pytest.mark.covers` or `mark.covers` (a bare `covers` name is not a mark)."""
    if not (isinstance(func, ast.Attribute) and func.attr == "covers"):
        return False
    owner = func.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (
        isinstance(owner, ast.Name) and owner.id == "mark"
    )


def _unique(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))

"""Reading a case file's text (YAML or JSON) into a `Case`, strictly, with one-line errors.

Values are checked with pydantic's strict JSON rules, so "38" is not an age, "yes" is not
true and 5.5 is not an intensity. Every error names the dotted field and what was expected,
e.g. `pain.intensity: must be an integer 0–10, got 14`.
"""

from __future__ import annotations

import json
import math
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from backstride.assess.intake import Case
from backstride.errors import InputError

CaseFormat = Literal["yaml", "json"]


def parse_case_text(text: str, *, fmt: CaseFormat, name: str) -> Case:
    """The case in `text` (YAML or JSON); `name` labels the input in error messages."""
    data = _load_json(text, name) if fmt == "json" else _load_yaml(text, name)
    return case_from_data(data)


def case_from_data(data: Any) -> Case:
    """Validate parsed JSON-compatible data strictly into a `Case`."""
    if not isinstance(data, dict):
        raise InputError("case file: expected a mapping of fields (age, pain, ...) at the top")
    bad = _unsupported_value(data, ())
    if bad is not None:
        where, value = bad
        raise InputError(f"{_dotted(where)}: unsupported value {value} (quote text, use numbers)")
    payload = json.dumps(data, allow_nan=False)
    try:
        return Case.model_validate_json(payload, strict=True)
    except ValidationError as exc:
        raise InputError(describe_error(exc.errors(include_url=False)[0])) from None


def _unsupported_value(
    data: Any, loc: tuple[int | str, ...]
) -> tuple[tuple[int | str, ...], Any] | None:
    """The first value JSON cannot carry (YAML dates, NaN, infinity), with its location."""
    if isinstance(data, dict):
        for key, value in data.items():
            found = _unsupported_value(value, (*loc, str(key)))
            if found is not None:
                return found
        return None
    if isinstance(data, list):
        for index, value in enumerate(data):
            found = _unsupported_value(value, (*loc, index))
            if found is not None:
                return found
        return None
    if isinstance(data, float) and not math.isfinite(data):
        return loc, data
    if data is None or isinstance(data, str | int | float | bool):
        return None
    return loc, data


def _load_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def _load_yaml(text: str, name: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(f"{name}: invalid YAML{where}: {problem}") from None


def describe_error(error: ErrorDetails) -> str:
    """One line naming the dotted field, what was expected and what was given."""
    loc = error["loc"]
    kind = error["type"]
    if loc and loc[0] == "start_back" and kind in {"missing", "too_short", "too_long"}:
        return f"start_back: must be {expectation(loc[:1])} (wrong number of answers)"
    path = _dotted(loc)
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(loc[:-1]))
        return f"{path}: unknown key (expected one of: {allowed})"
    expected = expectation(loc)
    if kind == "missing":
        return f"{path}: required, must be {expected}"
    if kind == "value_error":
        return f"{path}: {error['msg'].removeprefix('Value error, ')}"
    return f"{path}: must be {expected}, got {_shown(error['input'])}"


def _dotted(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "case file"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    annotation = _annotation_at(loc)
    model = _model_in(annotation)
    return list(model.model_fields) if model is not None else []


def expectation(loc: tuple[int | str, ...]) -> str:
    """What the case model expects at `loc`, in words ("an integer 0–10")."""
    if loc and loc[0] == "start_back":
        return (
            "a list of 8 true/false answers then one of: "
            "not_at_all, slightly, moderately, very_much, extremely"
        )
    return _describe(_annotation_at(loc))


def _annotation_at(loc: tuple[int | str, ...]) -> Any:
    annotation: Any = Case
    for part in loc:
        model = _model_in(annotation)
        if isinstance(part, str) and model is not None and part in model.model_fields:
            info = model.model_fields[part]
            annotation = (
                typing.Annotated[(info.annotation, *info.metadata)]
                if info.metadata
                else info.annotation
            )
        elif isinstance(part, int):
            annotation = _item_type(annotation)
    return annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for arg in (annotation, *_union_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _union_args(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return tuple(a for a in typing.get_args(annotation) if a is not type(None))
    return ()


def _item_type(annotation: Any) -> Any:
    inner = _union_args(annotation)
    annotation = inner[0] if inner else annotation
    args = typing.get_args(annotation)
    return args[0] if args else Any


def _describe(annotation: Any) -> str:
    inner = _union_args(annotation)
    if inner:
        return _describe(inner[0])
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return _describe(base) + _range(meta)
    if origin is Literal:
        return "one of: " + ", ".join(str(a) for a in typing.get_args(annotation))
    if origin is tuple:
        return "a list of values, each " + _describe(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a mapping with keys: " + ", ".join(annotation.model_fields)
    return {bool: "true or false", int: "an integer", float: "a number"}.get(annotation, "valid")


def _range(metadata: list[Any]) -> str:
    low = high = None
    for item in metadata:
        for constraint in getattr(item, "metadata", [item]):
            low = getattr(constraint, "ge", low)
            high = getattr(constraint, "le", high)
    if low is not None and high is not None:
        return f" {low:g}–{high:g}"
    if low is not None:
        return f" ≥ {low:g}"
    return ""

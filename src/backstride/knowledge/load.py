"""Load, validate and digest the knowledge base from `knowledge/data/*.yaml`.

Each data file is a mapping `{kind: <kind>, records: [...]}`; `meta.yaml` holds the version.
A record that fails its schema, or cites a source id that does not exist, stops the load
with a message naming the file, the record and the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from backstride.errors import KnowledgeBaseError
from backstride.knowledge.kinds import KINDS
from backstride.knowledge.model import KnowledgeBase, Record, Source

DATA_PACKAGE = "backstride.knowledge.data"
#: libyaml's C parser when available (several times faster), else the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_dir() -> Path:
    """The directory holding the packaged knowledge-base files."""
    return Path(str(resources.files(DATA_PACKAGE)))


def load_knowledge_base(directory: Path | None = None) -> KnowledgeBase:
    """The knowledge base in `directory`, or the packaged one (parsed once per process)."""
    if directory is None:
        return _packaged()
    return _load(directory)


@cache
def _packaged() -> KnowledgeBase:
    return _load(data_dir())


def _load(folder: Path) -> KnowledgeBase:
    """Parse every data file, validate it and return the knowledge base."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise KnowledgeBaseError(f"no knowledge-base files in {folder}")
    version = _read_version(folder / "meta.yaml")
    sources: dict[str, Source] = {}
    records: dict[str, Record] = {}
    for path in files:
        if path.name == "meta.yaml":
            continue
        for model in _parse_file(path):
            if model.id in sources or model.id in records:
                raise KnowledgeBaseError(f"{path.name}: record {model.id}: duplicate id")
            if isinstance(model, Source):
                sources[model.id] = model
            else:
                records[model.id] = model
    _check_references(sources, records)
    return KnowledgeBase(version=version, digest=_digest(files), sources=sources, records=records)


def _read_version(meta: Path) -> str:
    document = _read_yaml(meta)
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version:
        raise KnowledgeBaseError(f"{meta.name}: field version: expected a non-empty string")
    return version


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        detail = " ".join(str(exc).split())  # YAML errors span lines; users get one
        raise KnowledgeBaseError(f"{path.name}: cannot read YAML: {detail}") from exc


def _parse_file(path: Path) -> Iterable[Source | Record]:
    document = _read_yaml(path)
    if not isinstance(document, dict) or set(document) != {"kind", "records"}:
        raise KnowledgeBaseError(f"{path.name}: expected a mapping with keys kind and records")
    kind = document["kind"]
    schema = KINDS.get(kind)
    if schema is None:
        raise KnowledgeBaseError(f"{path.name}: unknown kind {kind!r} (known: {sorted(KINDS)})")
    raw_records = document["records"]
    if not isinstance(raw_records, list):
        raise KnowledgeBaseError(f"{path.name}: field records: expected a list")
    for index, raw in enumerate(raw_records):
        yield _validate(path, schema, index, raw)


def _validate(path: Path, schema: type[BaseModel], index: int, raw: Any) -> Source | Record:
    label = raw.get("id") if isinstance(raw, dict) and raw.get("id") else f"#{index + 1}"
    try:
        model = schema.model_validate(raw)
        assert isinstance(model, Source | Record), "every kind is a Source or Record schema"
        return model
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(record)"
        raise KnowledgeBaseError(
            f"{path.name}: record {label}: field {where}: {first['msg']}"
        ) from exc


def _check_references(sources: dict[str, Source], records: dict[str, Record]) -> None:
    for record in records.values():
        for field_name, source_id in _source_references(record):
            if source_id not in sources:
                raise KnowledgeBaseError(
                    f"record {record.id}: field {field_name}: unknown source id {source_id!r}"
                )
        for field_name, ref_id in _marked_references(record, "refers_to_records", ""):
            if ref_id not in records:
                raise KnowledgeBaseError(
                    f"record {record.id}: field {field_name}: unknown record id {ref_id!r}"
                )


def _source_references(record: Record) -> Iterable[tuple[str, str]]:
    """Every cited source id: the record's `sources` plus fields marked `refers_to_sources`."""
    for source_id in record.sources:
        yield "sources", source_id
    yield from _marked_references(record, "refers_to_sources", "")


def _marked_references(model: BaseModel, marker: str, prefix: str) -> Iterable[tuple[str, str]]:
    """(dotted field, id) for fields whose `json_schema_extra` sets `marker`, recursively."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get(marker):
            for ref_id in value if isinstance(value, (list, tuple)) else [value]:
                if ref_id is not None:
                    yield path, str(ref_id)
        items = value if isinstance(value, (list, tuple)) else [value]
        for index, item in enumerate(items):
            if isinstance(item, BaseModel):
                label = f"{path}[{index}]." if isinstance(value, (list, tuple)) else f"{path}."
                yield from _marked_references(item, marker, label)


def _digest(files: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in files:
        sha.update(path.name.encode())
        sha.update(b"\0")
        sha.update(path.read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()

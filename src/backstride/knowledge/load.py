"""Load, validate and digest the knowledge base from `knowledge/data/*.yaml`.

Each data file is a mapping `{kind: <kind>, records: [...]}`; `meta.yaml` holds the version.
A record that fails its schema, or cites a source id that does not exist, stops the load
with a message naming the file, the record and the field.

The packaged knowledge base, once validated, is kept as a pickle beside the package's
bytecode (under `sys.pycache_prefix` when Python is told to put bytecode elsewhere), keyed
by a hash of every data file and of the schema code: a start-up then unpickles it instead
of parsing and validating the YAML again. Any change to a data file or to the schemas
gives a new key, so a stale cache is never read; a cache that cannot be read or written
is ignored and the full load runs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from backstride.errors import KnowledgeBaseError
from backstride.knowledge.kinds import KINDS
from backstride.knowledge.model import KnowledgeBase, Record, Source

DATA_PACKAGE = "backstride.knowledge.data"


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
    folder = data_dir()
    # Like bytecode: written unless Python is told not to (PYTHONDONTWRITEBYTECODE).
    return load_cached(folder, cache_dir=_bytecode_dir(folder), write=not sys.dont_write_bytecode)


def load_cached(folder: Path, *, cache_dir: Path | None, write: bool = True) -> KnowledgeBase:
    """The knowledge base in `folder`, from `cache_dir` when a cache of these exact files
    and schemas is there, else loaded, validated and (if `write`) cached there."""
    files = _data_files(folder)
    digest = _digest(files)
    if cache_dir is None:
        return _load(folder, files, digest)
    path = cache_dir / f"knowledge-{_cache_key(digest)}.pickle"
    cached = _read_cache(path, digest)
    if cached is not None:
        return cached
    kb = _load(folder, files, digest)
    if write:
        _write_cache(path, kb)
    return kb


def _bytecode_dir(folder: Path) -> Path:
    """Where Python keeps the bytecode of `folder`'s package: the KB cache goes beside it."""
    if sys.pycache_prefix:
        return Path(sys.pycache_prefix).joinpath(*folder.resolve().parts[1:])
    return folder / "__pycache__"


def _cache_key(digest: str) -> str:
    """The data files' digest combined with the code that validated them."""
    import pydantic

    sha = hashlib.sha256(digest.encode())
    sha.update(f"{sys.version}\0{pydantic.VERSION}\0".encode())
    package = Path(__file__).resolve().parent
    for code in (*sorted(package.glob("*.py")), *sorted(package.parent.glob("domain/*.py"))):
        sha.update(code.name.encode())
        sha.update(code.read_bytes())
    return sha.hexdigest()[:32]


def _read_cache(path: Path, digest: str) -> KnowledgeBase | None:
    """The cached knowledge base, or None when absent, unreadable or not these files'."""
    try:
        with path.open("rb") as handle:
            kb = pickle.load(handle)
    except Exception:  # missing, truncated or written by other code: load from the files
        return None
    return kb if isinstance(kb, KnowledgeBase) and kb.digest == digest else None


def _write_cache(path: Path, kb: KnowledgeBase) -> None:
    """Write the cache atomically and drop older ones; a read-only place is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, path)
        for old in path.parent.glob("knowledge-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return


def _data_files(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise KnowledgeBaseError(f"no knowledge-base files in {folder}")
    return files


def _load(
    folder: Path, files: list[Path] | None = None, digest: str | None = None
) -> KnowledgeBase:
    """Parse every data file, validate it and return the knowledge base."""
    files = files or _data_files(folder)
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
    digest = digest or _digest(files)
    return KnowledgeBase(version=version, digest=digest, sources=sources, records=records)


def _read_version(meta: Path) -> str:
    document = _read_yaml(meta)
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version:
        raise KnowledgeBaseError(f"{meta.name}: field version: expected a non-empty string")
    return version


def _read_yaml(path: Path) -> Any:
    import yaml  # only when the files are parsed: a start-up from the cache needs no YAML

    # libyaml's C parser when available (several times faster), else the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
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
        for field_name, ref_id, extra in _marked_references(record, "refers_to_records", ""):
            if ref_id not in records:
                raise KnowledgeBaseError(
                    f"record {record.id}: field {field_name}: unknown record id {ref_id!r}"
                )
            kind = extra.get("record_kind")
            if isinstance(kind, str) and type(records[ref_id]) is not KINDS[kind]:
                raise KnowledgeBaseError(
                    f"record {record.id}: field {field_name}: {ref_id!r} is not of kind {kind}"
                )


def _source_references(record: Record) -> Iterable[tuple[str, str]]:
    """Every cited source id: the record's `sources` plus fields marked `refers_to_sources`."""
    for source_id in record.sources:
        yield "sources", source_id
    for path, source_id, _ in _marked_references(record, "refers_to_sources", ""):
        yield path, source_id


def _marked_references(
    model: BaseModel, marker: str, prefix: str
) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """(dotted field, id, the field's `json_schema_extra`) for fields whose extra sets
    `marker`, recursively."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get(marker):
            for ref_id in value if isinstance(value, (list, tuple)) else [value]:
                if ref_id is not None:
                    yield path, str(ref_id), extra
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

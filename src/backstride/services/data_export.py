"""Export all of the runner's data (JSON or a FHIR R4 Bundle), restore it, or forget it.

The JSON export is a dump of every table the database holds (read from the database
itself, so tables other modules add are included) plus the sample files beside it: the
round trip export -> forget -> import-data loses nothing.
"""

from __future__ import annotations

import base64
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, func, insert, select, text, types
from sqlalchemy.exc import StatementError

from backstride import __version__
from backstride.config import Settings
from backstride.errors import InputError
from backstride.report import fhir
from backstride.services import cache
from backstride.services.store import local_runner, open_store, release_store
from backstride.services.versions import kept_dir
from backstride.storage import tracking as repo
from backstride.storage.db import session_scope

FORMAT_NAME = "backstride-export"
FORMAT_VERSION = 1
SKIP_TABLES = frozenset({"alembic_version"})
#: Rows made by merely looking (the local runner and the owner account the CLI acts as).
BARE_TABLES = ("runner", "users")


@dataclass(frozen=True, slots=True)
class RestoreCounts:
    """How many rows per table and how many files an import restored."""

    rows: dict[str, int]
    files: int


def export_data(settings: Settings, *, fmt: str, now: datetime) -> str:
    """All data as JSON text (`fmt="json"`) or as a FHIR R4 Bundle (`fmt="fhir"`)."""
    if fmt not in ("json", "fhir"):
        raise InputError(f"--format must be json or fhir, got {fmt!r}")
    engine = open_store(settings)
    try:
        _refuse_shared_store(engine, "export")
        if fmt == "json":
            document = export_document(engine, settings.samples_dir, now=now)
            return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        return json.dumps(_fhir_bundle(engine, now=now), ensure_ascii=False, indent=1) + "\n"
    finally:
        release_store(engine)


def export_document(engine: Engine, samples_dir: Path, *, now: datetime) -> dict[str, Any]:
    """The JSON export as a mapping: every table's rows and every sample file."""
    with engine.connect() as conn:
        tables = _tables(conn)
        dump = {
            t.name: [
                _row_json(t, row._mapping)
                for row in conn.execute(select(t).order_by(*t.primary_key.columns))
            ]
            for t in tables
        }
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "backstride_version": __version__,
        "exported_at": now.astimezone(UTC).isoformat(),
        "tables": dump,
        "files": _files_json(samples_dir),
    }


def import_data(settings: Settings, path: Path) -> RestoreCounts:
    """Restore a JSON export into an empty store (all or nothing)."""
    document = _read_export(path)
    files = _decoded_files(settings.samples_dir, document.get("files") or {})  # check first
    engine = open_store(settings)
    try:
        counts = _restore_rows(engine, document)
        cache.rows_replaced(engine)  # written without a Session: tell every worker's cache
    except (StatementError, ValueError, TypeError) as exc:  # rolled back: nothing restored
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise InputError(f"import-data: the export does not fit this store: {detail}") from exc
    finally:
        release_store(engine)
    for target, payload in files.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
    return RestoreCounts(counts, len(files))


def _restore_rows(engine: Engine, document: dict[str, Any]) -> dict[str, int]:
    with engine.begin() as conn:
        tables = {t.name: t for t in _tables(conn)}
        _require_empty(conn, list(tables.values()))
        unknown = sorted(set(document["tables"]) - set(tables))
        if unknown:
            raise InputError(f"import-data: the export has tables this version lacks: {unknown}")
        counts = {}
        for table in tables.values():  # sorted by foreign-key dependency
            rows = [_row_value(table, raw) for raw in document["tables"].get(table.name, [])]
            if rows:
                conn.execute(insert(table), rows)
            counts[table.name] = len(rows)
            _reset_sequence(conn, table)
    return counts


def forget(settings: Settings) -> RestoreCounts:
    """Delete every row of every table and every sample file; the empty schema stays."""
    engine = open_store(settings)
    try:
        _refuse_shared_store(engine, "forget")
        counts = _delete_rows(engine)
        cache.rows_replaced(engine)
    finally:
        release_store(engine)
    shutil.rmtree(kept_dir(settings.home), ignore_errors=True)  # results kept from that data
    removed = 0
    if settings.samples_dir.is_dir():
        for file in sorted(settings.samples_dir.rglob("*")):
            if file.is_file():
                file.unlink()
                removed += 1
    return RestoreCounts(counts, removed)


def _refuse_shared_store(engine: Engine, command: str) -> None:
    """Export and forget work on the whole store, so they refuse a store of several people."""
    with engine.connect() as conn:
        accounts = conn.execute(text("SELECT count(*) FROM users")).scalar_one()
    if accounts > 1:
        raise InputError(
            f"{command}: this database holds {accounts} accounts and `{command}` works on "
            "all of it; export or delete one account from its settings page in the web app, "
            "or delete an account with `backstride user delete EMAIL`"
        )


def _delete_rows(engine: Engine) -> dict[str, int]:
    with engine.begin() as conn:
        tables = _tables(conn)
        counts = {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in tables
        }
        for table in reversed(tables):
            conn.execute(table.delete())
    return counts


def _require_empty(conn: Connection, tables: list[Table]) -> None:
    """Refuse to merge into data; a bare runner and owner (made by merely looking) are cleared."""
    for table in tables:
        if (
            table.name not in BARE_TABLES
            and conn.execute(select(func.count()).select_from(table)).scalar()
        ):
            raise InputError(
                "import-data: the store already holds data; run `backstride forget` first"
            )
    for table in reversed(tables):
        if table.name in BARE_TABLES:
            conn.execute(table.delete())


def _tables(conn: Connection) -> list[Table]:
    """Every data table in the database, parents before children."""
    metadata = MetaData()
    metadata.reflect(bind=conn)
    return [t for t in metadata.sorted_tables if t.name not in SKIP_TABLES]


def _row_json(table: Table, row: Any) -> dict[str, Any]:
    return {name: _value_json(value) for name, value in row.items()}


def _value_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return float(value)
    return value


def _row_value(table: Table, raw: dict[str, Any]) -> dict[str, Any]:
    unknown = set(raw) - set(table.columns.keys())
    if unknown:
        raise InputError(f"import-data: table {table.name}: unknown columns {sorted(unknown)}")
    return {name: _column_value(table.columns[name].type, value) for name, value in raw.items()}


def _column_value(column_type: types.TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, types.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, types.Date):
        return date.fromisoformat(value)
    if isinstance(value, dict) and set(value) == {"$base64"}:
        return base64.b64decode(value["$base64"])
    return value


def _reset_sequence(conn: Connection, table: Table) -> None:
    """PostgreSQL: move an id sequence past the restored ids (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql" or "id" not in table.columns:
        return
    sequence = conn.execute(
        text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
    ).scalar()
    if sequence:
        conn.execute(
            text(
                f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
            ),
            {"s": sequence},
        )


def _files_json(samples_dir: Path) -> dict[str, str]:
    if not samples_dir.is_dir():
        return {}
    return {
        file.relative_to(samples_dir).as_posix(): base64.b64encode(file.read_bytes()).decode(
            "ascii"
        )
        for file in sorted(samples_dir.rglob("*"))
        if file.is_file()
    }


def _decoded_files(samples_dir: Path, files: dict[str, str]) -> dict[Path, bytes]:
    """Target path -> bytes for every sample file, checked before anything is written."""
    root = samples_dir.resolve()
    out: dict[Path, bytes] = {}
    for name, payload in files.items():
        target = (samples_dir / name).resolve()
        if root not in target.parents:  # never write outside the samples folder
            raise InputError(f"import-data: file name {name!r} leaves the samples folder")
        try:
            out[target] = base64.b64decode(payload, validate=True)
        except ValueError as exc:
            raise InputError(f"import-data: file {name!r} is not valid base64") from exc
    return out


def _read_export(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"import-data: cannot read {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"import-data: {path} is not valid JSON ({exc.msg})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise InputError(
            f"import-data: {path} is not a backstride JSON export (field format must be "
            f"{FORMAT_NAME!r}; FHIR bundles are for other systems and cannot be restored)"
        )
    if document.get("format_version") != FORMAT_VERSION or not isinstance(
        document.get("tables"), dict
    ):
        raise InputError(f"import-data: field format_version: expected {FORMAT_VERSION}")
    return document


def _fhir_bundle(engine: Engine, *, now: datetime) -> dict[str, Any]:
    with session_scope(engine) as session:
        runner = local_runner(session)
        return fhir.build_bundle(
            fhir.FhirInput(
                assessments=tuple(repo.list_assessments(session, runner_id=runner.id)),
                diary=tuple(s.entry for s in repo.list_diary_entries(session, runner_id=runner.id)),
                rmdq=tuple(repo.list_rmdq_responses(session, runner_id=runner.id)),
            ),
            generated_at=now,
        )

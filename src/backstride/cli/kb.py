"""`backstride kb`: validate, list, show and trace the knowledge base."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.text import Text

from backstride.cli.words import screen
from backstride.errors import InputError, KnowledgeBaseError, NotFoundError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.checklist import SEED_TOPICS, coverage, uncovered_topics
from backstride.knowledge.kinds import KINDS
from backstride.knowledge.load import data_dir
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.trace import (
    Trace,
    build_trace,
    find_covers,
    find_produced,
    kind_name,
    read_log,
)

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Inspect and validate the knowledge base.",
    no_args_is_help=True,
)
_say = screen("kb")


class OutputFormat(StrEnum):
    """How a command prints its result."""

    text = "text"
    json = "json"


class Listing(StrEnum):
    """What `kb list` can list; the value is the plural a person types."""

    exercises = "exercises"
    treatments = "treatments"
    red_flags = "red-flags"
    sources = "sources"
    education = "education"
    prevention = "prevention"


#: Listing -> the kind name its records are registered under.
LISTING_KINDS: dict[Listing, str] = {
    Listing.exercises: "exercise",
    Listing.treatments: "treatment",
    Listing.red_flags: "red_flag",
    Listing.sources: "source",
    Listing.education: "education",
    Listing.prevention: "prevention",
}

#: Kind -> the fields `kb list` shows beside the id, title and sources.
DETAIL_FIELDS: dict[str, tuple[str, ...]] = {
    "exercise": ("category", "phases"),
    "treatment": ("category", "status"),
    "red_flag": ("urgency",),
    "source": ("year", "venue"),
    "prevention": ("category",),
}
TITLE_FIELDS = ("name", "title", "condition")

Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="text (tables) or json.")]
KbDir = Annotated[
    Path | None, typer.Option("--dir", help="Use the knowledge-base files in this directory.")
]


@app.command()
def validate(
    directory: KbDir = None,
    output: Format = OutputFormat.text,
) -> None:
    """Load and check the knowledge base; print counts per kind, version and digest."""
    kb = _load(directory or data_dir())  # always the full parse and validation, never a cache
    counts = {"source": len(kb.sources)}
    for record in kb.records.values():
        counts[kind_name(record)] = counts.get(kind_name(record), 0) + 1
    missing = uncovered_topics(kb)
    result = {
        "valid": True,
        **kb.stamp,
        "counts": dict(sorted(counts.items())),
        "seed_topics": {"total": len(SEED_TOPICS), "uncovered": missing},
    }
    if output is OutputFormat.json:
        _print_json(result)
        return
    table = _table(_say("column_kind"), _say("column_records"))
    for kind, count in sorted(counts.items()):
        _add_row(table, kind, str(count))
    typer.echo(_say("valid", version=kb.version, digest=kb.digest))
    Console().print(table)
    covered = len(SEED_TOPICS) - len(missing)
    typer.echo(_say("seed_covered", covered=covered, total=len(SEED_TOPICS)))
    if missing:
        typer.echo(_say("seed_uncovered", topics=", ".join(missing)))


@app.command("list")
def list_records(
    what: Annotated[Listing, typer.Argument(help="Which records to list.")],
    directory: KbDir = None,
    output: Format = OutputFormat.text,
) -> None:
    """List exercises, treatments, red flags, sources, education or prevention advice."""
    kind = LISTING_KINDS[what]
    items = _items_of_kind(_load(directory), kind)
    if output is OutputFormat.json:
        _print_json([_dump(item) for item in items])
        return
    fields = DETAIL_FIELDS.get(kind, ())
    table = _table(_say("column_id"), _say("column_title"), *fields, _say("column_sources"))
    for item in items:
        details = [_text(getattr(item, name)) for name in fields]
        sources = _text(getattr(item, "sources", ()))
        _add_row(table, str(getattr(item, "id", "")), _title(item), *details, sources)
    Console().print(table)
    typer.echo(_say("listed", count=len(items), what=what.value))


@app.command()
def show(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A record or source id.")],
    directory: KbDir = None,
    output: Format = OutputFormat.text,
) -> None:
    """Show one record or source with every field."""
    kb = _load(directory)
    item: BaseModel | None = kb.records.get(record_id) or kb.sources.get(record_id)
    if item is None:
        raise NotFoundError(_say("not_found", id=record_id))
    if output is OutputFormat.json:
        _print_json({"kind": kind_name(item), "record": _dump(item), "knowledge_base": kb.stamp})
        return
    table = _table(_say("column_field"), _say("column_value"))
    _add_row(table, _say("row_kind"), kind_name(item))
    for name, value in _dump(item).items():
        if value not in (None, [], ""):
            _add_row(table, name, _text(value))
    for source_id in getattr(item, "sources", ()):
        source = kb.sources[source_id]
        cited = _say("source", authors=source.authors, year=source.year, title=source.title)
        _add_row(table, _say("row_source", id=source_id), cited)
    Console().print(table)


@app.command()
def checklist(
    directory: KbDir = None,
    output: Format = OutputFormat.text,
) -> None:
    """Show each seed-claims topic and the records that cover it."""
    covered = coverage(_load(directory))
    if output is OutputFormat.json:
        rows = [
            {"topic": t, "description": SEED_TOPICS[t], "records": ids}
            for t, ids in covered.items()
        ]
        _print_json(rows)
        return
    table = _table(_say("column_topic"), _say("column_covers"), _say("column_records"))
    for topic, ids in covered.items():
        _add_row(table, topic, SEED_TOPICS[topic], _text(ids) or _say("missing"))
    Console().print(table)


@app.command()
def trace(
    tests: Annotated[Path, typer.Option("--tests", help="Folder of tests to scan.")] = Path(
        "tests"
    ),
    directory: KbDir = None,
    output: Format = OutputFormat.text,
    log: Annotated[
        list[Path] | None,
        typer.Option(
            "--log", help="Run log written by BACKSTRIDE_TRACE_LOG=FILE pytest (repeatable)."
        ),
    ] = None,
) -> None:
    """Show which tests show each record producing an engine output, and which only name it."""
    kb = _load(directory)
    produced = read_log(*log) if log else find_produced(tests)
    result = build_trace(kb, find_covers(tests), produced)
    if output is OutputFormat.json:
        _print_json(_trace_json(kb, result))
        return
    columns = ("record", "kind", "sources", "checked_by", "named_by")
    table = _table(*(_say(f"column_{column}") for column in columns))
    none = _say("none")
    for row in result.rows:
        cells = (_text(row.sources), _text(row.tests) or none, _text(row.text_only) or none)
        _add_row(table, row.record_id, row.kind, *cells)
    Console().print(table)
    covered = len(result.rows) - len(result.uncovered)
    evidence = _say("evidence_log" if log else "evidence_static")
    typer.echo(_say("trace_covered", evidence=evidence, covered=covered, total=len(result.rows)))
    if result.text_only:
        ids = ", ".join(result.text_only)
        typer.echo(_say("trace_text_only", count=len(result.text_only), ids=ids))
    if result.uncovered:
        typer.echo(_say("trace_uncovered", ids=", ".join(result.uncovered)))
    if result.unknown:
        typer.echo(_say("trace_unknown", ids=", ".join(result.unknown)))


def _load(directory: Path | None) -> KnowledgeBase:
    """The knowledge base (packaged, or from `--dir`), with load errors on one line."""
    if directory is not None and not directory.is_dir():
        raise InputError(_say("dir_refused", path=directory))
    try:
        return load_knowledge_base(directory)
    except KnowledgeBaseError as exc:
        raise KnowledgeBaseError(" ".join(str(exc).split())) from exc


def _items_of_kind(kb: KnowledgeBase, kind: str) -> list[BaseModel]:
    """Records (or sources) of one kind sorted by id; none when the kind is not registered."""
    if kind == "source":
        return [kb.sources[key] for key in sorted(kb.sources)]
    schema = KINDS.get(kind)
    if schema is None:
        return []
    records = sorted((r for r in kb.records.values() if type(r) is schema), key=lambda r: r.id)
    return list(records)


def _trace_json(kb: KnowledgeBase, result: Trace) -> dict[str, Any]:
    rows = [
        {
            "id": r.record_id,
            "kind": r.kind,
            "sources": list(r.sources),
            "tests": list(r.tests),
            "text_only": list(r.text_only),
        }
        for r in result.rows
    ]
    unknown = {key: list(tests) for key, tests in sorted(result.unknown.items())}
    return {
        "knowledge_base": kb.stamp,
        "records": rows,
        "uncovered": list(result.uncovered),
        "text_only": list(result.text_only),
        "unknown": unknown,
    }


def _dump(item: BaseModel) -> dict[str, Any]:
    return item.model_dump(mode="json", by_alias=True)


def _title(item: BaseModel) -> str:
    for name in TITLE_FIELDS:
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return ""


def _text(value: Any) -> str:
    """A field value as terminal text: lists one per line, nested values as compact JSON."""
    if isinstance(value, (list, tuple)):
        return "\n".join(_text(part) for part in value)
    if isinstance(value, dict):
        shown = {key: part for key, part in value.items() if part is not None}
        return json.dumps(shown, sort_keys=True, ensure_ascii=False)
    if isinstance(value, BaseModel):
        return json.dumps(_dump(value), sort_keys=True, ensure_ascii=False)
    return "" if value is None else str(value)


def _add_row(table: Table, *cells: str) -> None:
    """Add a row of plain text (no Rich markup: ids and diagrams contain brackets)."""
    table.add_row(*(Text(cell) for cell in cells))


def _table(*columns: str) -> Table:
    table = Table(show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _print_json(value: object) -> None:
    typer.echo(json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False))


command = typer.main.get_command(app)

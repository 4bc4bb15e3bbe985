"""FIT developer fields: field_description messages and the columns they describe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from backstride.ingest.fit_columns import Column, Rows, decode_fields, scaled, scaled_by
from backstride.ingest.fit_profile import MESSAGES

FIELD_DESCRIPTION = 206
#: the warnings about developer fields (%-templates; the compiled core fills them too)
UNDESCRIBED = (
    "developer field %d of developer %d is used without a preceding field_description; skipped it"
)
EARLY = "developer field '%s' is used before its field_description; skipped those values"


@dataclass(frozen=True, slots=True)
class DeveloperField:
    """What a field_description message says about one developer field."""

    name: str
    units: str | None
    developer_index: int
    field_num: int
    base_type: int
    scale: float
    offset: float
    native_field: int | None
    #: file-order index of the description message; earlier data cannot use it
    order: int


Key = tuple[int, int, int]  # (file index in the chain, developer data index, field number)


def read_descriptions(groups: list[Rows]) -> dict[Key, list[DeveloperField]]:
    """Every developer field description, by file, developer index and field number."""
    profile = MESSAGES[FIELD_DESCRIPTION]
    found: dict[Key, list[DeveloperField]] = {}
    for rows in groups:
        definition = rows.definition
        if definition.global_num != FIELD_DESCRIPTION:
            continue
        fields = profile.fields
        wanted = [
            (fields[num].name, offset, size, base_type)
            for num, offset, size, base_type in definition.fields
            if num in fields
        ]
        decoded = decode_fields(rows.block, wanted, big_endian=definition.big_endian)
        by_name = {field.name: field for field in fields.values()}
        columns = {name: scaled(column, by_name[name]) for name, column in decoded.items()}
        listed = _listed(columns)
        for i, order in enumerate(rows.order.tolist()):
            described = _description(listed, i, order)
            if described is not None:
                key = (definition.file_index, described.developer_index, described.field_num)
                found.setdefault(key, []).append(described)
    return found


_NUMBER_FIELDS = (
    "developer_data_index",
    "field_definition_number",
    "fit_base_type_id",
    "native_field_num",
    "scale",
    "offset",
)


#: (global message number, file index in the chain, file order of its rows) of a group
Group = tuple[int, int, npt.NDArray[np.int64]]


def descriptions_in_table(
    groups: list[Group], order: npt.NDArray[np.int64], columns: dict[str, Column]
) -> dict[Key, list[DeveloperField]] | None:
    """read_descriptions from the merged field_description table (every field decoded),
    or None when it could differ: the same descriptions in the same order, each group's
    rows looked up by file order. A number column 1-D and float in the table was so in
    every definition holding it, and a text column holds None where a definition had no
    text, so the values are those each definition alone gives; a number field held as
    text or as an array by some definition leaves the per-definition reading."""
    for name in _NUMBER_FIELDS:
        column = columns.get(name)
        if column is not None and (column.ndim != 1 or column.dtype.kind != "f"):
            return None
    listed = _listed(columns)
    found: dict[Key, list[DeveloperField]] = {}
    row_of = {at: i for i, at in enumerate(order.tolist())}  # file order -> table row
    for global_num, file_index, group_order in groups:
        if global_num != FIELD_DESCRIPTION:
            continue
        orders = group_order.tolist()
        slots = [row_of.get(at, -1) for at in orders]
        if -1 in slots:  # not a row of the table: its insertion point, as numpy gives it
            slots = np.searchsorted(order, group_order).tolist()
        for i, at in zip(slots, orders, strict=True):
            described = _description(listed, i, at)
            if described is not None:
                key = (file_index, described.developer_index, described.field_num)
                found.setdefault(key, []).append(described)
    return found


def _listed(columns: dict[str, Column]) -> tuple[Any, ...]:
    """The 1-D numeric and the text columns as lists (one conversion, then plain Python)."""
    numbers = tuple(
        column.tolist()
        if (column := columns.get(name)) is not None
        and column.ndim == 1
        and column.dtype.kind == "f"
        else None
        for name in _NUMBER_FIELDS
    )
    texts = tuple(
        column.tolist() if (column := columns.get(name)) is not None and column.dtype == object
        else None
        for name in ("field_name", "units")
    )  # fmt: skip
    return numbers + texts


def _description(listed: tuple[Any, ...], i: int, order: int) -> DeveloperField | None:
    index_of, number_of, base_of, native_of, scale_of, offset_of, names, units = listed
    if index_of is None or number_of is None or base_of is None:
        return None
    index, number, base = index_of[i], number_of[i], base_of[i]
    if index != index or number != number or base != base:  # NaN: missing
        return None
    name = names[i] if names is not None else None
    native = None if native_of is None else native_of[i]
    scale = None if scale_of is None else scale_of[i]
    offset = None if offset_of is None else offset_of[i]
    return DeveloperField(
        name=str(name or f"developer_{int(index)}_{int(number)}"),
        units=str(units[i]) if units is not None and units[i] else None,
        developer_index=int(index),
        field_num=int(number),
        base_type=int(base),
        scale=scale if scale is not None and scale == scale and scale else 1.0,
        offset=offset if offset is not None and offset == offset and offset else 0.0,
        native_field=None if native is None or native != native else int(native),
        order=order,
    )


def developer_columns(
    rows: Rows,
    descriptions: dict[Key, list[DeveloperField]],
    *,
    known: dict[str, DeveloperField],
    warnings: list[str],
) -> dict[str, Column]:
    """Decode the developer fields of one definition's rows (undescribed ones are skipped)."""
    definition = rows.definition
    first, last = int(rows.order[0]), int(rows.order[-1])
    chosen: list[DeveloperField | None] = []
    for num, _offset, _size, index in definition.dev_fields:
        candidates = descriptions.get((definition.file_index, index, num), [])
        usable = [d for d in candidates if d.order < last]
        before_first = [d for d in usable if d.order < first]
        chosen.append(before_first[-1] if before_first else usable[0] if usable else None)
    decoded = decode_fields(  # every described field of the rows in one pass
        rows.block,
        [
            (str(k), offset, size, described.base_type)
            for k, ((_num, offset, size, _index), described) in enumerate(
                zip(definition.dev_fields, chosen, strict=True)
            )
            if described is not None
        ],
        big_endian=definition.big_endian,
    )
    out: dict[str, Column] = {}
    for k, ((num, _offset, _size, index), described) in enumerate(
        zip(definition.dev_fields, chosen, strict=True)
    ):
        if described is None:
            _warn_once(warnings, UNDESCRIBED % (num, index))
            continue
        column = decoded.get(str(k))
        if column is None:
            continue
        column = _mask_early(column, rows.order, described, warnings)
        name = _column_name(described, known)
        out[name] = scaled_by(column, described.scale, described.offset)
    return out


def _mask_early(
    column: Column, order: npt.NDArray[np.int64], described: DeveloperField, warnings: list[str]
) -> Column:
    if int(order[0]) >= described.order:  # rows are in file order: none is early
        return column
    early = order < described.order
    _warn_once(warnings, EARLY % described.name)
    column = column.copy()
    column[early] = None if column.dtype == object else np.nan
    return column


def _column_name(described: DeveloperField, known: dict[str, DeveloperField]) -> str:
    """The field's name, suffixed with its developer index when another developer uses it."""
    name = described.name
    other = known.get(name)
    if other is not None and (other.developer_index, other.field_num) != (
        described.developer_index,
        described.field_num,
    ):
        name = f"{name}#{described.developer_index}.{described.field_num}"
    known.setdefault(name, described)
    return name


def _warn_once(warnings: list[str], message: str) -> None:
    if message not in warnings:
        warnings.append(message)

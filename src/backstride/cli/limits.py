"""The file-size limits from the environment, read without building the full Settings.

`activity summary` needs only these three numbers; building `Settings` would import
pydantic and pydantic-settings (about a tenth of a second). The names, defaults and
bounds are Settings' own (a test keeps the two readers equal).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TypeVar

from backstride.errors import InputError
from backstride.ingest.archive import Limits

PREFIX = "BACKSTRIDE_"
T = TypeVar("T", int, float)


def file_limits(environ: Mapping[str, str] | None = None) -> Limits:
    """`BACKSTRIDE_MAX_FILE_BYTES`, `_MAX_ARCHIVE_TOTAL_BYTES`, `_MAX_COMPRESSION_RATIO`."""
    env = os.environ if environ is None else environ
    default = Limits()
    return Limits(
        max_file_bytes=_read(env, "max_file_bytes", int, default.max_file_bytes, 0),
        max_archive_total_bytes=_read(
            env, "max_archive_total_bytes", int, default.max_archive_total_bytes, 0
        ),
        max_compression_ratio=_read(
            env, "max_compression_ratio", float, default.max_compression_ratio, 1.0
        ),
    )


def _read(
    env: Mapping[str, str], name: str, kind: Callable[[str], T], default: T, above: float
) -> T:
    # pydantic-settings matches variable names case-insensitively; so does this
    wanted = (PREFIX + name).lower()
    text = next((v for k, v in env.items() if k.lower() == wanted), None)
    if text is None:
        return default
    try:
        value = kind(text.strip())
    except ValueError:
        value = None
    if value is None or not value > above:
        unit = "a whole number" if kind is int else "a number"
        raise InputError(f"{PREFIX}{name.upper()} must be {unit} above {above:g}, got {text!r}")
    return value

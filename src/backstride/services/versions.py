"""The data versions kept results are stamped with: one small file per runner (and one for
everyone) under the data directory, replaced on every committed write (no database here,
so the direct path of the short commands bumps them as the ORM listeners do)."""

from __future__ import annotations

import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")
EVERYONE = "all"
MAX_ENTRIES = 512
_entries: OrderedDict[Hashable, tuple[tuple[object, ...], Any]] = OrderedDict()
_lock = threading.Lock()


def versions_dir(home: Path) -> Path:
    """Where the data versions of the database kept in `home` live."""
    return home / "versions"


def version(folder: Path, name: str) -> tuple[object, ...]:
    """The stamp of one version file (a missing file has its own stamp)."""
    try:
        found = os.stat(folder / name)
    except FileNotFoundError:
        return (None,)
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def bump(folder: Path, name: str) -> None:
    """A new version for `name` (a runner id or EVERYONE)."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / f".{name}.{uuid.uuid4().hex}"
    scratch.write_text(uuid.uuid4().hex)
    os.replace(scratch, folder / name)  # a new file each time: a new inode and stamp


class Slot(Generic[T]):
    """Where one result is kept: `hit` and `value` when it is there, else `keep(value)`."""

    def __init__(self, key: Hashable | None, stamp: tuple[object, ...]) -> None:
        self.key, self.stamp, self.hit, self.value = key, stamp, False, cast("T", None)
        with _lock:
            found = _entries.get(key) if key is not None else None
            if found is not None and found[0] == stamp:
                _entries.move_to_end(key)
                self.hit, self.value = True, found[1]

    def keep(self, value: T) -> T:
        """Keep `value` (computed after the slot was taken) and return it."""
        if self.key is not None:
            with _lock:
                _entries[self.key] = (self.stamp, value)
                while len(_entries) > MAX_ENTRIES:
                    _entries.popitem(last=False)
        return value


def slot_at(home: Path, url: str, runner_id: int, key: Hashable) -> Slot[Any]:
    """The slot for `key` of this runner of the database at `url` kept in `home` (its
    version read now, before the data is read; outside any transaction that wrote)."""
    folder = versions_dir(home)
    stamp = (*version(folder, str(runner_id)), *version(folder, EVERYONE))
    return Slot((url, runner_id, key), stamp)

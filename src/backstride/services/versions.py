"""The data versions kept results are stamped with: one small file per runner (and one for
everyone) under the data directory, replaced on every committed write (no database here,
so the direct path of the short commands bumps them as the ORM listeners do).

A kept result lives in this process's memory and, pickled, in a file under the data
directory (`kept/`), so every worker process of one installation, and the next start of
the server, reuses what one of them built. Each is stamped with the runner's and
everyone's data versions, the code and knowledge base installed (`code_stamp`) and the
settings the store was opened with: a change to any of them is a new stamp, never a stale
answer. The files are the server's own, beside its database, and trusted as it is.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")
EVERYONE = "all"
MAX_ENTRIES = 512
#: A kept file not written or read for this long is removed (checked every PRUNE_EVERY
#: writes of a process).
KEPT_FILE_DAYS, PRUNE_EVERY = 7, 256
_entries: OrderedDict[Hashable, tuple[tuple[object, ...], Any]] = OrderedDict()
_lock = threading.Lock()
_configs: dict[Path, str] = {}  # data directory -> digest of the settings it was opened with
_writes = [0]
_code: list[str] = []


def versions_dir(home: Path) -> Path:
    """Where the data versions of the database kept in `home` live."""
    return home / "versions"


def kept_dir(home: Path, runner_id: int | None = None) -> Path:
    """Where the kept results of the database kept in `home` are shared between processes
    (those of one runner, when given, in a folder of their own)."""
    return home / "kept" if runner_id is None else home / "kept" / str(runner_id)


def forget_runner(home: Path, runner_id: int) -> None:
    """Remove every kept result and page of a runner (their account is deleted)."""
    import shutil

    shutil.rmtree(kept_dir(home, runner_id), ignore_errors=True)


def register_config(home: Path, digest: str) -> None:
    """The settings the store in `home` is served with (a part of every stamp there)."""
    _configs[home] = digest


def code_stamp() -> str:
    """A digest of the installed package's code, templates and knowledge base files (their
    names, sizes and modification times), read once per process."""
    if not _code:
        import backstride

        root = Path(backstride.__file__).resolve().parent
        digest = hashlib.sha256(backstride.__version__.encode())
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml", ".j2", ".so", ".css", ".js"):
                found = path.stat()
                digest.update(f"{path.relative_to(root)}:{found.st_size}:{found.st_mtime_ns};"
                              .encode())  # fmt: skip
        _code.append(digest.hexdigest()[:16])
    return _code[0]


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
    """Where one result is kept: `hit` and `value` when it is there, else `keep(value)`.

    With a `folder` the result is also kept in a file there, which other processes read.
    """

    def __init__(
        self, key: Hashable | None, stamp: tuple[object, ...], folder: Path | None = None
    ) -> None:
        self.key, self.stamp, self.hit, self.value = key, stamp, False, cast("T", None)
        self.path = None if key is None or folder is None else kept_file(folder, key)
        with _lock:
            found = _entries.get(key) if key is not None else None
            if found is not None and found[0] == stamp:
                _entries.move_to_end(key)
                self.hit, self.value = True, found[1]
        if not self.hit and self.path is not None:
            self._read_file()

    def _read_file(self) -> None:
        assert self.path is not None
        found = read_kept(self.path, self.key, self.stamp)
        if found is not None:
            self.hit, self.value = True, found[0]
            self._remember(found[0])

    def _remember(self, value: T) -> None:
        with _lock:
            _entries[self.key] = (self.stamp, value)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)

    def keep(self, value: T) -> T:
        """Keep `value` (computed after the slot was taken) and return it."""
        if self.key is None:
            return value
        self._remember(value)
        if self.path is not None:
            write_kept(self.path, self.key, self.stamp, value)
        return value


def kept_file(folder: Path, key: Hashable) -> Path:
    """The file under `folder` that keeps the value for `key` (its repr names it)."""
    return folder / _file_name(key)


def _file_name(key: Hashable) -> str:
    return hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:40] + ".pickle"


def read_kept(path: Path, key: Hashable, stamp: tuple[object, ...]) -> tuple[Any] | None:
    """(the value) kept in `path` for `key` with this very stamp, else None."""
    try:
        with open(path, "rb") as handle:
            if not _own_private_file(os.fstat(handle.fileno())):
                return None  # written by someone else, or writable by others: never unpickled
            name, kept_stamp, value = pickle.load(handle)  # the server's own file
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError,
            pickle.UnpicklingError):  # fmt: skip
        return None  # absent, half-gone or from other code: computed again
    if name != repr(key) or kept_stamp != stamp:
        return None
    return (value,)


def write_kept(path: Path, key: Hashable, stamp: tuple[object, ...], value: Any) -> None:
    """Keep `value` for `key` and `stamp` in `path` for other processes (a value that
    cannot be pickled stays in this process only)."""
    try:
        data = pickle.dumps((repr(key), stamp, value), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        # Only this account of the machine may read or write a kept file (it holds health
        # data, and a pickle runs code when read); a file that is not so is never read.
        descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(scratch, path)
    except OSError:
        return
    _writes[0] += 1
    if _writes[0] % PRUNE_EVERY == 0:
        prune_kept(path.parent, now_s=time.time())


def _own_private_file(status: os.stat_result) -> bool:
    """Whether a kept file belongs to the user running this process and no one else may
    write to it."""
    owner = os.geteuid() if hasattr(os, "geteuid") else status.st_uid
    return status.st_uid == owner and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def prune_kept(folder: Path, *, now_s: float) -> int:
    """Remove kept files not written for KEPT_FILE_DAYS; how many were removed."""
    removed = 0
    for path in folder.glob("*.pickle"):
        try:
            if now_s - path.stat().st_mtime > KEPT_FILE_DAYS * 86400:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def slot_at(home: Path, url: str, runner_id: int, key: Hashable) -> Slot[Any]:
    """The slot for `key` of this runner of the database at `url` kept in `home` (its
    version read now, before the data is read; outside any transaction that wrote)."""
    folder = kept_dir(home, runner_id)
    return Slot((url, runner_id, key), runner_stamp(home, runner_id), folder)


def runner_stamp(home: Path, runner_id: int) -> tuple[object, ...]:
    """Everything a kept result of this runner depends on besides its key: the runner's and
    everyone's data versions, the code and knowledge base, and the settings."""
    folder = versions_dir(home)
    everyone = version(folder, EVERYONE)
    if everyone == (None,):  # a definite version, so a file kept now is never taken for
        bump(folder, EVERYONE)  # one kept before the data directory was emptied
        everyone = version(folder, EVERYONE)
    return (*version(folder, str(runner_id)), *everyone, code_stamp(), _configs.get(home, ""))

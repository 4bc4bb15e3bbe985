"""Compact sample storage: one compressed `.npz` per activity beside the database.

Samples are never stored as one database row per point. Each activity's columnar samples
become one file `<source_hash>.npz` under `Settings.samples_dir`, written atomically
(temp file + rename) BEFORE the activity row commits, so a committed row always finds its
file; a file whose row never committed is an orphan, harmless, and removed by
`remove_orphans`. Coordinates keep float64; other channels are stored as float32 (finer
than any device resolution) and come back as float64. The file is an ordinary `.npz`
whose arrays are byte-shuffled (see `pack_samples`).
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import SAMPLE_CHANNELS, FloatArray, Samples
from backstride.errors import StorageError

#: Channels kept in float64: degrees need ~1e-7 precision that float32 lacks.
_FULL_PRECISION = frozenset({"lat_deg", "lon_deg"})
#: zlib level 1: about 4x faster than the default level for a few percent more bytes.
_LEVEL = 1
SUFFIX = ".npz"


def samples_file_name(source_hash: str) -> str:
    """The file name (relative to samples_dir) for an activity with this content hash."""
    if len(source_hash) < 16 or not all(c in "0123456789abcdef" for c in source_hash):
        raise StorageError(f"source_hash must be a lower-case hex digest, got {source_hash!r}")
    return source_hash + SUFFIX


def pack_samples(samples: Samples) -> bytes:
    """Samples as the bytes of a compressed `.npz` (pure; safe to run in a worker process).

    Each array is byte-shuffled (all first bytes, then all second bytes, ...) and the
    timestamps are stored as differences, which makes zlib both faster and tighter; the
    `layout` entry records each array's name, dtype and encoding for `unpack_samples`.
    """
    stamps = samples.timestamp.astype("datetime64[ms]").astype(np.int64)
    arrays: dict[str, npt.NDArray[Any]] = {"timestamp": np.diff(stamps, prepend=np.int64(0))}
    for name, values in samples.channels.items():
        dtype = np.float64 if name in _FULL_PRECISION else np.float32
        arrays[name] = np.asarray(values, dtype=dtype)
    layout = [f"{name}:{array.dtype.str}" for name, array in arrays.items()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=_LEVEL) as z:
        _put(z, "layout", np.array(layout))
        for name, array in arrays.items():
            _put(z, name, np.ascontiguousarray(array.view(np.uint8).reshape(-1, array.itemsize).T))
    return buffer.getvalue()


def _put(archive: zipfile.ZipFile, name: str, array: npt.NDArray[Any]) -> None:
    with archive.open(name + ".npy", "w", force_zip64=True) as member:
        np.lib.format.write_array(member, array, allow_pickle=False)


def unpack_samples(blob: bytes) -> Samples:
    """The Samples stored in `blob` (the bytes `pack_samples` produced)."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        if "layout" not in data.files:
            raise StorageError("stored samples have no layout entry")
        arrays: dict[str, npt.NDArray[Any]] = {}
        for entry in data["layout"]:
            name, dtype = str(entry).split(":")
            planes = data[name]
            arrays[name] = np.ascontiguousarray(planes.T).view(np.dtype(dtype)).reshape(-1)
    if "timestamp" not in arrays:
        raise StorageError("stored samples have no timestamp array")
    timestamp = np.cumsum(arrays.pop("timestamp")).astype("datetime64[ms]")
    channels: dict[str, FloatArray] = {
        name: values.astype(np.float64)
        for name, values in arrays.items()
        if name in SAMPLE_CHANNELS
    }
    return Samples(timestamp=timestamp, channels=channels)


def write_samples_blob(samples_dir: Path, source_hash: str, blob: bytes) -> str:
    """Write packed samples atomically; returns the name to store in the activity row."""
    name = samples_file_name(source_hash)
    samples_dir.mkdir(parents=True, exist_ok=True)
    target = samples_dir / name
    fd, tmp = tempfile.mkstemp(dir=samples_dir, prefix=".tmp-", suffix=SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(f"cannot write samples file {target}: {exc}") from exc
    return name


def write_samples(samples_dir: Path, source_hash: str, samples: Samples) -> str:
    """Pack and write an activity's samples; returns the stored file name."""
    return write_samples_blob(samples_dir, source_hash, pack_samples(samples))


def read_samples(samples_dir: Path, name: str) -> Samples:
    """Read the samples stored under `name` in `samples_dir`."""
    path = samples_dir / name
    if path.parent != samples_dir or not path.name.endswith(SUFFIX):
        raise StorageError(f"samples name must be a file name ending in {SUFFIX}, got {name!r}")
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise StorageError(f"cannot read samples file {path}: {exc}") from exc
    return unpack_samples(blob)


def remove_orphans(samples_dir: Path, keep: Iterable[str], *, older_than_s: float = 3600) -> int:
    """Delete sample files no row references (and stale temp files); returns how many."""
    if not samples_dir.is_dir():
        return 0
    wanted = set(keep)
    cutoff = time.time() - older_than_s
    removed = 0
    for path in samples_dir.iterdir():
        if not path.name.endswith(SUFFIX) or path.name in wanted:
            continue
        try:
            if path.stat().st_mtime <= cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue  # another process removed or replaced it meanwhile
    return removed

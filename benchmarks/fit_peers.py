"""Optional compiled peers for benchmarks/ingest_fit.py: fitfast (Rust, numpy columns) and
pyfitparsernative (Rust/PyO3, one dict per message), with a check that their record
values equal ours. Both come with the `bench` dependency group; absent, they are skipped.

    .venv/bin/python benchmarks/fit_peers.py [--corpus DIR]   # per-file ratios and checks
    .venv/bin/python benchmarks/fit_peers.py --runs 9 --peer fitfast --clock thread --slower

Times are CPU seconds by default (`--clock process`: user + system of the process);
`--clock thread` counts this thread only (numpy's idle BLAS threads left out), `--clock
wall` the elapsed time. `--slower` lists the files where the peer is faster.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backstride.domain.activity import Activity
from backstride.errors import IngestError
from backstride.ingest.fit import read_fit

AVAILABLE = {
    name: importlib.util.find_spec(name) is not None for name in ("fitfast", "pyfitparsernative")
}
#: our channel -> (peer record field, fallback field)
CHANNELS = {
    "hr_bpm": ("heart_rate", None),
    "distance_m": ("distance", None),
    "speed_mps": ("enhanced_speed", "speed"),
    "altitude_m": ("enhanced_altitude", "altitude"),
    "power_w": ("power", None),
}


def fitfast_records(data: bytes) -> int:
    """fitfast: the record columns (numpy arrays, positions in degrees)."""
    import fitfast

    columns = fitfast.records(data)
    return len(columns.get("timestamp", ()))


def pyfitparsernative_records(data: bytes) -> int:
    """pyfitparsernative: every message as a dict; count the records."""
    import pyfitparsernative

    messages = pyfitparsernative.parse_fit_bytes(data)
    return sum(1 for m in messages if m.get("message_type") == "record")


READERS: dict[str, Callable[[bytes], int]] = {
    name: reader
    for name, reader in (
        ("fitfast", fitfast_records),
        ("pyfitparsernative", pyfitparsernative_records),
    )
    if AVAILABLE[name]
}


def _ours(data: bytes) -> Activity | None:
    try:
        activity = read_fit(data)
    except IngestError:
        return None
    if any("switched on" in w or "stored by the strap" in w for w in activity.warnings):
        return None  # we place relative times and merge strap HR on purpose: not comparable
    return activity


def _compare(ours: Activity, theirs: dict[str, np.ndarray], stamps: np.ndarray) -> str | None:
    """None when the peer's records equal ours (same times, same values where both have
    one), else what differs."""
    mine = ours.samples.timestamp.astype("datetime64[s]").astype(np.int64)
    keep = np.isfinite(stamps)
    if not np.array_equal(mine, stamps[keep].astype(np.int64)):
        return f"timestamps differ ({len(mine)} vs {int(keep.sum())} records)"
    for channel, (field, fallback) in CHANNELS.items():
        values = theirs.get(field)
        if fallback and fallback in theirs:
            other = theirs[fallback]
            values = other if values is None else np.where(np.isnan(values), other, values)
        own = ours.samples.get(channel)
        if values is None or own is None:
            continue
        values = values[keep]
        both = np.isfinite(values) & np.isfinite(own)
        if not np.allclose(own[both], values[both], rtol=1e-6, atol=1e-3):
            return f"{channel} differs"
    return None


def fitfast_check(data: bytes) -> str | None:
    """fitfast's record values against ours (None: equal, or not comparable)."""
    import fitfast

    ours = _ours(data)
    if ours is None:
        return None
    try:
        columns = fitfast.records(data)
    except fitfast.FitDecodeError:
        return None  # it refuses files with a bad CRC; we keep what decoded
    stamps = columns.get("timestamp", np.zeros(0))
    return _compare(ours, columns, stamps)


def pyfitparsernative_check(data: bytes) -> str | None:
    """pyfitparsernative's record values against ours (None: equal or not comparable)."""
    import pyfitparsernative

    ours = _ours(data)
    if ours is None:
        return None
    try:
        messages = pyfitparsernative.parse_fit_bytes(data)
    except Exception:
        return None
    records = [m for m in messages if m.get("message_type") == "record" and m.get("timestamp")]
    stamps = np.array([_unix(m["timestamp"]) for m in records], dtype=np.float64)
    names = {f for pair in CHANNELS.values() for f in pair if f}
    columns = {
        name: np.array([_number(m.get(name)) for m in records], dtype=np.float64) for name in names
    }
    return _compare(ours, columns, stamps)


def _unix(text: str) -> float:
    """An ISO time as Unix seconds; a time without an offset is UTC."""
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _number(value: object) -> float:
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else np.nan
    )


def peer_columns(peer: str, data: bytes) -> dict[str, np.ndarray]:
    """A peer's record columns of the fields CHANNELS names (float arrays)."""
    if peer == "fitfast":
        import fitfast

        return dict(fitfast.records(data))
    import pyfitparsernative

    messages = pyfitparsernative.parse_fit_bytes(data)
    records = [m for m in messages if m.get("message_type") == "record" and m.get("timestamp")]
    names = {f for pair in CHANNELS.values() for f in pair if f}
    return {
        name: np.array([_number(m.get(name)) for m in records], dtype=np.float64) for name in names
    }


def explained(peer: str, data: bytes, channel: str) -> str | None:
    """Why a peer's values of a channel differ from ours, when the cause is one we know:
    None otherwise. Two are known: a peer derives an `enhanced_altitude` that the file
    does not hold (and it can disagree with its own `altitude`), and fitfast puts a
    Connect IQ developer field that names a native field over the watch's own values."""
    from backstride.ingest.fit_decode import decode_fit

    columns = peer_columns(peer, data)
    records = decode_fit(data).table("record")
    if records is None:
        return None
    if channel == "altitude_m" and "enhanced_altitude" not in records.fields:
        own, theirs = records.number("altitude"), columns.get("altitude")
        if own is not None and theirs is not None and np.allclose(own, theirs, equal_nan=True):
            return f"equal to {peer}'s altitude; its enhanced_altitude is derived, not in the file"
    if channel == "distance_m":
        theirs = columns.get("distance")
        for name, column in records.developer.items():
            values = column if column.ndim == 1 else column[:, 0]
            valid = np.isfinite(values)
            if theirs is not None and valid.any() and np.allclose(theirs[valid], values[valid]):
                return f"{peer}'s distance is the developer field '{name}'; ours the watch's own"
    return None


CHECKS: dict[str, Callable[[bytes], str | None]] = {
    "fitfast": fitfast_check,
    "pyfitparsernative": pyfitparsernative_check,
}


CLOCKS: dict[str, Callable[[], int]] = {
    "process": time.process_time_ns,
    "thread": time.thread_time_ns,
    "wall": time.perf_counter_ns,
}
#: the clock run_times reads (main() sets it from --clock)
clock: Callable[[], int] = time.process_time_ns


def run_times(reader: Callable[[bytes], object], data: bytes, runs: int) -> list[float] | None:
    """Seconds of each of `runs` reads of `data` (CPU time of the process unless --clock
    says otherwise); None when the reader fails on it. CPU time, not wall time: on a
    shared machine the waits for a core would count against whichever reader ran when
    others were busy."""
    times = []
    for _ in range(runs):
        started = clock()
        try:
            reader(data)
        except Exception:
            return None
        times.append((clock() - started) / 1e9)
    return times


def _best_of(reader: Callable[[bytes], object], data: bytes, runs: int) -> float | None:
    times = run_times(reader, data, runs)
    return None if times is None else min(times)  # the least disturbed run on a shared machine


def per_file(corpus: Path, peer: str, runs: int = 9) -> list[tuple[str, int, float, float]]:
    """(file, bytes, our seconds, peer seconds) for every non-corrupt corpus FIT file."""
    with (corpus / "MANIFEST.csv").open(newline="") as handle:
        names = [
            r["file"]
            for r in csv.DictReader(handle)
            if r["category"] == "fit" and not r["intentionally_corrupt"]
        ]
    out = []
    for name in names:
        data = (corpus / name).read_bytes()
        ours_s = _best_of(read_fit, data, runs)
        theirs_s = _best_of(READERS[peer], data, runs)
        if ours_s is not None and theirs_s is not None:
            out.append((name, len(data), ours_s, theirs_s))
    return out


def main() -> int:
    """Per-file speed ratios against each installed peer, and the value checks."""
    from tests.conftest import CORPUS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--peer", choices=sorted(READERS), action="append", help="only these")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="process")
    parser.add_argument("--slower", action="store_true", help="list the files the peer wins")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    print(f"clock: {args.clock}; best of {args.runs} runs per file")
    for peer in args.peer or READERS:
        rows = per_file(args.corpus, peer, args.runs)
        ratios = [theirs / ours for _, _, ours, theirs in rows]
        small = [theirs / ours for _, size, ours, theirs in rows if size < 50_000]
        slower = sum(1 for r in ratios if r < 1)
        ours_total = sum(r[2] for r in rows)
        theirs_total = sum(r[3] for r in rows)
        print(
            f"{peer}: {len(rows)} files; ours faster on {len(rows) - slower}, slower on {slower}; "
            f"median ratio {statistics.median(ratios):.2f}× (files < 50 kB: "
            f"{statistics.median(small):.2f}×), slowest {min(ratios):.2f}×; total ours "
            f"{ours_total:.3f} s, {peer} {theirs_total:.3f} s ({theirs_total / ours_total:.2f}×)"
        )
        if args.slower:
            for name, size, ours_s, theirs_s in sorted(rows, key=lambda r: r[3] / r[2]):
                if theirs_s < ours_s:
                    print(
                        f"  {theirs_s / ours_s:5.2f}×  {size:7d} B  ours {ours_s * 1e6:7.1f} µs"
                        f"  {peer} {theirs_s * 1e6:7.1f} µs  {name}"
                    )
        differ, known = [], []
        for name, *_ in rows:
            data = (args.corpus / name).read_bytes()
            problem = CHECKS[peer](data)
            if not problem:
                continue
            cause = explained(peer, data, problem.split()[0])
            (known if cause else differ).append(f"{name}: {cause or problem}")
        print(
            f"  values: {len(rows) - len(differ) - len(known)} files equal ours; "
            f"{len(known)} differ for a known reason; unexplained: {differ or 'none'}"
        )
        for line in known:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

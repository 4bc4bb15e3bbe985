"""FIT reading speed: our vectorised reader against fitparse, fitdecode, garmin-fit-sdk, a
plain `struct` loop and (when the `bench` group is installed) the compiled fitfast and
pyfitparsernative, each extracting the record fields of the same files, in one run.
`benchmarks/fit_peers.py` adds per-file ratios and checks the compiled peers' values.

    .venv/bin/python benchmarks/ingest_fit.py [--repeats 5] [--peer-repeats 3] [--all-peers]

Times are medians of N runs of CPU time (whole file in memory, one process). "ours" is the complete
`read_fit` (CRCs, every message, Activity with samples); the peers only iterate records.
`run(corpus_dir)` returns the rows for benchmarks/ingest.py.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backstride.errors import IngestError
from backstride.ingest.fit import read_fit
from fit_peers import READERS as COMPILED
from fit_peers import run_times
from fit_struct_loop import FIELDS, read_records

#: the files of the corpus REFERENCE.md speed table
TABLE = (
    ("MultiSport fenix5x", "fit/GoldenCheetah__MultiSport-2019-11-24.fit"),
    ("big_activity", "fit/muktihari-fit__big_activity.fit"),
    ("Kona ironman fr935", "fit/sports-lib__20181013_kona_ironman.fit"),
    ("FR955 run", "fit/GoldenCheetah__GarminFR955v18__14211916346_ACTIVITY.fit"),
    ("trail run", "fit/sports-lib__TrailRun20200215111630.fit"),
)
NAMES = tuple(FIELDS.values())


def ours(data: bytes) -> int:
    """Our reader: the whole Activity."""
    try:
        return len(read_fit(data).samples)
    except IngestError:
        return 0


def struct_loop(data: bytes) -> int:
    """The plain struct loop baseline."""
    return len(read_records(data)["timestamp"])


def fitdecode_records(data: bytes) -> int:
    """fitdecode: every record message's fields."""
    import fitdecode

    rows = []
    reader = fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED)
    with warnings.catch_warnings(), reader:
        warnings.simplefilter("ignore")  # e.g. the COROS field-size quirk, once per message
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                rows.append({f.name: f.value for f in frame.fields if f.name in NAMES})
    return len(rows)


def fitparse_records(data: bytes) -> int:
    """fitparse: every record message's values."""
    import fitparse

    fit = fitparse.FitFile(data, check_crc=False)
    return sum(1 for message in fit.get_messages("record") if message.get_values())


def garmin_records(data: bytes) -> int:
    """garmin-fit-sdk: the decoder's record messages."""
    from garmin_fit_sdk import Decoder, Stream

    messages, _errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    return len(messages.get("record_mesgs", []))


READERS: dict[str, Callable[[bytes], int]] = {
    "ours": ours,
    "struct": struct_loop,
    "fitdecode": fitdecode_records,
    "fitparse": fitparse_records,
    "garmin": garmin_records,
    **COMPILED,
}
PEERS = ("struct", "fitdecode", "fitparse", "garmin", *COMPILED)


def median_seconds(reader: Callable[[bytes], int], data: bytes, repeats: int) -> float | None:
    """Median CPU time of `repeats` runs; None when the reader fails on the file."""
    times = run_times(reader, data, repeats)
    return None if times is None else statistics.median(times)


def _row(label: str, files: list[bytes], timings: dict[str, float | None]) -> dict[str, Any]:
    megabytes = sum(len(d) for d in files) / 1e6
    row: dict[str, Any] = {"file": label, "mb": round(megabytes, 3), "files": len(files)}
    for name, seconds in timings.items():
        row[f"{name}_s"] = seconds
        row[f"{name}_mb_s"] = None if not seconds else megabytes / seconds
        if name != "ours" and seconds and timings.get("ours"):
            row[f"ours_vs_{name}"] = seconds / timings["ours"]  # type: ignore[operator]
    return row


def run(
    corpus_dir: Path,
    *,
    repeats: int = 5,
    peer_repeats: int = 3,
    all_peers: bool = False,
    peers: tuple[str, ...] = PEERS,
) -> list[dict[str, Any]]:
    """Benchmark rows: one per REFERENCE.md table file, then all non-corrupt corpus FIT."""
    rows = []
    for label, name in TABLE:
        path = corpus_dir / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        timings = {"ours": median_seconds(ours, data, repeats)}
        for peer in peers:
            n = repeats if peer == "struct" else peer_repeats
            timings[peer] = median_seconds(READERS[peer], data, n)
        row = _row(label, [data], timings)
        row["records"] = ours(data)
        rows.append(row)
    rows.append(_all_files(corpus_dir, repeats, peer_repeats, peers if all_peers else ("struct",)))
    return rows


def _all_files(
    corpus_dir: Path, repeats: int, peer_repeats: int, peers: tuple[str, ...]
) -> dict[str, Any]:
    """Total time over every non-corrupt FIT file every reader in the row can read."""
    with (corpus_dir / "MANIFEST.csv").open(newline="") as handle:
        names = [
            r["file"]
            for r in csv.DictReader(handle)
            if r["category"] == "fit" and not r["intentionally_corrupt"]
        ]
    files = [(corpus_dir / n).read_bytes() for n in names]
    per_reader: dict[str, list[float | None]] = {
        name: [
            median_seconds(
                READERS[name], d, repeats if name in {"ours", "struct"} else peer_repeats
            )
            for d in files
        ]
        for name in ("ours", *peers)
    }
    usable = [i for i in range(len(files)) if all(t[i] is not None for t in per_reader.values())]
    timings = {name: sum(t[i] or 0.0 for i in usable) for name, t in per_reader.items()}
    row = _row(
        f"all non-corrupt FIT ({len(usable)} of {len(files)})",
        [files[i] for i in usable],
        dict(timings),
    )
    row["records"] = sum(ours(files[i]) for i in usable)
    return row


def print_table(rows: list[dict[str, Any]]) -> None:
    """The rows as a Markdown table: seconds, MB/s and how many times faster we are."""
    readers = [r for r in READERS if any(f"{r}_s" in row for row in rows)]
    head = ["file", "MB", "records"] + [f"{r} s" for r in readers] + ["ours MB/s"]
    head += [f"ours vs {r}" for r in readers if r != "ours"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        cells = [row["file"], f"{row['mb']:.2f}", str(row.get("records", ""))]
        cells += [_fmt(row.get(f"{r}_s"), "{:.4f}") for r in readers]
        cells.append(_fmt(row.get("ours_mb_s"), "{:.1f}"))
        cells += [_fmt(row.get(f"ours_vs_{r}"), "{:.1f}×") for r in readers if r != "ours"]
        print("| " + " | ".join(cells) + " |")


def _fmt(value: float | None, pattern: str) -> str:
    return "—" if value is None else pattern.format(value)


def main() -> None:
    from tests.conftest import CORPUS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="runs of ours and struct")
    parser.add_argument("--peer-repeats", type=int, default=3, help="runs of each library")
    parser.add_argument(
        "--all-peers",
        action="store_true",
        help="also time the libraries on every non-corrupt file (slow)",
    )
    parser.add_argument(
        "--peer", choices=PEERS, action="append", help="only these peers (default: all)"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = run(
        args.corpus,
        repeats=args.repeats,
        peer_repeats=args.peer_repeats,
        all_peers=args.all_peers,
        peers=tuple(args.peer or PEERS),
    )
    print_table(rows)
    print(
        f"\n(medians of {args.repeats} runs for ours/struct, {args.peer_repeats} for the "
        f"libraries; whole benchmark {time.perf_counter() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()

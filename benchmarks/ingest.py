"""Ingest benchmark (a measurement, not a test): FIT, GPX vs gpxpy, and a whole-history import.

    .venv/bin/python benchmarks/ingest.py [--activities 2000] [--skip-fit|gpx|history]

(a) the FIT section: benchmarks/ingest_fit.py's `run(corpus)` when that file exists;
(b) our GPX reader vs gpxpy on every corpus GPX file gpxpy parses (median of 3 runs);
(c) a whole-history import: a Strava-export-shaped folder (activities.csv with repeated
    column names + activities/<id>.fit.gz) built in a temp dir from the corpus running and
    cycling FIT files, replicated with timestamps shifted by whole days (so every copy is a
    new activity), then `backstride import` into a fresh SQLite home: wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import importlib.util
import os
import random
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = Path(os.environ.get("BACKSTRIDE_CORPUS", REPO.parent / "shared" / "corpus"))
DAY_S = 86_400  # a multiple of 32: compressed-timestamp headers stay valid after a shift


def main() -> int:
    """Run the sections and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--skip-fit", action="store_true")
    parser.add_argument("--skip-gpx", action="store_true")
    parser.add_argument("--skip-history", action="store_true")
    parser.add_argument("--keep", type=Path, help="build the export here once and reuse it")
    parser.add_argument("--src", type=Path, help="import with this src/ tree instead")
    args = parser.parse_args()
    if not (args.corpus / "MANIFEST.csv").is_file():
        print(f"corpus not found at {args.corpus}; nothing to measure")
        return 1
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    if not args.skip_fit:
        fit_section(args.corpus)
    if not args.skip_gpx:
        gpx_section(args.corpus)
    if not args.skip_history:
        history_section(args.corpus, args.activities, keep=args.keep, src=args.src)
    return 0


# --- (a) FIT -------------------------------------------------------------------------------


def fit_section(corpus: Path) -> None:
    """Delegate to the FIT decoder's own benchmark when it is present."""
    script = HERE / "ingest_fit.py"
    print("## (a) FIT decoding")
    if not script.is_file():
        print("benchmarks/ingest_fit.py is not present; skipped\n")
        return
    spec = importlib.util.spec_from_file_location("ingest_fit", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.run(corpus, peer_repeats=1)  # the libraries take seconds per file
    if hasattr(module, "print_table"):
        module.print_table(rows)
    else:
        for row in rows:
            print("  " + ", ".join(f"{k}={v}" for k, v in row.items()))
    print()


# --- (b) GPX -------------------------------------------------------------------------------


def gpx_section(corpus: Path) -> None:
    """Our read_gpx vs gpxpy.parse on every corpus GPX file that gpxpy parses."""
    import gpxpy

    from backstride.ingest.gpx import read_gpx

    print("## (b) GPX: backstride read_gpx vs gpxpy 1.6 (median of 3, whole corpus)")
    files = [corpus / row["file"] for row in _manifest(corpus) if row["category"] == "gpx"]
    ours_s = theirs_s = 0.0
    size = 0
    for path in files:
        data = path.read_bytes()
        try:
            gpxpy.parse(data.decode("utf-8-sig"))
        except Exception:
            continue  # gpxpy refuses it (the lat-less point); no comparison possible
        size += len(data)
        ours_s += _median_time(lambda d=data: _read_or_refuse(read_gpx, d))
        theirs_s += _median_time(lambda d=data: gpxpy.parse(d.decode("utf-8-sig")))
    mb = size / 1e6
    print(f"  {len(files)} files, {mb:.1f} MB")
    print(f"  backstride: {ours_s:.3f} s ({mb / ours_s:.1f} MB/s)")
    print(f"  gpxpy:      {theirs_s:.3f} s ({mb / theirs_s:.1f} MB/s)")
    print(f"  ratio: {theirs_s / ours_s:.1f}x faster (target >= 5x)\n")


def _read_or_refuse(reader: object, data: bytes) -> None:
    from backstride.errors import IngestError

    with contextlib.suppress(IngestError):  # routes/waypoints are refused: work done too
        reader(data)  # type: ignore[operator]


def _median_time(call: object, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- (c) whole history --------------------------------------------------------------------


def history_section(
    corpus: Path, count: int, *, keep: Path | None = None, src: Path | None = None
) -> None:
    """Build a Strava-shaped export of `count` FIT activities and time `backstride import`."""
    print(f"## (c) whole-history import of {count} activities (Strava export, .fit.gz)")
    with tempfile.TemporaryDirectory(prefix="backstride-bench-") as tmp:
        export = keep if keep is not None else Path(tmp) / "export"
        if not (export / "activities.csv").is_file():
            fit_mb, records = build_export(corpus, export, count)
            print(
                f"  built {count} activities: {fit_mb:.0f} MB of FIT, {records / 1e6:.1f} M records"
            )
        else:
            print(f"  reusing the export in {export}")
        home = Path(tmp) / "home"
        wall, peak_tree, peak_one, out, cpu = time_import(export, home, src=src)
        print(f"  `backstride import` wall time: {wall:.1f} s, CPU {cpu:.1f} s (user + system, "
              "every process; target <= 8 s wall on 2 cores)")  # fmt: skip
        print(
            f"  peak RSS: {peak_tree / 1e6:.0f} MB for the whole process tree (sampled), "
            f"{peak_one / 1e6:.0f} MB for the largest single process (target < 1 GB)"
        )
        print("  summary: " + (out.strip().splitlines() or [""])[-1])
        again, _, _, out2, cpu2 = time_import(export, home, src=src)
        print(
            f"  re-run (all duplicates): {again:.1f} s, CPU {cpu2:.1f} s; "
            + (out2.strip().splitlines() or [""])[-1]
        )
    print()


def _manifest(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "MANIFEST.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def _eligible(corpus: Path) -> list[dict[str, str]]:
    """Clean running/cycling activity files with records (no chains, no bad CRCs)."""
    return [
        row
        for row in _manifest(corpus)
        if row["category"] == "fit"
        and row["sport"] in ("running", "cycling")
        and row["fit_file_type"] == "activity"
        and row["intentionally_corrupt"] != "yes"
        and row["chained"] in ("", "0")
        and row["crc_bad"] in ("", "0")
        and row["fitdecode"] == "ok"
        and int(row["n_records"] or 0) >= 1000
    ]


def build_export(corpus: Path, export: Path, count: int) -> tuple[float, int]:
    """Write activities.csv and activities/<id>.fit.gz; returns (MB of FIT, records)."""
    rows = _eligible(corpus)
    picks = random.Random(0).choices(rows, k=count)
    (export / "activities").mkdir(parents=True)
    jobs = [(str(corpus / row["file"]), k) for k, row in enumerate(picks, 1)]
    with ProcessPoolExecutor() as pool:
        sizes = list(pool.map(_write_copy, jobs, [str(export)] * count, chunksize=20))
    _write_csv(export, picks)
    return sum(sizes) / 1e6, sum(int(row["n_records"]) for row in picks)


def _write_csv(export: Path, picks: list[dict[str, str]]) -> None:
    header = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
        "Activity Gear,Filename,Elapsed Time,Distance\n"
    )
    lines = [header]
    for k, row in enumerate(picks, 1):
        kind, gear = ("Run", f"Shoe {k % 3}") if row["sport"] == "running" else ("Ride", "Bike")
        lines.append(f"{k},x,Activity {k},{kind},1,1.0,{gear},activities/{k}.fit.gz,1,1000\n")
    (export / "activities.csv").write_text("".join(lines))


def _write_copy(job: tuple[str, int], export: str) -> int:
    path, k = job
    data = shift_fit(Path(path).read_bytes(), k * DAY_S)
    (Path(export) / "activities" / f"{k}.fit.gz").write_bytes(gzip.compress(data, 6))
    return len(data)


def shift_fit(data: bytes, shift_s: int) -> bytes:
    """A copy of a FIT file with every date-time field moved by `shift_s`, CRC recomputed."""
    from backstride.ingest.fit_crc import crc16

    out = bytearray(data)
    for offset, big in _time_fields(data):
        fmt = ">I" if big else "<I"
        (value,) = struct.unpack_from(fmt, out, offset)
        if value not in (0xFFFFFFFF, 0) and value >= 0x10000000:
            struct.pack_into(fmt, out, offset, value + shift_s)
    header = out[0]
    end = header + struct.unpack_from("<I", out, 4)[0]
    struct.pack_into("<H", out, end, crc16(bytes(out[:end])))
    return bytes(out)


#: (global message, field) pairs holding a date-time besides every field 253.
_TIME_FIELDS = {(0, 4), (18, 2), (19, 2), (34, 5), (21, 253)}


def _time_fields(data: bytes) -> list[tuple[int, bool]]:
    """Byte offsets of 4-byte timestamp fields in a single (unchained) FIT file."""
    header = data[0]
    end = header + struct.unpack_from("<I", data, 4)[0]
    pos, defs, found = header, {}, []
    while pos < end:
        byte = data[pos]
        pos += 1
        if byte & 0x80:  # compressed-timestamp data message
            size, fields, big = defs[(byte >> 5) & 0x3]
            pos += size
        elif byte & 0x40:  # definition
            big = data[pos + 1] == 1
            number = struct.unpack_from(">H" if big else "<H", data, pos + 2)[0]
            count = data[pos + 4]
            raw = data[pos + 5 : pos + 5 + 3 * count]
            pos += 5 + 3 * count
            fields, offset = [], 0
            for i in range(count):
                num, size = raw[3 * i], raw[3 * i + 1]
                if size == 4 and (num == 253 or (number, num) in _TIME_FIELDS):
                    fields.append(offset)
                offset += size
            if byte & 0x20:  # developer fields
                dev = data[pos]
                offset += sum(data[pos + 1 + 3 * i + 1] for i in range(dev))
                pos += 1 + 3 * dev
            defs[byte & 0x0F] = (offset, fields, big)
        else:
            size, fields, big = defs[byte & 0x0F]
            found.extend((pos + f, big) for f in fields)
            pos += size
    return found


def time_import(
    export: Path, home: Path, *, src: Path | None = None
) -> tuple[float, int, int, str, float]:
    """Run `backstride import` in a subprocess: (wall s, peak tree RSS, peak single RSS, out,
    CPU s of the whole process tree)."""
    env = {**os.environ, "BACKSTRIDE_HOME": str(home)}
    env.pop("BACKSTRIDE_DATABASE_URL", None)
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The report goes to a file: one line per file would fill a pipe read only at the end.
    with tempfile.TemporaryFile("w+") as report:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "backstride", "import", str(export)],
            env=env,
            stdout=report,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        peak_tree = 0
        while proc.poll() is None:
            peak_tree = max(peak_tree, _tree_rss(proc.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - start
        report.seek(0)
        out = report.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_one = after.ru_maxrss * 1024
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, peak_tree, peak_one, out, cpu


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(stat[1])
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree)


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())

"""Long FIT fuzz run: mutate self-made and small corpus FIT files and count what read_fit
does with them. Anything but an Activity or a typed IngestError is a defect; so is an
IngestError raised by the safety net around unforeseen exceptions (it has a __cause__).
With --compare, every input is also read by the pure-Python steps, and an Activity (or
error) of the compiled core that differs from theirs in any field, channel or warning is
a defect too.

    .venv/bin/python benchmarks/fuzz_fit.py --inputs 100000 --workers 2 --seconds 900
    .venv/bin/python benchmarks/fuzz_fit.py --inputs 200000 --compare --seconds 900
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from tests.conftest import CORPUS
from tests.ingest.fit_encoder import CORPUS_SEEDS, apply, random_mutations, self_made_seeds

from backstride.domain.activity import Activity
from backstride.errors import IngestError
from backstride.ingest import fit_native
from backstride.ingest.fit import activity_core_serves, read_fit

#: corpus files that reach the compiled core's strap heart-rate merge and compressed times
STRAP_AND_COMPRESSED_SEEDS = (
    "fit-python-sdk__HrmPluginTestActivity.fit",
    "python-fitparse__antfs-dump.63.fit",
    "python-fitparse__compressed-speed-distance.fit",
)


def seeds() -> list[bytes]:
    """Self-made seed files plus the small corpus seeds when the corpus is present."""
    found = self_made_seeds()
    for name in CORPUS_SEEDS + STRAP_AND_COMPRESSED_SEEDS:
        path = CORPUS / "fit" / name
        if path.is_file():
            found.append(path.read_bytes())
    return found


def outcome(data: bytes) -> str:
    """What read_fit did with one input, as a counter key."""
    try:
        activity = read_fit(data)
    except IngestError as err:
        if err.__cause__ is not None:
            return f"DEFECT safety net: {err.__cause__!r}"[:160]
        return type(err).__name__
    except Exception as err:
        return f"DEFECT {type(err).__name__}: {err}"[:160]
    return "activity with warnings" if activity.warnings else "activity"


def _read(data: bytes) -> object:
    try:
        return read_fit(data)
    except IngestError as err:
        return (type(err).__name__, str(err))


def _same_array(a: np.ndarray, b: np.ndarray) -> bool:
    return (
        a.dtype == b.dtype
        and a.shape == b.shape
        and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    )


def difference(data: bytes) -> str | None:
    """What the core's reading of `data` and the pure-Python steps' differ in, or None."""
    core = fit_native.CORE
    mine = _read(data)
    fit_native.CORE = None
    try:
        theirs = _read(data)
    finally:
        fit_native.CORE = core
    if not isinstance(theirs, Activity) or not isinstance(mine, Activity):
        return None if mine == theirs else f"result: {mine!r:.60} vs {theirs!r:.60}"
    for field in Activity.__dataclass_fields__:
        if field == "samples":
            continue
        a, b = getattr(mine, field), getattr(theirs, field)
        if a != b or type(a) is not type(b):
            return f"{field}: {a!r:.60} vs {b!r:.60}"
    if not _same_array(mine.samples.timestamp, theirs.samples.timestamp):
        return "timestamps"
    if list(mine.samples.channels) != list(theirs.samples.channels):
        return f"channels {list(mine.samples.channels)} vs {list(theirs.samples.channels)}"
    for name, values in theirs.samples.channels.items():
        if not _same_array(mine.samples.channels[name], values):
            return f"channel {name}"
    return None


def work(
    job: tuple[int, int, float, bool],
) -> tuple[Counter[str], int, list[tuple[int, str]]]:
    """Run `count` mutated inputs from random seed `seed` until `deadline`."""
    seed, count, deadline, compare = job
    warnings.simplefilter("error")  # a numpy warning on damaged input counts as a defect
    rng = random.Random(seed)
    corpus = seeds()
    counts: Counter[str] = Counter()
    examples: list[tuple[int, str]] = []
    done = 0
    for _ in range(count):
        if time.time() > deadline:
            break
        state = rng.getstate()
        data = apply(rng.choice(corpus), random_mutations(rng))
        result = outcome(data)
        if compare and not result.startswith("DEFECT"):
            if activity_core_serves(data):
                counts["compared: built by the core"] += 1
            differs = difference(data)
            if differs is not None:
                result = f"DEFECT core and Python differ: {differs}"[:200]
        counts[result] += 1
        done += 1
        if result.startswith("DEFECT") and len(examples) < 5:
            examples.append((hash(state) & 0xFFFF, result))
    return counts, done, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=900.0, help="time bound for the run")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument(
        "--compare", action="store_true", help="also check the core's Activity equals Python's"
    )
    args = parser.parse_args()
    chunks = 50
    deadline = time.time() + args.seconds
    jobs = [(args.seed + i, args.inputs // chunks, deadline, args.compare) for i in range(chunks)]
    started = time.perf_counter()
    total: Counter[str] = Counter()
    done = 0
    defects: list[tuple[int, str]] = []
    with Pool(args.workers) as pool:
        for counts, n, examples in pool.imap_unordered(work, jobs):
            total.update(counts)
            done += n
            defects.extend(examples)
    elapsed = time.perf_counter() - started
    print(
        f"{done} mutated FIT inputs in {elapsed:.1f} s on {args.workers} workers "
        f"({len(seeds())} seed files)"
    )
    for key, n in total.most_common():
        print(f"  {n:8d}  {key}")
    for seed, example in defects:
        print(f"  example (state {seed}): {example}")
    bad = sum(n for key, n in total.items() if key.startswith("DEFECT"))
    print(f"defects: {bad}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

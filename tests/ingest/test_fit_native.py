"""The compiled FIT core against the pure-Python decoder: identical tables, values, warnings
and errors on every corpus FIT file (damaged ones included) and on cut and bit-flipped
copies, for the whole profile and for what read_fit asks for."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from backstride.domain.activity import Activity
from backstride.errors import IngestError
from backstride.ingest import fit as fit_read
from backstride.ingest import fit_decode, fit_native
from backstride.ingest.fit import WANTED, read_fit
from backstride.ingest.fit_crc import crc16, crc16_loop
from backstride.ingest.fit_decode import DecodedFit, decode_fit
from backstride.ingest.fit_profile import FIT_EPOCH_S
from tests.ingest.fit_encoder import FieldSpec, FitWriter

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        fit_native.CORE is None, reason="the compiled FIT core was not built (no C compiler)"
    ),
]


def _fit_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "fit").iterdir())


def _decoded(data: bytes, wanted: fit_decode.Wanted | None) -> object:
    try:
        return decode_fit(data, wanted=wanted)
    except IngestError as err:
        return (type(err), str(err))


def _both(
    monkeypatch: pytest.MonkeyPatch, data: bytes, wanted: fit_decode.Wanted | None
) -> tuple[object, object]:
    """(with the core, pure Python): the core also serves decode_fields and time columns."""
    native = _decoded(data, wanted)
    with monkeypatch.context() as patch:
        patch.setattr(fit_native, "CORE", None)
        python = _decoded(data, wanted)
    return native, python


def _same_column(a: np.ndarray, b: np.ndarray, where: str) -> None:
    assert a.dtype == b.dtype, where
    assert a.shape == b.shape, where
    if a.dtype == object:
        assert a.tolist() == b.tolist(), where
    elif a.dtype.kind == "M":
        np.testing.assert_array_equal(a, b, err_msg=where)
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)  # NaN equals NaN here


def _assert_same(native: object, python: object, name: str) -> None:
    if not isinstance(python, DecodedFit):
        assert native == python, name
        return
    assert isinstance(native, DecodedFit), name
    assert native.warnings == python.warnings, name
    assert (native.n_files, native.n_messages) == (python.n_files, python.n_messages), name
    assert native.developer_fields == python.developer_fields, name
    assert list(native.messages) == list(python.messages), name
    for num, table in python.messages.items():
        mine = native.messages[num]
        np.testing.assert_array_equal(mine.order, table.order, err_msg=f"{name} {num}")
        for kind in ("fields", "developer"):
            theirs, ours = getattr(table, kind), getattr(mine, kind)
            assert list(ours) == list(theirs), f"{name} {table.name} {kind}"
            for field, column in theirs.items():
                _same_column(ours[field], column, f"{name} {table.name}.{field}")


@pytest.mark.parametrize("wanted", [None, WANTED], ids=["every field", "read_fit's fields"])
def test_the_core_decodes_every_corpus_file_as_the_python_decoder_does(
    corpus: Path, wanted: fit_decode.Wanted | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _fit_files(corpus)
    assert len(files) > 150
    for path in files:
        _assert_same(*_both(monkeypatch, path.read_bytes(), wanted), path.name)


def _damaged_copies(
    corpus: Path, seed: int, *, files: int, copies: int, cut: float
) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of cut (with chance `cut`) and byte-flipped copies of small files."""
    rng = random.Random(seed)
    small = [p for p in _fit_files(corpus) if p.stat().st_size < 60_000]
    for path in rng.sample(small, files):
        data = path.read_bytes()
        for _ in range(copies):
            damaged = bytearray(data)
            if rng.random() < cut:
                damaged = damaged[: rng.randrange(1, len(data))]
            for _ in range(rng.randrange(1, 6)):
                at = rng.randrange(len(damaged))
                damaged[at] = rng.randrange(256)
            yield f"{path.name} damaged", bytes(damaged)


def test_the_core_agrees_on_damaged_copies(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cuts and flipped bytes reach every stop and warning of the scan."""
    for name, copy in _damaged_copies(corpus, 16, files=25, copies=12, cut=0.4):
        for wanted in (None, WANTED):
            _assert_same(*_both(monkeypatch, copy, wanted), name)


def _assert_same_activity(mine: object, theirs: object, name: str) -> None:
    if not isinstance(theirs, Activity):
        assert mine == theirs, name
        return
    assert isinstance(mine, Activity), name
    for field in (
        "sport",
        "sub_sport",
        "start_time",
        "duration_s",
        "moving_time_s",
        "distance_m",
        "device",
        "source_format",
        "source_hash",
        "laps",
        "legs",
        "warnings",
        "name",
        "gear",
    ):
        assert getattr(mine, field) == getattr(theirs, field), f"{name} {field}"
        assert type(getattr(mine, field)) is type(getattr(theirs, field)), f"{name} {field}"
    _same_column(mine.samples.timestamp, theirs.samples.timestamp, f"{name} timestamp")
    assert list(mine.samples.channels) == list(theirs.samples.channels), name
    for channel, values in theirs.samples.channels.items():
        _same_column(mine.samples.channels[channel], values, f"{name} {channel}")


def _read_both(
    monkeypatch: pytest.MonkeyPatch, data: bytes, source_hash: str | None
) -> tuple[object, object]:
    """read_fit (the core's Activity path where it serves) and the pure-Python steps."""

    def read() -> object:
        try:
            return read_fit(data, source_hash=source_hash)
        except IngestError as err:
            return (type(err), str(err))

    native = read()
    with monkeypatch.context() as patch:
        patch.setattr(fit_native, "CORE", None)
        python = read()
    return native, python


def test_read_fit_gives_the_same_activity_with_and_without_the_core(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every field, its type, every channel (order, dtype, values) and the sha256."""
    files = _fit_files(corpus)
    declined = []
    for path in files:
        data = path.read_bytes()
        mine, theirs = _read_both(monkeypatch, data, None)
        _assert_same_activity(mine, theirs, path.name)
        if isinstance(theirs, Activity) and not fit_read.activity_core_serves(data):
            declined.append(path.name)
    # the compiled Activity path builds every activity of the corpus itself
    assert declined == []


def test_the_activity_path_agrees_on_damaged_copies(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cut and bit-flipped copies of small files: the same Activity or the same error."""
    served = 0
    for name, copy in _damaged_copies(corpus, 1716, files=40, copies=15, cut=0.3):
        served += fit_read.activity_core_serves(copy)
        _assert_same_activity(*_read_both(monkeypatch, copy, "-"), name)
    assert served > 200  # most damaged copies still go through the compiled path


def test_the_core_crc_is_the_fit_crc() -> None:
    assert fit_native.CORE is not None
    rng = random.Random(7)
    for size in [*range(40), 511, 512, 513, 4096, 100_001]:
        data = rng.randbytes(size)
        assert fit_native.CORE.crc(data) == crc16(data) == crc16_loop(data), size


def test_a_date_time_held_as_a_byte_array_keeps_its_first_byte_as_python_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A damaged definition gives record.timestamp as 4 bytes: only a row of all 0xFF is
    invalid, also when just the first byte (0xFF here) is kept as the time."""
    writer = FitWriter().define(0, 20, [FieldSpec(253, 0x0D, 4), FieldSpec(3, 2)])
    writer.message(0, [0xFF, 1, 2, 3], 150).message(0, [0xFF] * 4, 151)
    native, python = _both(monkeypatch, writer.to_bytes(), None)
    _assert_same(native, python, "byte-array time")
    assert isinstance(native, DecodedFit)
    stamps = native.messages[20].fields["timestamp"]
    assert stamps[0] == np.datetime64(FIT_EPOCH_S * 1000 + 255_000, "ms")
    assert np.isnat(stamps[1])

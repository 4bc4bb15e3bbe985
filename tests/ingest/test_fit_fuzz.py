"""Fuzzing: any mutation of a FIT file yields an Activity or a typed IngestError, never
another exception (and never the safety net that wraps unforeseen ones)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.errors import IngestError
from backstride.ingest.fit import decode_fit, read_fit
from tests.ingest.fit_encoder import CORPUS_SEEDS, KINDS, Mutation, apply, self_made_seeds

SEEDS = self_made_seeds()
MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.floats(0, 1, allow_nan=False),
        st.integers(0, 2**32 - 1),
    ),
    min_size=1,
    max_size=4,
)


def assert_reads_or_raises_typed_error(data: bytes) -> None:
    """The reader's whole contract on hostile input."""
    for reader in (read_fit, decode_fit):
        raised: IngestError | None = None
        try:
            reader(data)
        except IngestError as err:
            raised = err
        if raised is not None:
            assert raised.__cause__ is None, f"unforeseen {raised.__cause__!r}"
            assert "\n" not in str(raised)


@settings(max_examples=300, deadline=None)
@given(seed=st.sampled_from(range(len(SEEDS))), mutations=MUTATIONS)
def test_mutated_self_made_files_only_ever_raise_ingest_errors(
    seed: int, mutations: list[Mutation]
) -> None:
    assert_reads_or_raises_typed_error(apply(SEEDS[seed], mutations))


@pytest.mark.corpus
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(CORPUS_SEEDS), mutations=MUTATIONS)
def test_mutated_corpus_files_only_ever_raise_ingest_errors(
    corpus: Path, name: str, mutations: list[Mutation]
) -> None:
    assert_reads_or_raises_typed_error(apply((corpus / "fit" / name).read_bytes(), mutations))


@given(data=st.binary(max_size=300))
def test_random_bytes_only_ever_raise_ingest_errors(data: bytes) -> None:
    assert_reads_or_raises_typed_error(b".FIT"[: len(data) % 5] + data)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(min_size=0, max_size=200))
def test_random_message_streams_behind_a_valid_header_only_raise_ingest_errors(
    data: bytes,
) -> None:
    header = bytes([12, 0x10, 0, 0]) + len(data).to_bytes(4, "little") + b".FIT"
    assert_reads_or_raises_typed_error(header + data + b"\x00\x00")

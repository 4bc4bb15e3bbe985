"""Static discovery of `pytest.mark.covers` and the record -> sources -> tests trace."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.errors import InputError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import PreventionItem
from backstride.knowledge.labels import plain
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.served import records_served
from backstride.knowledge.trace import (
    build_trace,
    find_covers,
    find_produced,
    produced_ids,
    read_log,
)
from backstride.plan import build_plan
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import case, result
from tests.provenance import assert_labelled, assert_produced

KB = load_knowledge_base()

SAMPLE = """
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest import mark

pytestmark = [pytest.mark.covers("module-wide")]


@pytest.mark.covers("walking", "bird-dog")
def test_decorated() -> None:
    assert True


@pytest.mark.parametrize(
    "x",
    [
        pytest.param(1, marks=pytest.mark.covers("in-param")),
        pytest.param(2, marks=[pytest.mark.slow, mark.covers("in-list")]),
    ],
)
def test_parametrized(x: int) -> None:
    assert x


@pytest.mark.covers("on-class")
class TestGroup:
    pytestmark = pytest.mark.covers("class-mark")

    @pytest.mark.covers("on-method")
    def test_method(self) -> None:
        assert True

    def helper(self) -> None:
        pass


def helper_not_a_test() -> None:
    covers = pytest.mark.covers("ignored")
"""


@pytest.fixture
def tests_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tests" / "sub"
    folder.mkdir(parents=True)
    (folder / "test_sample.py").write_text(textwrap.dedent(SAMPLE), encoding="utf-8")
    (folder / "helpers.py").write_text('import pytest\nX = pytest.mark.covers("not-a-test-file")\n')
    return tmp_path / "tests"


def test_covers_are_found_on_functions_params_classes_and_modules(tests_dir: Path) -> None:
    covers = find_covers(tests_dir)
    decorated = "tests/sub/test_sample.py::test_decorated"
    method = "tests/sub/test_sample.py::TestGroup::test_method"
    assert covers["walking"] == (decorated,)
    assert covers["in-param"] == ("tests/sub/test_sample.py::test_parametrized",)
    assert covers["in-list"] == ("tests/sub/test_sample.py::test_parametrized",)
    assert covers["on-method"] == (method,)
    assert covers["class-mark"] == (method,)
    assert covers["on-class"] == (method,)
    assert len(covers["module-wide"]) == 3


def test_helpers_and_non_test_files_are_ignored(tests_dir: Path) -> None:
    covers = find_covers(tests_dir)
    assert "ignored" not in covers
    assert "not-a-test-file" not in covers


def test_a_record_only_named_by_covers_marks_is_covered_by_text_checks_only(
    tests_dir: Path,
) -> None:
    trace = build_trace(KB, find_covers(tests_dir), find_produced(tests_dir))
    rows = {row.record_id: row for row in trace.rows}
    assert rows["walking"].tests == ()
    assert rows["walking"].text_only == ("tests/sub/test_sample.py::test_decorated",)
    assert rows["walking"].sources == KB.get("walking").sources
    assert rows["walking"].kind == "exercise"
    assert "walking" in trace.uncovered
    assert "walking" in trace.text_only
    assert "childs-pose" not in trace.text_only
    assert "module-wide" in trace.unknown


PRODUCED = """
import pytest
from tests.provenance import assert_labelled, assert_produced, assert_said


@pytest.mark.covers("walking", "bird-dog")
def test_engine(plan) -> None:
    assert_produced(plan, "walking")


def test_names_only() -> None:
    assert "bird-dog" in "bird-dog text"


def test_rendered(text, served) -> None:
    assert_labelled(text, served, "label.trend.same")
    assert_said(text, served, "progress", "trend", trend="about the same")
"""


def test_only_an_assert_produced_call_makes_a_record_covered_by_behaviour(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_p.py").write_text(PRODUCED, encoding="utf-8")
    folder = tmp_path / "tests"
    trace = build_trace(KB, find_covers(folder), find_produced(folder))
    rows = {row.record_id: row for row in trace.rows}
    assert rows["walking"].tests == ("tests/test_p.py::test_engine",)
    assert rows["bird-dog"].tests == ()
    assert rows["bird-dog"].text_only == ("tests/test_p.py::test_engine",)
    rendered = ("tests/test_p.py::test_rendered",)
    assert (rows["label.trend.same"].tests, rows["text.progress"].tests) == (rendered, rendered)
    assert trace.unknown == {}  # the screen and sentence names are not taken for record ids


def test_a_run_log_is_the_evidence_when_given(tmp_path: Path) -> None:
    log = tmp_path / "trace.jsonl"
    log.write_text('{"record": "walking", "test": "tests/a.py::test_b[x]"}\n', encoding="utf-8")
    trace = build_trace(KB, {}, read_log(log))
    assert {row.record_id: row for row in trace.rows}["walking"].tests == ("tests/a.py::test_b[x]",)
    log.write_text("not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        read_log(log)


def test_the_run_logs_of_several_folders_are_merged(tmp_path: Path) -> None:
    first, second = tmp_path / "plan.jsonl", tmp_path / "report.jsonl"
    first.write_text('{"record": "walking", "test": "tests/plan/a.py::t"}\n', encoding="utf-8")
    lines = [
        '{"record": "walking", "test": "tests/report/b.py::t"}',
        '{"record": "ice", "test": "x"}',
    ]
    second.write_text("\n".join(lines) + "\n", encoding="utf-8")
    merged = read_log(first, second)
    assert merged["walking"] == ("tests/plan/a.py::t", "tests/report/b.py::t")
    assert merged["ice"] == ("x",)


def test_a_label_counts_only_when_the_lookup_served_it_and_the_text_shows_it() -> None:
    with records_served() as served:
        words = plain(KB, "trend", "improving")
    assert served == {"label.trend.improving"}
    assert_labelled(f"Trend: {words}.", served, "label.trend.improving")
    with pytest.raises(AssertionError, match="not looked up"):
        assert_labelled(f"Trend: {words}.", served, "label.trend.worse")
    with pytest.raises(AssertionError, match="not in"):
        assert_labelled("Trend: improving.", served, "label.trend.improving")
    plain(KB, "trend", "worse")  # outside the block: nothing is collected
    assert served == {"label.trend.improving"}


@pytest.mark.covers("phase.settle", "superficial-heat")
def test_the_ids_an_engine_output_carries_are_its_provenance_fields_only() -> None:
    plan = build_plan(
        result(KB), case(), [], [], date(2026, 11, 23), KB, shoe_inspection_km=SHOE_INSPECTION_KM
    )
    carried = produced_ids(plan)
    assert {"phase.settle", "superficial-heat", "text.settle.heat"} <= carried
    assert "nice-ng59" not in carried  # sources are not records
    assert_produced(plan, "phase.settle", "superficial-heat")
    absent = "no-such-record"
    with pytest.raises(AssertionError, match=absent):
        assert_produced(plan, absent)


def test_a_nested_id_prefixed_by_its_record_counts_for_the_record() -> None:
    trace = build_trace(KB, {}, {"walking.step-2": ("tests/test_x.py::test_y",)})
    rows = {row.record_id: row for row in trace.rows}
    assert rows["walking"].tests == ("tests/test_x.py::test_y",)
    assert trace.unknown == {}


def test_a_missing_tests_folder_is_a_clear_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--tests: expected a directory"):
        find_covers(tmp_path / "absent")


def test_a_test_file_with_a_syntax_error_is_named(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_broken.py").write_text("def test_(:\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"tests/test_broken\.py: cannot parse"):
        find_covers(tmp_path / "tests")


def test_this_repository_covers_records_with_its_own_tests() -> None:
    repo_tests = Path(__file__).resolve().parents[1]
    trace = build_trace(KB, find_covers(repo_tests), find_produced(repo_tests))
    rows = {row.record_id: row for row in trace.rows}
    assert (
        "tests/knowledge/test_claims.py::test_ice_is_optional_comfort_and_heat_has_the_better_evidence"
        in rows["ice"].text_only
    )
    assert (
        "tests/knowledge/test_trace.py::test_the_ids_an_engine_output_carries_are_its_provenance_fields_only"
        in rows["phase.settle"].tests
    )


def test_the_longest_record_id_prefix_wins_for_dotted_ids() -> None:
    records = {
        rid: PreventionItem(id=rid, title="T", category="load", advice="A.", sources=("nice-ng59",))
        for rid in ("referral", "referral.chronic")
    }
    kb = KnowledgeBase(version="t", digest="0" * 64, sources=KB.sources, records=records)
    trace = build_trace(kb, {}, {"referral.chronic.long-pain": ("tests/test_x.py::test_y",)})
    rows = {row.record_id: row for row in trace.rows}
    assert rows["referral.chronic"].tests == ("tests/test_x.py::test_y",)
    assert rows["referral"].tests == ()


COMPREHENSIONS = """
import pytest
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.covers(n)) for n in ("alpha", "beta")]
)
def test_names(name: str) -> None:
    assert name


@pytest.mark.parametrize(
    ("name", "size"),
    [pytest.param(n, s, marks=pytest.mark.covers(n)) for n, s in [("gamma", 1), ("delta", 2)]],
)
def test_pairs(name: str, size: int) -> None:
    assert size
"""


def test_covers_bound_by_a_comprehension_over_literals_are_found(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_comp.py").write_text(COMPREHENSIONS, encoding="utf-8")
    covers = find_covers(tmp_path / "tests")
    assert covers["alpha"] == covers["beta"] == ("tests/test_comp.py::test_names",)
    assert covers["gamma"] == covers["delta"] == ("tests/test_comp.py::test_pairs",)
    assert set(covers) == {"alpha", "beta", "gamma", "delta"}


@given(st.sets(st.sampled_from(sorted(KB.records)), max_size=25))
def test_exactly_the_named_records_are_covered(named: set[str]) -> None:
    trace = build_trace(KB, {}, dict.fromkeys(named, ("tests/test_x.py::test_y",)))
    assert set(trace.uncovered) == set(KB.records) - named
    assert trace.unknown == {}
    assert len(trace.rows) == len(KB.records)

"""The cohort report in process: its wording is the knowledge base's, filled with counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backstride.ingest.archive import Limits
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.cohort import CohortText
from backstride.services.cohort import CohortSummary
from backstride.services.cohort_report import cohort_report
from backstride.services.cohort_runner import analyse_runner
from backstride.services.cohort_tables import write_runner
from tests.cohort.builders import SPIKY_RUNS, write_runs
from tests.defaults import SHOE_INSPECTION_KM
from tests.provenance import assert_produced


@pytest.fixture
def diaryless_cohort(tmp_path: Path) -> Path:
    """One analysed runner without a diary, written as `cohort analyze` writes it."""
    folder = tmp_path / "source" / "solo"
    write_runs(folder, SPIKY_RUNS)
    out = tmp_path / "out"
    write_runner(
        out, "solo", analyse_runner(folder, limits=Limits(), shoe_inspection_km=SHOE_INSPECTION_KM)
    )
    summary = CohortSummary(runners=1, analysed=1, activities=len(SPIKY_RUNS))
    (out / "summary.json").write_text(json.dumps(summary.as_json()))
    return out


@pytest.mark.covers(
    "cohort.pain-after-spike.none", "cohort.chart.pain", "cohort.chart.spikes",
    "cohort.chart.weekly",
)  # fmt: skip
def test_without_diaries_the_report_says_pain_is_not_compared_and_still_charts(
    diaryless_cohort: Path, tmp_path: Path
) -> None:
    texts = {t.id: t for t in load_knowledge_base().of(CohortText)}
    chart = tmp_path / "chart.svg"

    report = cohort_report(diaryless_cohort, chart=chart)

    assert "  " + texts["cohort.pain-after-spike.none"].text in report.text_lines()
    assert_produced(
        report, "cohort.pain-after-spike.none", "cohort.chart.pain", "cohort.chart.spikes",
        "cohort.chart.weekly",
    )  # fmt: skip
    svg = chart.read_text()
    for key in ("cohort.chart.pain", "cohort.chart.spikes", "cohort.chart.weekly"):
        assert texts[key].text.split(" ")[0] in svg


def test_a_chart_path_that_is_not_png_or_svg_is_refused(diaryless_cohort: Path) -> None:
    from backstride.errors import InputError

    with pytest.raises(InputError, match=r"--out must end in \.png or \.svg"):
        cohort_report(diaryless_cohort, chart=Path("chart.pdf"))


@pytest.mark.parametrize("words", ["risk of injury", "chance of pain", "spikes causes pain"])
def test_cohort_wording_that_states_a_risk_or_cause_does_not_load(words: str) -> None:
    with pytest.raises(ValueError, match="describes associations"):
        CohortText(id="cohort.x", text=f"More {words}", sources=("frandsen-2025",))


BLOCK_EXTRA = """
import sys

class WithoutCohortExtra:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("dask", "distributed", "pyarrow"):
            raise ImportError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, WithoutCohortExtra())
from backstride.cli.app import main
main(sys.argv[1:])
"""


def test_without_the_cohort_extra_the_command_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "source" / "solo").mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_EXTRA, "cohort", "analyze", str(tmp_path / "source"),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "backstride: error: cohort analysis needs the cohort extra: "
        "pip install 'backstride[cohort]'"
    ]
    assert not (tmp_path / "out").exists()

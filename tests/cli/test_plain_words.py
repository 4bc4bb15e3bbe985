"""Plain words for people, ids for programs: no command shows a person a rule or record id.

Every human-facing output (terminal text, Markdown, HTML, PDF) of every command a runner
uses is scanned for snake_case identifiers and for any id of the knowledge base, source ids
included (a source reads as "Hill et al. 2011"). JSON, the
export and the clinician report keep their ids; `kb` is the tool for inspecting records
by id, so it is left out on purpose.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
import yaml

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.rules import RedFlag
from tests.activity_files import gpx_bytes, straight_run
from tests.cli.test_plan_cli import FIXED, SELF_CARE
from tests.conftest import run_backstride

VIGNETTES = Path(__file__).resolve().parents[1] / "assess" / "vignettes.yaml"
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
#: A few vignettes covering every urgency, red flags, referrals, weak flags and patterns.
CASES = ("simple_mechanical_after_long_run", "cauda_equina_bladder", "new_gait_disturbance")


def _kb_ids() -> set[str]:
    kb = load_knowledge_base()
    ids = {i for i in kb.records if "." in i or "_" in i}
    ids |= set(kb.sources)  # a person reads "NICE 2016", not nice-ng59
    for flag in kb.of(RedFlag):
        ids |= {t.id for t in (*flag.triggers, *flag.weak_triggers)}
    return ids


KB_IDS = _kb_ids()


def ids_in(text: str, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """The snake_case words and knowledge-base ids a person would see in `text`."""
    for part in ignore:
        text = text.replace(part, " ")
    found = set(SNAKE.findall(text))
    found |= {i for i in KB_IDS if re.search(rf"(?<![\w/.-]){re.escape(i)}(?![\w-])", text)}
    return sorted(found)


def test_the_scanner_finds_the_ids_people_complained_about() -> None:
    for text in (
        "Because: no leg pain (pattern.nonspecific.no_leg_signs)",
        "left out for: worse_bending_forward",
        "Why: new bladder_change.",
        "Warning signs: cauda_equina",
        "see duration.acute",
        "(nice-ng59, girft-cauda-equina)",
    ):
        assert ids_in(text), text
    assert ids_in("Non-specific (mechanical) low back pain; 2.5 km; e.g. NICE 2016") == []


def _vignette(name: str) -> Path:
    vignettes = yaml.safe_load(VIGNETTES.read_text(encoding="utf-8"))["vignettes"]
    return next(v["case"] for v in vignettes if v["id"] == name)


@pytest.mark.parametrize("name", CASES)
def test_the_assessment_result_for_a_person_shows_no_ids(
    home: Path, tmp_path: Path, name: str
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(_vignette(name)), encoding="utf-8")
    for extra in ((), ("--sources",)):
        result = run_backstride("assess", "--input", str(case), *extra)
        assert result.code == 0, result.stderr
        assert ids_in(result.stdout) == []


def test_a_self_care_result_shows_at_most_three_sources_unless_asked(
    home: Path, tmp_path: Path
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(_vignette(CASES[0])), encoding="utf-8")
    short = run_backstride("assess", "--input", str(case)).stdout
    full = run_backstride("assess", "--input", str(case), "--sources").stdout
    section = short.split("Sources", 1)[1].split("backstride gives", 1)[0]
    assert len(re.findall(r"\(\d{4}\)\.", section)) == 3
    assert "add --sources to see them all" in short
    assert len(re.findall(r"\(\d{4}\)\.", full)) > 3


@pytest.mark.parametrize("fmt", ["text", "md", "html", "pdf"])
def test_every_plan_format_for_a_person_shows_no_ids(home: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"plan.{fmt}"
    result = run_backstride(
        "plan", "--input", SELF_CARE, "--format", fmt, "--out", str(out), *FIXED
    )
    assert result.code == 0, result.stderr
    if fmt == "pdf":
        pages = pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages
        text = "\n".join(page.extract_text() for page in pages)
        text = text[text.index("Your back and running plan") :]  # after the clinician page
    else:
        text = out.read_text(encoding="utf-8")
    if fmt == "html":
        text = re.sub(r'<section class="clinician-page".*?</section>', " ", text, flags=re.S)
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)  # markup (classes, anchors) is not read
    assert ids_in(text) == []
    assert "add --sources to see them all" in text.replace("\n", " ")


def test_the_runner_commands_show_no_ids(home: Path, tmp_path: Path) -> None:
    run = tmp_path / "run.gpx"
    run.write_bytes(gpx_bytes([straight_run(900)]))
    outputs = [
        run_backstride("start", "--no-interactive"),
        run_backstride("import", str(run)),
        run_backstride("analyze", "--since", "2021-04-01", "--as-of", "2021-05-10"),
        run_backstride("shoes", "add", "Trainer A"),
        run_backstride("shoes", "list"),
        run_backstride("diary", "add", "--date", "2021-05-02", "--pain", "5"),
        run_backstride("diary", "add", "--date", "2021-05-03", "--pain", "3", "--during-run", "2"),
        run_backstride("diary", "list"),
        run_backstride("progress", "--today", "2021-05-03"),
        run_backstride("activity", "summary", str(run)),
        run_backstride("forget", input_text="n\n"),
    ]
    for result in outputs:
        assert result.code == 0, result.stderr
        assert ids_in(result.stdout + result.stderr, ignore=(str(tmp_path),)) == []

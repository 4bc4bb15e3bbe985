"""`backstride chart` end to end: refuses an empty history, writes readable image files."""

from __future__ import annotations

import pytest

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.texts import screen_text
from tests.cli.analytics_store import PERIOD, imported_home
from tests.conftest import run_backstride


def test_a_chart_of_an_empty_history_is_one_line_and_exit_code_two(cli, tmp_path):
    result = run_backstride("chart", "load", "--out", str(tmp_path / "load.png"))
    assert result.code == 2
    assert result.stderr.strip() == (
        "backstride: error: no running activities imported yet: run `backstride import PATH` first"
    )
    assert not (tmp_path / "load.png").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("speed", "--out", "x.png"), "chart must be one of load, cadence, form, shoes"),
        (("load", "--out", "x.jpg"), "--out must end in .png or .svg"),
    ],
)
def test_unknown_charts_and_file_types_are_refused(cli, args, message):
    result = run_backstride("chart", *args)
    assert result.code == 2
    assert message in result.stderr


@pytest.mark.corpus
def test_every_chart_of_imported_runs_is_written(tmp_path, corpus):
    env = imported_home(tmp_path / "home", corpus)
    assert run_backstride("shoes", "add", "Racer", "--start-km", "120", env=env).code == 0
    for kind, suffix in (
        ("load", ".png"),
        ("cadence", ".svg"),
        ("form", ".png"),
        ("shoes", ".png"),
    ):
        out = tmp_path / f"{kind}{suffix}"
        result = run_backstride("chart", kind, "--out", str(out), *PERIOD, env=env)
        assert result.code == 0, result.stderr
        assert result.stdout.strip() == f"Wrote {kind} chart to {out}"
        data = out.read_bytes()
        assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data[:400]
        assert len(data) > 10_000
    # The SVG keeps each text as a comment beside its glyphs: the words are the record's.
    svg = (tmp_path / "cadence.svg").read_text(encoding="utf-8")
    kb = load_knowledge_base()
    for name in ("cadence_title", "cadence_axis", "speed_scale"):
        assert f"<!-- {screen_text(kb, 'charts', name)} -->" in svg

"""`backstride analyze` end to end: empty history, real imported runs, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.analytics_store import PERIOD, RUNS, imported_home
from tests.conftest import run_backstride


def flat(text: str) -> str:
    """Terminal text with Rich's line wrapping undone."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> dict[str, str]:
    return imported_home(tmp_path_factory.mktemp("home"), corpus)


def test_an_empty_history_gets_a_friendly_message_and_exit_code_zero(cli):
    result = run_backstride("analyze")
    assert result.code == 0
    assert "No runs imported yet" in flat(result.stdout)
    assert "`backstride import PATH`" in flat(result.stdout)


def test_an_empty_history_in_json_has_no_runs_and_no_findings(cli):
    result = run_backstride("analyze", "--format", "json")
    data = json.loads(result.stdout)
    assert (data["runs"], data["findings"]) == (0, [])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "last week"), "--since must be YYYY-MM-DD"),
        (("--format", "xml"), "--format must be text or json"),
        (("--since", "2024-03-05", "--as-of", "2024-03-01"), "--since must be on or before"),
    ],
)
def test_bad_options_are_one_line_errors_with_exit_code_two(cli, args, message):
    result = run_backstride("analyze", *args)
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        f"backstride: error: {result.stderr.split('error: ')[1].strip()}"
    ]
    assert message in result.stderr


@pytest.mark.corpus
def test_imported_runs_are_analysed_in_text(store):
    result = run_backstride("analyze", *PERIOD, env=store)
    assert result.code == 0, result.stderr
    text = flat(result.stdout)
    assert "Training analysis 2015-01-01 – 2024-03-02" in text
    assert f"{len(RUNS)} runs in your history" in text
    assert "contested measure" in text
    assert "not a diagnosis" in text


@pytest.mark.corpus
def test_the_json_form_is_stable_and_complete(store):
    first = run_backstride("analyze", *PERIOD, "--format", "json", env=store)
    second = run_backstride("analyze", *PERIOD, "--format", "json", env=store)
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["schema"] == "backstride.analysis/1"
    assert data["runs"] == len(RUNS)
    assert set(data["metrics"]) >= {"acwr", "acwr_method", "acwr_note", "monotony_7_days"}
    assert all(week["distance_km"] > 0 for week in data["weeks"])


@pytest.mark.corpus
def test_a_worn_shoe_appears_as_a_cited_finding(tmp_path, corpus):
    env = imported_home(tmp_path / "home", corpus)
    assert run_backstride("shoes", "add", "Old pair", "--start-km", "580", env=env).code == 0
    assigned = run_backstride("shoes", "assign", "Old pair", "--since", "2015-01-01", env=env)
    assert assigned.stdout.strip() == f"Assigned 'Old pair' to {len(RUNS)} activities."
    data = json.loads(run_backstride("analyze", *PERIOD, "--format", "json", env=env).stdout)
    shoe = [f for f in data["findings"] if f["id"] == "shoe_inspection_due"]
    assert len(shoe) == 1
    assert shoe[0]["sources"] == ["malisoux-2015"]
    assert shoe[0]["metrics"]["distance_km"] > 600
    text = flat(run_backstride("analyze", *PERIOD, env=env).stdout)
    assert "Time to look at your shoe “Old pair”" in text


def gpx_run(day: str, km: float) -> bytes:
    """A GPX run heading north at 3.3 m/s, one point every 10 s, starting 07:00 UTC."""
    step_deg = 33.0 / 111_195.0  # 33 m per 10 s
    points = []
    for i in range(int(km * 1000 / 33.0) + 1):
        seconds = 7 * 3600 + 10 * i
        stamp = f"{day}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}Z"
        points.append(
            f'<trkpt lat="{46.0 + i * step_deg:.7f}" lon="14.5"><time>{stamp}</time></trkpt>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>running</type><trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()


@pytest.fixture
def spiky_history(cli, tmp_path: Path) -> Path:
    """Four weeks of 6 km every other day, then a 14 km run: a Frandsen 30-100 % spike."""
    folder = tmp_path / "runs"
    folder.mkdir()
    days = [f"2024-01-{d:02d}" for d in range(1, 29, 2)]
    for day in days:
        (folder / f"{day}.gpx").write_bytes(gpx_run(day, 6.0))
    (folder / "2024-01-30.gpx").write_bytes(gpx_run("2024-01-30", 14.0))
    result = run_backstride("import", str(folder))
    assert result.code == 0, result.stderr
    return folder


UTC_DAYS = {"TZ": "UTC"}  # run days are local days: pin the zone so the dates hold anywhere


def test_a_long_run_after_short_ones_is_reported_with_its_band_and_source(spiky_history):
    period = ("--since", "2024-01-29", "--as-of", "2024-02-04")
    data = json.loads(run_backstride("analyze", *period, "--format", "json", env=UTC_DAYS).stdout)
    spikes = [f for f in data["findings"] if f["id"] == "single_run_spike"]
    assert len(spikes) == 1
    assert spikes[0]["on"] == "2024-01-30"
    assert spikes[0]["sources"] == ["frandsen-2025"]
    assert spikes[0]["metrics"]["increase_pct"] == pytest.approx(133.3, abs=1.0)
    assert spikes[0]["severity"] == "attention"
    text = flat(run_backstride("analyze", *period, env=UTC_DAYS).stdout)
    pct = spikes[0]["metrics"]["increase_pct"]
    assert f"ATTENTION A run {pct:.0f} % longer than your recent longest" in text
    assert "(>100 % band)" in text
    assert "% injury risk" not in text


def test_the_load_chart_of_that_history_is_written(spiky_history, tmp_path):
    out = tmp_path / "load.png"
    result = run_backstride(
        "chart", "load", "--out", str(out), "--since", "2024-01-01", "--as-of", "2024-02-04"
    )
    assert result.code == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")

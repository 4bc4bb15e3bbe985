"""Each command imports only what it needs: the third-party packages a real process loads
for `--version`, `activity summary`, `assess` and `diary add` are pinned here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.activity_files import gpx_bytes, straight_run
from tests.ingest.fit_encoder import activity_writer

#: Runs the CLI in this process, then writes the loaded modules to the file named first.
PROBE = """
import json, sys
out, *argv = sys.argv[1:]
from backstride.cli.app import main
try:
    main(argv)
except SystemExit:
    pass
json.dump(sorted(sys.modules), open(out, "w"))
"""
#: Packages no command of these four may pull in (web, reports, plots, migrations).
HEAVY = {
    "alembic", "fastapi", "jinja2", "matplotlib", "weasyprint", "uvicorn", "starlette",
    "icalendar", "dask", "pyarrow", "polars", "mako",
}  # fmt: skip
SUMMARY_PACKAGES = {"click", "numpy"}  # plain click: no Typer
#: pydantic and what it loads; the settings' default home comes from platformdirs.
PYDANTIC = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions",
            "typing_inspection"}  # fmt: skip
#: `diary add` stores one entry through the database driver (the standard library's
#: sqlite3): the CLI, the settings; no SQLAlchemy, numpy, YAML or Rich.
DIARY_PACKAGES = {"click", "typer", "shellingham", "annotated_doc", "platformdirs",
                  *PYDANTIC}  # fmt: skip
CASE = {
    "age": 38,
    "sex": "female",
    "pain": {"intensity": 5, "worst_24h": 7, "started_days_ago": 9, "onset": "after_run",
             "locations": ["low_back_central"], "worse_with": ["running"],
             "better_with": ["movement"]},
    "history": {"self_care_weeks": 2, "trend": "improving", "previous_episodes": 1},
    "start_back": [True, False, False, False, False, False, False, False, "slightly"],
}  # fmt: skip


def _loaded(tmp_path: Path, *argv: str, stdin: str = "") -> tuple[set[str], set[str]]:
    """(third-party top-level packages, backstride subpackages) a command imported."""
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        # Bytecode and the knowledge-base cache are used and written as in an install.
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        timeout=120,
        check=False,
    )
    modules = json.loads(out.read_text())
    stdlib = set(sys.stdlib_module_names)
    top = {m.split(".")[0] for m in modules}
    third = {m for m in top if m not in stdlib and not m.startswith("_")} - {
        "backstride",
        "cython_runtime",
    }
    ours = {m.split(".")[1] for m in modules if m.startswith("backstride.")}
    return third, ours


def test_version_imports_click_alone(home: Path, tmp_path: Path) -> None:
    third, ours = _loaded(tmp_path, "--version")
    assert third == {"click"}
    assert ours <= {"cli", "errors"}


@pytest.mark.parametrize("kind", ["fit", "gpx"])
def test_activity_summary_imports_the_decoder_and_no_store(
    home: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / f"run.{kind}"
    if kind == "fit":
        path.write_bytes(activity_writer(30).to_bytes())
    else:
        path.write_bytes(gpx_bytes([straight_run(30)]))
    third, ours = _loaded(tmp_path, "activity", "summary", str(path), "--format", "json")
    assert third == SUMMARY_PACKAGES | ({"lxml"} if kind == "gpx" else set())
    assert ours <= {"cli", "errors", "ingest", "domain", "services"}


def test_assess_imports_neither_the_store_nor_numpy(home: Path, tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE), encoding="utf-8")
    third, ours = _loaded(tmp_path, "assess", "--input", str(case), "--format", "json")
    assert not third & (HEAVY | {"sqlalchemy", "numpy", "lxml", "rich"}), third
    assert not ours & {"storage", "ingest"}


def test_diary_add_imports_no_web_report_or_migration_code(home: Path, tmp_path: Path) -> None:
    day = ["diary", "add", "--date", "2026-11-21", "--pain", "4", "--worst", "6"]
    _loaded(tmp_path, *day, "--morning", "3", stdin="n\n")  # the first run creates the store
    day[3] = "2026-11-22"
    third, ours = _loaded(tmp_path, *day, "--morning", "3", stdin="n\n")
    assert third == DIARY_PACKAGES  # no SQLAlchemy, pydantic-settings, numpy, YAML or Rich
    assert not ours & {"ingest", "report", "web", "analytics"}
    assert "sqlite3" in _modules(tmp_path)
    assert "backstride.plan.build" not in _modules(tmp_path)  # the re-triage alone


def test_analyze_on_an_empty_home_imports_no_yaml_web_store_library_or_migration_code(
    home: Path, tmp_path: Path
) -> None:
    _loaded(tmp_path, "analyze")  # the first run creates the store
    third, ours = _loaded(tmp_path, "analyze")
    assert not third & (HEAVY | {"lxml", "yaml", "pydantic_settings", "sqlalchemy"}), third
    assert not ours & {"ingest", "report", "web"}


def _modules(tmp_path: Path) -> set[str]:
    """Every module the last `_loaded` run imported."""
    return set(json.loads((tmp_path / "modules.json").read_text()))


def test_settings_read_the_environment_whatever_the_case_and_arguments_win(
    tmp_path: Path,
) -> None:
    from pydantic import ValidationError

    from backstride.config import Settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("backstride_workers", "3")
        patch.setenv("BACKSTRIDE_HOME", str(tmp_path))
        patch.setenv("BACKSTRIDE_SHOE_INSPECTION_KM", "700")
        settings = Settings()
        assert (settings.workers, settings.home, settings.shoe_inspection_km) == (
            3, tmp_path, 700.0,
        )  # fmt: skip
        assert Settings(workers=2, home=tmp_path / "other").workers == 2
        assert Settings(home=tmp_path / "other").home == tmp_path / "other"
        patch.setenv("BACKSTRIDE_SHOE_INSPECTION_KM", "5")
        with pytest.raises(ValidationError, match="shoe_inspection_km"):
            Settings()


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"BACKSTRIDE_MAX_FILE_BYTES": "1000", "BACKSTRIDE_MAX_COMPRESSION_RATIO": "7.5"},
        {"backstride_max_archive_total_bytes": "123456"},
    ],
    ids=["defaults", "set", "lower-case"],
)
def test_the_light_limits_reader_agrees_with_settings(env: dict[str, str]) -> None:
    from backstride.cli.limits import file_limits
    from backstride.config import Settings
    from backstride.services.activities import limits_from

    clean = {k: v for k, v in os.environ.items() if not k.lower().startswith("backstride_max")}
    with pytest.MonkeyPatch.context() as patch:
        for key in os.environ.keys() - clean.keys():
            patch.delenv(key)
        for key, value in env.items():
            patch.setenv(key, value)
        assert file_limits() == limits_from(Settings())


@pytest.mark.parametrize("value", ["0", "-3", "many", "1.5"])
def test_a_bad_limit_in_the_environment_is_one_plain_error(value: str) -> None:
    from backstride.cli.limits import file_limits
    from backstride.errors import InputError

    with pytest.raises(InputError, match="BACKSTRIDE_MAX_FILE_BYTES must be a whole number"):
        file_limits({"BACKSTRIDE_MAX_FILE_BYTES": value})


def test_the_heads_read_from_the_migration_scripts_are_alembics_own() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from backstride.storage.db import MIGRATIONS_DIR, script_heads

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert script_heads() == set(ScriptDirectory.from_config(config).get_heads())

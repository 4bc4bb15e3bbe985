"""The Makefile: `make run` installs only what the program needs, once, quietly."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _clone(tmp_path: Path) -> Path:
    """The Makefile and the files its stamps depend on (the compiled core's sources too),
    with a stand-in installer."""
    folder = tmp_path / "clone"
    folder.mkdir()
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    (core,) = re.findall(r"^CORE_SRC\s*:=\s*(.+)$", makefile, flags=re.MULTILINE)
    for name in ("Makefile", "pyproject.toml", "uv.lock", *core.split()):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, folder / name)
    (folder / ".tools" / "bin").mkdir(parents=True)
    (folder / ".tools" / "bin" / "uv").write_text("")
    return folder


def _make_env() -> dict[str, str]:
    """The environment without a parent make's settings (`make test` runs these tests)."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


def _dry_run(folder: Path, target: str) -> list[str]:
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target], cwd=folder, capture_output=True,
        text=True, check=True, env=_make_env(), timeout=30,
    )  # fmt: skip
    return done.stdout.splitlines()


def test_make_run_installs_the_program_without_developer_tools_or_extras(
    tmp_path: Path,
) -> None:
    lines = _dry_run(_clone(tmp_path), "run")
    (sync,) = [line for line in lines if " sync " in line]
    assert "--no-dev" in sync
    assert "--quiet" in sync
    assert "--all-extras" not in sync
    assert "--extra" not in sync
    assert lines[-1] == ".venv/bin/backstride start"


def test_make_test_installs_every_extra_and_the_developer_tools(tmp_path: Path) -> None:
    lines = _dry_run(_clone(tmp_path), "test")
    (sync,) = [line for line in lines if " sync " in line]
    assert "--all-extras" in sync
    assert "--no-dev" not in sync
    assert any("pytest" in line for line in lines)


def test_a_second_make_run_starts_the_program_without_installing_or_compiling(
    tmp_path: Path,
) -> None:
    folder = _clone(tmp_path)
    (folder / ".venv").mkdir()
    (folder / ".venv" / ".installed-run").write_text("")
    assert _dry_run(folder, "run") == [".venv/bin/backstride start"]


def test_a_changed_lock_file_installs_again(tmp_path: Path) -> None:
    folder = _clone(tmp_path)
    (folder / ".venv").mkdir()
    stamp = folder / ".venv" / ".installed-run"
    stamp.write_text("")
    os.utime(stamp, (1, 1))  # older than uv.lock
    assert any(" sync " in line for line in _dry_run(folder, "run"))


def test_a_changed_compiled_core_source_installs_again(tmp_path: Path) -> None:
    folder = _clone(tmp_path)
    (folder / ".venv").mkdir()
    stamp = folder / ".venv" / ".installed-run"
    stamp.write_text("")
    assert _dry_run(folder, "run") == [".venv/bin/backstride start"]
    source = folder / "src" / "backstride" / "ingest" / "_fitcore.c"
    os.utime(source, (stamp.stat().st_mtime + 10, stamp.stat().st_mtime + 10))
    assert any(" sync " in line for line in _dry_run(folder, "run"))

"""Build hook: compile the optional C core of the FIT decoder when a C compiler is present.

Without a compiler (or with BACKSTRIDE_PURE_PYTHON=1) the build goes on and the package
runs its pure-Python decoder; the compiled core only makes decoding faster.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src/backstride/ingest/_fitcore.c")


def _compiler() -> list[str]:
    """The compiler and flags that build a Python extension on this platform."""
    if os.environ.get("CC"):
        return [*shlex.split(os.environ["CC"]), "-shared"]
    linker = sysconfig.get_config_var("LDSHARED")
    return shlex.split(linker) if linker else ["cc", "-shared"]


def build_core(root: Path) -> Path | None:
    """Compile the core next to its source; None (with a note) when that is not possible."""
    source = root / SOURCE
    target = source.with_name("_fitcore" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so"))
    if os.environ.get("BACKSTRIDE_PURE_PYTHON"):
        target.unlink(missing_ok=True)
        return None
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    built = target.with_name(target.name + ".tmp")  # replaced in one step: a running
    command = [  # process keeps the library it loaded
        *_compiler(),
        "-O2",
        "-fPIC",
        f"-I{sysconfig.get_paths()['include']}",
        str(source),
        "-o",
        str(built),
    ]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
        built.replace(target)
    except (OSError, subprocess.CalledProcessError) as err:
        built.unlink(missing_ok=True)
        detail = getattr(err, "stderr", "") or str(err)
        print(
            f"backstride: no compiled FIT core ({detail.strip()[:300]}); "
            "the pure-Python decoder will be used",
            file=sys.stderr,
        )
        target.unlink(missing_ok=True)
        return None
    return target


class CoreBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled core to wheels (and builds it in place for editable installs)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        target = build_core(Path(self.root))
        if target is None:
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":  # an editable install imports it from the source tree
            build_data["force_include"][str(target)] = f"backstride/ingest/{target.name}"

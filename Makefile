# Two commands for a fresh clone (see README):
#   make run    install what the program needs (once), then start backstride (guided path)
#   make test   install everything incl. developer tools and extras, run every check
#
# Installs are recorded by stamp files inside .venv and redone only when uv.lock or
# pyproject.toml change, so a second `make run` starts the program at once. uv compiles
# the dependencies' bytecode while installing them (compile-bytecode in pyproject.toml);
# backstride's own sources are compiled once, by the same install step.
PYTHON ?= python3
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
VENV   := .venv
# The suite runs on every core (pytest-xdist); each test module stays on one worker so its
# shared fixtures (a browser, a server, a cluster) start once. PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= auto
QUIET  := --quiet
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# The FIT decoder's optional C core, compiled by the package build when a compiler exists.
CORE_SRC   := hatch_build.py src/backstride/ingest/_fitcore.c

.PHONY: run test setup setup-run checks pytest bench clean

$(UV):
	@echo "backstride: preparing the installer (first run only)..."
	@$(PYTHON) -m venv $(TOOLS)
	@$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.4"

# What the program needs: no developer tools, no extras. --inexact keeps what `make test`
# added, so running after testing does not uninstall the test tools.
$(RUN_STAMP): uv.lock pyproject.toml $(CORE_SRC) | $(UV)
	@echo "backstride: installing what it needs (first run only)..."
	@$(UV) sync $(QUIET) --frozen --no-dev --inexact --python $(PYTHON)
	@$(VENV)/bin/python -m compileall -q src >/dev/null
	@touch $@

# Everything: developer tools (default group) and every extra, e.g. cohort.
$(TEST_STAMP): uv.lock pyproject.toml $(CORE_SRC) | $(UV)
	@echo "backstride: installing the developer tools and extras..."
	@$(UV) sync $(QUIET) --frozen --all-extras --python $(PYTHON)
	@$(VENV)/bin/python -m compileall -q src >/dev/null
	@touch $@ $(RUN_STAMP)

setup-run: $(RUN_STAMP)

setup: $(TEST_STAMP)

run: setup-run
	@$(VENV)/bin/backstride start

checks: setup
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

pytest: setup
	bash scripts/test-env.sh
	. build/test-env.sh && $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadscope

test: checks pytest

bench: setup
	$(UV) sync $(QUIET) --frozen --all-extras --group bench --python $(PYTHON)
	$(UV) run --frozen --no-sync python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(TOOLS) build

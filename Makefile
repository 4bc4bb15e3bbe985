# Two commands for a fresh clone (see README):
#   make run    set everything up, then start backstride (guided welcome -> assessment)
#   make test   set everything up (including system packages tests need), run every check
PYTHON ?= python3
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv

.PHONY: run test setup checks pytest bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.4"

setup: $(UV)
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	$(UV) run --frozen python -m compileall -q src

run: setup
	$(UV) run --frozen backstride start

checks: setup
	$(UV) run --frozen ruff format --check src tests benchmarks
	$(UV) run --frozen ruff check src tests benchmarks
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports

pytest: setup
	bash scripts/test-env.sh
	. build/test-env.sh && $(UV) run --frozen pytest

test: checks pytest

bench: setup
	$(UV) sync --frozen --all-extras --group bench --python $(PYTHON)
	$(UV) run --frozen --all-extras --group bench python benchmarks/run_all.py

clean:
	rm -rf .venv $(TOOLS) build

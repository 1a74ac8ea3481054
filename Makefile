# The two commands a newcomer needs: `make demo` (the main job on the embedded default) and
# `make test` (the whole test suite with its quality gates). Both create .venv themselves.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CONFIG ?= config.example.toml

.PHONY: demo test lint bench clean package-check lint-deploy

$(BIN)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The demo shows the latest sprint holding changes: on the first day of a sprint the current
# one is still empty (status and notes say so, and name this command).
demo: $(BIN)/.installed
	$(BIN)/release-train --config $(CONFIG) sync
	$(BIN)/release-train --config $(CONFIG) status --sprint latest
	$(BIN)/release-train --config $(CONFIG) notes --sprint latest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -n 4 --dist worksteal -q

# The built wheel, installed as the Dockerfile installs it, run from a clean clone of HEAD.
package-check:
	.ci/package-check

# hadolint, the Kubernetes and compose schemas, systemd-analyze on the unit.
lint-deploy:
	.ci/lint-deploy

bench: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache release-train.db release-train.db-*

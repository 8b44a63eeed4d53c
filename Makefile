# Two commands on a fresh machine: `make ingest` (the sample decks → warehouse) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: ingest test lint dev bench clean

# -qq: errors only. The install is otherwise chatty with warnings a newcomer cannot act on
# (setuptools' editable-install notice; index locations the machine's pip config names).
$(BIN)/scorecards: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --upgrade pip
	$(BIN)/pip install -qq -e '.[dev]'
	touch $@

ingest: $(BIN)/scorecards
	$(BIN)/scorecards ingest

# Every test, on every core (pytest-xdist; worksteal evens out the slow ones). One file alone:
# .venv/bin/python -m pytest tests/test_cli.py; while iterating: -m 'not slow'.
test: $(BIN)/scorecards
	$(BIN)/python -m pytest -n auto --dist worksteal

lint: $(BIN)/scorecards
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

dev: $(BIN)/scorecards
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster_home} sh -c 'mkdir -p "$$DAGSTER_HOME" && $(BIN)/dagster dev'

bench: $(BIN)/scorecards
	$(BIN)/python benchmarks/ingest_scale.py

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.staging warehouse/*.report.html

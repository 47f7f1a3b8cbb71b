# The only entry point: make demo | test | lint | bench | docs | lock
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check
DEMO := demo
# make test runs the suite in this many processes (pytest-xdist): one per core by default; the
# tests of one file stay in one process, in order (some share a browser page or a server).
TEST_WORKERS ?= auto

.PHONY: install demo test lint bench docs lock clean

# The virtualenv, from the hash-pinned lock file; rebuilt when the lock or pyproject change.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -qq --require-hashes --no-deps -r requirements.lock
	$(PIP) install -qq --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Ingest the bundled sample corpus into a fresh demo database, extract, fuse incidents, show
# what was found; then watch the same corpus served as feeds by a local server (three polls:
# new items fetched once, 304s, alerts raised once; demo/watch/); then serve the dashboard at
# http://127.0.0.1:8000 (Ctrl-C to stop) when run from a terminal (not in CI or a pipe, where it
# would never end). Exit status 1 from run means "some inputs rejected": sample/bad/ is broken
# on purpose.
demo: $(STAMP)
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	@rc=0; $(BIN)/overhorizon run overhorizon/sample --db $(DEMO)/overhorizon.db || rc=$$?; \
	  if [ $$rc -gt 1 ]; then echo "demo: run failed with status $$rc"; exit $$rc; fi; \
	  echo "run exit status $$rc: the rejections above are the broken files of sample/bad/, on purpose"
	$(BIN)/overhorizon articles --db $(DEMO)/overhorizon.db --limit 80
	$(BIN)/overhorizon events --db $(DEMO)/overhorizon.db --type ASSAULT --limit 40
	$(BIN)/overhorizon incidents --db $(DEMO)/overhorizon.db --limit 40
	@id=$$($(BIN)/overhorizon incidents --db $(DEMO)/overhorizon.db --grade confirmed --json \
	  --limit 1 | $(BIN)/python -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])'); \
	  $(BIN)/overhorizon show $$id --db $(DEMO)/overhorizon.db
	$(BIN)/python scripts/demo_watch.py $(DEMO)
	@if [ -t 0 ] && [ -z "$${CI:-}" ]; then \
	  echo "serving the dashboard at http://127.0.0.1:8000 (Ctrl-C to stop)"; \
	  $(BIN)/overhorizon serve --db $(DEMO)/overhorizon.db --port 8000; \
	else \
	  echo "not a terminal: to see the dashboard, run  $(BIN)/overhorizon serve --db $(DEMO)/overhorizon.db"; \
	fi
	@echo "database: $(DEMO)/overhorizon.db   (try: overhorizon events --db $(DEMO)/overhorizon.db)"

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check overhorizon tests bench scripts
	$(BIN)/ruff format --check overhorizon tests bench scripts
	$(BIN)/mypy

# Accuracy on the seed and the dev sets in ../shared/data against the pinned floors (full run;
# quotes: the whole dev set, its floors checked on the pinned first articles),
# then speed against baselines measured in the same run.
bench: $(STAMP)
	$(BIN)/python bench/accuracy.py --check
	$(BIN)/python bench/accuracy_quotes.py --check
	$(BIN)/python bench/speed.py ingest
	$(BIN)/python bench/speed.py extract
	$(BIN)/python bench/speed.py geo
	$(BIN)/python bench/speed.py fuse
	$(BIN)/python bench/speed.py api
	$(BIN)/python bench/speed.py watch

docs: $(STAMP)
	$(BIN)/python scripts/docs.py write

# Re-pin every dependency with hashes after a change to pyproject.toml.
lock: $(STAMP)
	$(PIP) install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache

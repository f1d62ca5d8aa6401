# briefing: `make demo` builds the demo week through the real DAG; `make test` runs the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
# the tests run on every core, a test file per worker at a time (module fixtures are made once); one
# worker more than the cores, since the Airflow and install tests spend much of their time waiting
WORKERS ?= $(shell expr $$(nproc 2>/dev/null || echo 1) + 1)
XDIST   := -n $(WORKERS) --dist loadfile

.PHONY: demo test test-fast test-slow test-integration install system-deps constraints lint clean

demo: install
	@scripts/demo.sh

# every test but the deployments (a Celery cluster, a scheduler, a clean venv from the package index),
# which `make test-integration` runs, and CI after `make test`
test: install
	@PYTHON=$(PYTHON) scripts/system-deps.sh --test
	$(BIN)/python -m pytest $(XDIST) -m "not integration" $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest $(XDIST) -m "not slow" $(PYTEST_ARGS)

test-slow: install
	$(BIN)/python -m pytest $(XDIST) -m slow $(PYTEST_ARGS)

test-integration: install
	@PYTHON=$(PYTHON) scripts/system-deps.sh --test
	$(BIN)/python -m pytest $(XDIST) -m integration $(PYTEST_ARGS)

install: system-deps $(STAMP)

system-deps:
	@PYTHON=$(PYTHON) scripts/system-deps.sh

# One resolution for the project and Airflow, pinned by constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "briefing needs Python 3.11 or newer; set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[airflow,postgres,test]'
	@touch $@

constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^briefing' > constraints.new
	@{ sed -n '1,2p' constraints.txt; cat constraints.new; } > constraints.txt.tmp && rm constraints.new && mv constraints.txt.tmp constraints.txt

lint: install
	$(BIN)/python -m pip install --quiet ruff mypy types-PyYAML types-requests
	$(BIN)/python -m ruff check briefing dags plugins tests
	$(BIN)/python -m mypy

clean:
	rm -rf .demo archive briefing.sqlite .pytest_cache

# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core for the accessibility tests in the browser (package.json): installed with `npm ci` when npm is there.
NPM ?= $(shell command -v npm)
NODE_STAMP := node_modules/.package-lock.json

.PHONY: run test install migrate demo lint format bench clean

# Python keeps the compiled modules (__pycache__) even where the environment says not to (PYTHONDONTWRITEBYTECODE,
# common in containers): without them every process, each test process, worker and gunicorn included, compiles
# Django and the project again (8 of the 13 s of `manage.py check` on a 2-core machine).
unexport PYTHONDONTWRITEBYTECODE

# uv installs the same requirements as pip, in parallel (seconds instead of about a minute); pip if it fails.
$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Serve Python 3.11 (python3.11 o python3)"; exit 1; }
	test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(PYTHON) -m venv --without-pip $(VENV) && $(BIN)/python scripts/bootstrap_pip.py; }
	$(BIN)/python -m pip install --quiet "uv>=0.9,<0.10" \
	  && $(BIN)/uv pip install --python $(BIN)/python -e ".[dev]" \
	  || $(BIN)/python -m pip install -e ".[dev]"
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $(NODE_STAMP)

install: $(STAMP) $(if $(NPM),$(NODE_STAMP))
	@test -n "$(NPM)" || echo "npm non trovato: axe-core non installato, i test di accessibilità nel browser saranno saltati (serve Node.js con npm)"

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# The portal, the worker of the task queue (database backend) and its watchdog: Procfile, run by honcho.
run: demo
	@echo "Portale in ascolto su http://127.0.0.1:8000, con il processo di lavoro e il watchdog (Ctrl+C per fermare)"
	$(BIN)/honcho start

# Four processes on two cores: the browser, gunicorn and worker tests spend much of their time waiting (with three,
# the cores were idle a third of the time); a process that finishes early steals the tests queued for another
# (worksteal), so none waits idle at the end. The 25 slowest tests are listed at the end, to see where the time goes.
test: install
	$(BIN)/python -m pytest -n 4 --dist worksteal --durations=25

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: migrate
	$(BIN)/python bench/territory.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache

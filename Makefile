# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed lint format browser system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Shared libraries WeasyPrint needs for PDF documents (Debian packages), installed when missing.
system-deps:
	@ldconfig -p | grep -q libpangoft2-1.0 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null)

migrate: install system-deps
	$(BIN)/python manage.py migrate --noinput

## Serves the app with the reference data and the demo territory on http://$(HOST):$(PORT)
run: migrate
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo
	@echo "Tâches de fond : worker démarré (django-tasks)."
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --interval 2 >var/worker.log 2>&1 & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Chromium for the browser tests (Debian package), installed when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## Runs the whole suite (unit, integration, browser) on SQLite, or on DATABASE_URL when set.
test: install system-deps browser
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var

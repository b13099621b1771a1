# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
## The versions CI tested; pyproject.toml keeps the ranges. `make lock` refreshes it.
LOCK := requirements.lock
PIP_TOOLS := pip-tools>=7.4,<8
LOCK_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev data serve test install lock migrate seed lint format browser system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Pins the ranges of pyproject.toml (runtime and test extra) in $(LOCK); keeps the pins that
## still fit, or takes the newest with `make lock LOCK_ARGS=--upgrade`.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet "$(PIP_TOOLS)"
	$(BIN)/pip-compile --quiet --extra test --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file $(LOCK) $(LOCK_ARGS) pyproject.toml

## Shared libraries WeasyPrint needs for PDF documents (Debian packages), installed when missing.
system-deps:
	@ldconfig -p | grep -q libpangoft2-1.0 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null)

migrate: install system-deps
	$(BIN)/python manage.py migrate --noinput

## Serves the app as its users see it (debug off, French error pages, static files served by
## the app server through WhiteNoise) with the reference data and the demo territory on
## http://$(HOST):$(PORT), and the background worker beside it.
run: data
	@echo "Tâches de fond : worker démarré (django-tasks)."
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --interval 2 >var/worker.log 2>&1 & \
	$(MAKE) --no-print-directory serve

## The same with Django's debug mode (technical error pages, code reloaded) for developers.
dev: data
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --interval 2 >var/worker.log 2>&1 & \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

data: migrate
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo

## The server alone, debug off: static files collected into var/static, served by gunicorn.
serve: install
	@DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Tisserand : http://$(HOST):$(PORT) (mode d'utilisation ; « make dev » pour le mode debug)"
	DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-$(HOST),127.0.0.1,localhost}" \
	exec $(BIN)/gunicorn tisserand.wsgi --bind $(HOST):$(PORT) --workers 2

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
	$(BIN)/djlint tisserand --lint
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var

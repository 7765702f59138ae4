# Metropolis Portal: the front door. A newcomer needs two commands:
#   make run    set everything up and serve the portal on http://127.0.0.1:8000
#   make test   set everything up and run lint, migration check and the test suite

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Debian packages the portal needs: Pango and HarfBuzz for WeasyPrint, a CJK font
# for Chinese reports, poppler for PDF checks, gettext to compile translations.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core poppler-utils gettext

.PHONY: run test worker beat lint system-deps messages

system-deps:
	@DEB_PACKAGES="$(DEB_PACKAGES)" sh .ci/system-deps.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

messages: $(VENV)/.installed
	$(MANAGE) compilemessages --verbosity 0 --ignore=.venv

run: system-deps $(VENV)/.installed messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_metropolis_dataset
	$(MANAGE) ensure_demo_staff
	$(MANAGE) runserver 127.0.0.1:8000

test: system-deps $(VENV)/.installed-dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run --settings=metropolis.settings.test
	$(BIN)/pytest -n auto

worker: $(VENV)/.installed
	$(BIN)/celery -A metropolis worker --queues default,reports --loglevel INFO

beat: $(VENV)/.installed
	$(BIN)/celery -A metropolis beat --loglevel INFO

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy members activities gender reports metropolis

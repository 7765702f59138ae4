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

# The browser tests drive Debian's Chromium (Playwright never downloads a browser).
E2E_DEB_PACKAGES := chromium

.PHONY: run test worker beat lint system-deps messages e2e

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

e2e: system-deps $(VENV)/.installed-dev messages
	@DEB_PACKAGES="$(E2E_DEB_PACKAGES)" sh .ci/system-deps.sh
	$(BIN)/pytest -m e2e

worker: $(VENV)/.installed
	$(BIN)/celery -A metropolis worker --queues default,reports --loglevel INFO

beat: $(VENV)/.installed
	$(BIN)/celery -A metropolis beat --loglevel INFO

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Benchmarks, on PostgreSQL (each makes a throwaway database next to this one):
# the annual report, and the API under load from wrk (the Python load
# generator stands in when wrk cannot be installed, hence the "-").
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/metropolis
BENCH_DEB_PACKAGES := wrk

.PHONY: bench
bench: system-deps $(VENV)/.installed messages
	-@DEB_PACKAGES="$(BENCH_DEB_PACKAGES)" sh .ci/system-deps.sh
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) benchmark_reports --settings=metropolis.settings.test
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) benchmark_api --settings=metropolis.settings.test

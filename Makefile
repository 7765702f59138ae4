# Metropolis Portal: the front door. A newcomer needs two commands:
#   make run    set everything up and serve the portal on http://127.0.0.1:8000
#   make test   set everything up and run lint, migration check and the test suite

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# The project's own code (bandit's security scan: high severity fails).
APPS := members activities gender reports metropolis
# Debian packages the portal needs: Pango and HarfBuzz for WeasyPrint, a CJK font
# for Chinese reports, poppler for PDF checks, gettext to compile translations.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core poppler-utils gettext

# The browser tests drive Debian's Chromium (Playwright never downloads a browser).
E2E_DEB_PACKAGES := chromium
# The HTTPS front of the production smoke test (.ci/smoke.sh).
SMOKE_DEB_PACKAGES := caddy

.PHONY: run test worker beat lint system-deps messages catalogs e2e smoke backup restore

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

# Regenerate the catalogs from the code (each app's strings into its own
# locale/, site-wide templates into metropolis/locale/), then translate what is new.
catalogs: $(VENV)/.installed
	$(MANAGE) makemessages -l es -l fr -l zh_Hans --no-obsolete --ignore=.venv --ignore=tests --ignore=node_modules

run: system-deps $(VENV)/.installed messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_metropolis_dataset
	$(MANAGE) load_member_coordinates
	$(MANAGE) ensure_demo_accounts
	@# A background worker beside the web server (kombu's SQLAlchemy transport over
	@# an SQLite file, no Redis): report progress moves while it renders. Both stop together.
	EMBEDDED_WORKER=1 sh -c '$(BIN)/celery -A metropolis worker --pool solo --queues default,reports --loglevel WARNING & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; $(MANAGE) runserver 127.0.0.1:8000'

test: system-deps $(VENV)/.installed-dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/bandit -q -r $(APPS) -x '*/migrations/*' --severity-level high
	$(MANAGE) makemigrations --check --dry-run --settings=metropolis.settings.test
	$(BIN)/pytest -n auto

e2e: system-deps $(VENV)/.installed-dev messages
	@DEB_PACKAGES="$(E2E_DEB_PACKAGES)" sh .ci/system-deps.sh
	$(BIN)/pytest -m e2e

# The production stack over HTTPS (gunicorn behind Caddy, two workers, beat,
# PostgreSQL, Redis, an S3 bucket) and a browser test against it: .ci/smoke.sh.
smoke: system-deps $(VENV)/.installed-dev messages
	@DEB_PACKAGES="$(SMOKE_DEB_PACKAGES) $(E2E_DEB_PACKAGES)" sh .ci/system-deps.sh
	bash .ci/smoke.sh

worker: $(VENV)/.installed
	$(BIN)/celery -A metropolis worker --queues default,reports --loglevel INFO

beat: $(VENV)/.installed
	$(BIN)/celery -A metropolis beat --loglevel INFO

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/bandit -q -r $(APPS) -x '*/migrations/*' --severity-level high

# Benchmarks, on PostgreSQL (each makes a throwaway database next to this one):
# the annual report; the admin lists, the city's engagement page and the API in
# CPU time per request at 143, 1,430 and 10,000 members; mailings; event
# registration under load; the review of calls. One `make bench` prints them all.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/metropolis
# The mailing and registration benchmarks start real Celery workers on this broker
# (a database of Redis of its own, emptied by the benchmarks).
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/15
# BENCH_BASELINE=DIR: a checkout of an earlier version (a git worktree) whose
# annual report is measured beside this one's, in the same run.
BENCH_BASELINE ?=
BENCH := DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) $(MANAGE)

.PHONY: bench
bench: system-deps $(VENV)/.installed messages
	$(BENCH) benchmark_reports --settings=metropolis.settings.test $(if $(BENCH_BASELINE),--baseline $(BENCH_BASELINE))
	$(BENCH) benchmark_api --settings=metropolis.settings.test
	$(BENCH) benchmark_mailing --settings=metropolis.settings.test
	$(BENCH) benchmark_registration --settings=metropolis.settings.test
	$(BENCH) benchmark_review --settings=metropolis.settings.test

# Backups on PostgreSQL: the database (pg_dump, custom format), the media and
# private files, and a manifest of row counts and checksums that a restore
# checks. `make restore BACKUP=backups/metropolis-...` replaces the current data.
BACKUP_DIR ?= backups
backup: $(VENV)/.installed
	$(MANAGE) backup --into $(BACKUP_DIR)

restore: $(VENV)/.installed
	@test -n "$(BACKUP)" || { echo "Name the backup folder: make restore BACKUP=backups/metropolis-..." >&2; exit 2; }
	$(MANAGE) restore $(BACKUP) --yes

# One task runner for humans and CI. `make run` serves the portal; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The tests use the real services: PostgreSQL as the database, Redis as cache (and broker).
TEST_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
	REDIS_URL=redis://127.0.0.1:6379/0 \
	SECRET_KEY=test-only-secret-key \
	SECURE_SSL_REDIRECT=0 \
	DEBUG=0
# The production settings as `check --deploy` sees them: DEBUG off, HTTPS on, a strong key.
DEPLOY_CHECK_ENV := DEBUG=0 \
	SECRET_KEY=check-deploy-only-9f8Kq2LmZx7Vb4NwTr1YhU6sJc3PeA0oGdQ5iRtE-not-for-use \
	ALLOWED_HOSTS=networks.jane.example.eu

.PHONY: run serve setup worker beat production production-stop test pytest lint format messages services bench bench-routing bench-routing-throughput bench-dashboards bench-pages bench-rush chaos chaos-fast clean

run: setup
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "The portal is at http://$(HOST):$(PORT)/ (stop it with Ctrl+C)."
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

setup: $(VENV)/.runtime-installed node_modules/.installed
	@mkdir -p var

# A Celery worker only: start as many as wanted, anywhere. The periodic jobs come from `make beat`,
# of which exactly one runs (two would send every periodic job twice).
worker: setup
	$(BIN)/celery -A jane_portal worker --loglevel=info

beat: setup
	@mkdir -p var
	$(BIN)/celery -A jane_portal beat --loglevel=info --schedule=var/celerybeat-schedule

# The production topology on this machine (docs/deploy.md): nginx with TLS, two web instances, two
# workers, one beat, PostgreSQL, Redis and SeaweedFS of its own, kept by honcho, in the
# background; settings in var/production/production.env (PRODUCTION_DIR=... for another folder).
production: setup
	bash scripts/production start

production-stop:
	bash scripts/production stop

test: $(VENV)/.dev-installed node_modules/.installed services lint pytest chaos-fast

pytest: $(VENV)/.dev-installed node_modules/.installed
	$(TEST_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(TEST_ENV) $(BIN)/pytest -n 2 --dist worksteal

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_catalogues.py
	env -u SECURE_SSL_REDIRECT -u SECURE_COOKIES -u SECURE_HSTS_SECONDS $(DEPLOY_CHECK_ENV) \
		$(PY) manage.py check --deploy --fail-level WARNING

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.dev-installed
	DEBUG=1 $(PY) manage.py makemessages --locale fr --locale de --locale it --locale es --ignore '.venv/*' --ignore 'node_modules/*'
	DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

bench: bench-routing bench-dashboards bench-pages bench-rush

# Reviewer assignment: the one-at-a-time router and the batch, against the optimum.
bench-routing: $(VENV)/.dev-installed
	$(PY) bench/routing.py

# Applications routed per second per call through the outbox's routing items, before (one item
# per application) and after (a pass over the call): private PostgreSQL and Redis, in-process.
bench-routing-throughput: $(VENV)/.dev-installed
	$(PY) bench/routing_throughput.py

# Dashboards with 100,000 applications in a throwaway database: cold and warm, against a bare view
# in-process, then warm under gunicorn with wrk against the bare project. QUICK=1: 10,000.
bench-dashboards: $(VENV)/.dev-installed services
	@command -v wrk >/dev/null || { echo "Installing wrk from Debian's packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(TEST_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	REDIS_URL=redis://127.0.0.1:6379/0 $(PY) bench/dashboards.py $(if $(QUICK),--quick)

# Each page under gunicorn (2 sync workers) on a PostgreSQL and a Redis of its own, against a bare
# Django view served the same way; wrk is the load generator. QUICK=1 for a short run.
bench-pages: $(VENV)/.dev-installed
	@command -v wrk >/dev/null || { echo "Installing wrk from Debian's packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/pages.py $(if $(QUICK),--quick)

# Deadline day: 500 applicants submit over HTTP (100 connections, within 60 s) to gunicorn with a
# real Celery worker on a private stack; latency, routing time and the checks after. QUICK=1: 100.
bench-rush: $(VENV)/.dev-installed
	$(PY) bench/rush.py $(if $(QUICK),--quick)

# The fault suite (issue 10): the portal on PostgreSQL, Redis, SMTP, gunicorn and Celery processes
# of its own, on free ports, each fault staged for real; one row per fault. It never touches the
# shared services. Exits 1 if a fault lost, duplicated or misreported anything.
chaos: $(VENV)/.dev-installed
	$(PY) -m tests.chaos --profile full

# The same faults with fewer items and shorter waits, as the pytest test CI runs (marker chaos).
# TEST_ENV only satisfies the suite-wide conftest: this test uses none of the shared services.
chaos-fast: $(VENV)/.dev-installed
	$(TEST_ENV) $(BIN)/pytest -m chaos -s tests/chaos

services:
	bash scripts/ensure-services
	bash scripts/ensure-browser
	bash scripts/ensure-clamav
	bash scripts/ensure-rclone

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing Node.js and npm from Debian's packages"; \
		apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf $(VENV) node_modules var staticfiles

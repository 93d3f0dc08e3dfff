# The two commands: `make run` (the demo on SQLite) and `make test` (every check,
# on SQLite and on PostgreSQL). Everything else here serves those two.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The test database is created (and dropped) next to this one by the test runner.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# Browser tests drive the distribution's chromium, never a browser Playwright downloads.
CHROMIUM := /usr/bin/chromium
PDFTOTEXT := /usr/bin/pdftotext
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-slow checked-sqlite test-deep browser lint typecheck security audit-deps lock pytest-sqlite pytest-postgres docs messages screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Installs take the exact versions of requirements.lock (`make lock` regenerates it).
$(VENV)/.run: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -c requirements.lock -e .
	touch $@

$(VENV)/.dev: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@# A dependency added to pyproject.toml but missing from the lock fails here: `make lock`.
	$(BIN)/pip check
	touch $@ $(VENV)/.run

# What the demo needs, whatever the shell has set: development (keys generated under
# var/, the demo accounts), the addresses it answers on, and DEBUG off as everywhere
# (`ENLACE_DEBUG=1 make run` turns it on). WhiteNoise serves /static/ (config/settings.py).
# PROFILE names the country: Mexico's by default, `make run PROFILE=GT` Guatemala's
# demo on a SQLite database of its own (var/enlace-gt.sqlite3): two profiles never
# share a database.
PROFILE ?= MX
run: export ENLACE_ENV := development
run: export ENLACE_ALLOWED_HOSTS := 127.0.0.1,localhost
run: export ENLACE_DEBUG ?= false
run: export ENLACE_COUNTRY_PROFILE := $(PROFILE)
ifneq ($(PROFILE),MX)
run: export DATABASE_URL := sqlite:///$(CURDIR)/var/enlace-$(shell echo $(PROFILE) | tr A-Z a-z).sqlite3
endif
run: $(VENV)/.run
	@mkdir -p var
	$(BIN)/enlace migrate --noinput -v0
	$(BIN)/enlace profile_load $(PROFILE)
	$(BIN)/enlace demo accounts --profile $(PROFILE)
	$(BIN)/enlace demo load --if-empty --profile $(PROFILE)
	@echo
	@echo "Enlace is starting at http://127.0.0.1:8000/ (Ctrl-C stops it)."
	$(BIN)/enlace runserver 127.0.0.1:8000

# The two databases' suites run side by side (two cores); each prints when it ends.
# Tests that touch no database run in the SQLite lane only (tests/conftest.py); the
# long runs marked slow wait for `make test-slow`. The time taken is printed last.
# The static checks go first in the SQLite lane, beside the longer PostgreSQL one.
test:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory $(VENV)/.dev browser \
	&& $(MAKE) --no-print-directory --output-sync=target -j2 checked-sqlite pytest-postgres \
		PYTEST_MARK="not slow"; \
	status=$$?; echo "make test: $$(( $$(date +%s) - start )) s"; exit $$status

checked-sqlite: lint typecheck security
	$(MAKE) --no-print-directory pytest-sqlite

# The slow tests (everything that reads the whole demo, its PDFs and workbooks, FEBRL3
# and FEBRL4, the 10,000-row import) on both databases; .ci/run runs them after `make test`.
test-slow: $(VENV)/.dev browser
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory --output-sync=target -j2 pytest-sqlite pytest-postgres \
		PYTEST_MARK="slow"; \
	status=$$?; echo "make test-slow: $$(( $$(date +%s) - start )) s"; exit $$status

# The identity rule's state machine run long (ENLACE_DEEP: 200 random sequences of
# 40 steps, a fresh seed each time) on both databases; `make test` runs a short, fixed one.
test-deep: $(VENV)/.dev
	ENLACE_DEEP=1 $(MAKE) --no-print-directory --output-sync=target -j2 pytest-sqlite pytest-postgres \
		PYTEST_ARGS=tests/security/test_identity_invariant.py

# What the browser tests need: Debian's chromium, and the npm packages (axe-core
# for the accessibility checks, htmx copied into static/) from the lock file; and
# poppler-utils' pdftotext, which reads the text of the PDF report in the tests.
browser: $(CHROMIUM) $(PDFTOTEXT) node_modules/.package-lock.json static/vendor/htmx.min.js

$(CHROMIUM):
	$(SUDO) apt-get install -y chromium || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)

$(PDFTOTEXT):
	$(SUDO) apt-get install -y poppler-utils || ($(SUDO) apt-get update && $(SUDO) apt-get install -y poppler-utils)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

# Screenshots of the main pages from the demo data (run `make run` once first).
screenshots: $(VENV)/.dev browser
	$(BIN)/enlace screenshots --output docs/screenshots

# lint-imports: the layers of docs/architecture.md (pyproject.toml's [tool.importlinter]).
lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.dev
	$(BIN)/mypy .

# Bandit's checks (ruff's S rules, whatever lint selects; pytest's asserts allowed).
security: $(VENV)/.dev
	$(BIN)/ruff check --select S --ignore S101 .

# Known vulnerabilities in the locked versions: --strict fails when a dependency could
# not be checked, rather than passing it unchecked. Not part of `make test`: it needs
# PyPI's per-version JSON or OSV, which this machine's network does not reach
# (docs/operations.md).
audit-deps: $(VENV)/.dev
	$(BIN)/pip-audit --strict --progress-spinner off --disable-pip --no-deps -r requirements.lock

# The lock file from pyproject.toml; existing pins stay unless pyproject.toml needs
# others, so a rerun changes nothing. `make lock LOCK_FLAGS=--upgrade` takes new releases.
lock: | $(BIN)/python
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links $(LOCK_FLAGS) --output-file requirements.lock pyproject.toml

# PYTEST_MARK selects by marker ("not slow", "slow"); empty runs every test. The slowest
# tests are listed at the end, to keep `make test` under its eight minutes.
pytest-sqlite: $(VENV)/.dev
	env -u DATABASE_URL $(BIN)/pytest --durations=15 $(if $(PYTEST_MARK),-m "$(PYTEST_MARK)") $(PYTEST_ARGS)

pytest-postgres: $(VENV)/.dev
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest --durations=15 $(if $(PYTEST_MARK),-m "$(PYTEST_MARK)") $(PYTEST_ARGS)

docs: $(VENV)/.dev
	$(BIN)/enlace data_dictionary > docs/data-dictionary.md
	$(BIN)/enlace security_doc --write

messages: $(VENV)/.dev
	$(BIN)/enlace makemessages -l es_MX -l en --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*'
	$(BIN)/enlace compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var node_modules

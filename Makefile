# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-sqlite test-postgres test-browser bench screenshots clean loadtest faulttest loadtest-replica

$(STAMP): pyproject.toml scripts/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c scripts/constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	scripts/test.sh all

test-sqlite: $(STAMP)
	scripts/test.sh sqlite

test-postgres: $(STAMP)
	scripts/test.sh postgres

test-browser: $(STAMP)
	scripts/test.sh browser

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Screenshots of each role's home and the dashboard (phone and desktop) and of the recap PDF's first page, on the demo
# data, into docs/screenshots/ for reviewers.
screenshots: $(STAMP)
	SCREENSHOTS=1 scripts/test.sh browser tests/browser/test_screenshots.py

# The load test (not part of `make test`): 40 cadres and 10 PKB for 60 s against gunicorn and a
# throwaway PostgreSQL on loopback; figures in docs/loadtest.md, status 1 on any error or lost report.
loadtest: $(STAMP)
	scripts/loadtest.sh

# The same load with a read replica: a throwaway primary and its streaming standby, gunicorn with
# REPLICA_DATABASE_URL; section "With a read replica" of docs/loadtest.md, beside the figures above.
loadtest-replica: $(STAMP)
	LOADTEST_REPLICA=1 scripts/loadtest.sh

# The fault test (not part of `make test`): gunicorn workers SIGKILLed inside a write and
# PostgreSQL restarted under load; acknowledged writes checked in the database; section Faults of
# docs/loadtest.md, status 1 on any lost, doubled or half-written write.
faulttest: $(STAMP)
	scripts/faulttest.sh

# The bench (not part of `make test`): a synthetic kabupaten at 1x, 2x and 4x on a throwaway
# SQLite file and a throwaway PostgreSQL; writes docs/benchmarks.md. 30-40 minutes on 2 cores.
bench: $(STAMP)
	bench/bench.sh

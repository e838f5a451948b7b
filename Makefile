# The two commands a newcomer needs: `make run` and `make test`. Both work on a bare
# machine and again on one where they already ran.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# WeasyPrint needs CJK fonts and HarfBuzz's subsetter (without it a PDF takes seconds);
# poppler-utils checks rendered PDFs; libsodium23 is the ballot's group arithmetic (pysodium
# loads it); Chromium drives the browser tests.
SYSTEM_PACKAGES := fonts-noto-cjk fonts-wqy-zenhei libharfbuzz-subset0 poppler-utils libsodium23 chromium chromium-driver
# More for one caller, installed in the same apt-get run: .ci/run adds nginx (its smoke test).
EXTRA_SYSTEM_PACKAGES ?=

.PHONY: run test setup system-packages migrate demo worker beat bench lint format superuser clean

# One Django process checks the database, migrates and loads the demo only when needed, and
# serves (workbench/management/commands/run_local.py).
run: setup
	$(BIN)/python manage.py run_local $(HOST):$(PORT)

# One pytest-xdist worker per core (at most 4), each with its own test database and Redis key
# prefix; worksteal lets an idle worker take tests queued on the other.
PYTEST_WORKERS ?= -n auto --maxprocesses 4 --dist worksteal

test: setup
	$(BIN)/python -m pytest $(PYTEST_WORKERS)

setup: system-packages $(STAMP)

system-packages:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES) $(EXTRA_SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null 2>&1; then echo "请用系统的包管理器安装：$$missing"; exit 0; fi; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	  echo "安装系统软件包：$$missing"; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py dev_db_check
	$(BIN)/python manage.py migrate --noinput

demo: $(STAMP)
	$(BIN)/python manage.py load_demo

worker: $(STAMP)
	$(BIN)/celery -A config worker --loglevel=info

beat: $(STAMP)
	$(BIN)/celery -A config beat --loglevel=info

bench: $(STAMP)
	$(BIN)/python benchmarks/import_and_overview.py
	$(BIN)/python benchmarks/vote_throughput.py
	$(BIN)/python benchmarks/ballot_close.py
	$(BIN)/python benchmarks/elgamal.py
	$(BIN)/python benchmarks/ballot_browser.py
	$(BIN)/python benchmarks/exports.py
	$(BIN)/python benchmarks/import_members.py --rows 200
	$(BIN)/python benchmarks/make_run.py
	$(BIN)/python benchmarks/pages.py

superuser: $(STAMP)
	$(BIN)/python manage.py createsuperuser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 var build *.egg-info

# Two commands on a fresh machine: `make run` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8080
PYTEST_ARGS ?=
RUN_ARGS ?=
LOAD_ARGS ?=

.PHONY: install system-deps run serve test load bench clean help

help:
	@echo "make run    install, then run the scenario library against an embedded emulator and portal;"
	@echo "            prints a summary and where the reports are (reports/latest)"
	@echo "make test   install, then run the whole test suite (and the scenario library)"
	@echo "make serve  install, then start the emulator with demo data on $(HOST):$(PORT)"
	@echo "make load   install, then run the default load profile (100 orgs, 60 s, loopback; reports in reports/load/)"
	@echo "make bench  run the benchmarks in bench/ (prints figures)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/zoho-harness run --report reports/latest $(RUN_ARGS)

serve: install
	$(BIN)/python -m mock_zoho serve --host $(HOST) --port $(PORT)

# System packages the tests use for real: redis-server (several processes sharing one Zoho) and
# Debian's chromium + chromedriver (the consent pages in a real browser).

system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null || missing="$$missing chromium-driver"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

test: install system-deps
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

load: install
	$(BIN)/python -m load run $(LOAD_ARGS)

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache reports

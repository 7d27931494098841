# Two commands on a fresh machine: `make run` and `make test`. Both install what they need.
VENV ?= .venv
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
CHROMIUM ?= /usr/bin/chromium
BIN = $(VENV)/bin

.PHONY: run test lint typecheck unit integration browser venue bench install browser-deps \
	venue-deps clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/floorkeeper serve --demo --host $(HOST) --port $(PORT)

# Chromium, and fonts that draw Arabic and Chinese (Debian's defaults have no Chinese glyphs).
browser-deps:
	@if [ ! -x $(CHROMIUM) ] || [ -z "$$(fc-list :lang=zh family 2>/dev/null)" ] \
		|| [ -z "$$(fc-list ':lang=ar:family=Noto Sans Arabic' family 2>/dev/null)" ]; then \
		echo "installing Debian's chromium and the Noto fonts for Arabic and Chinese"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
			chromium fonts-noto-core fonts-noto-cjk; \
	fi

# Debian's nginx (and openssl) for the deployment test, tests/venue/: it starts its own nginx
# on 127.0.0.1 from deploy/nginx.conf. The package's own service is kept from starting (a
# policy-rc.d for the time of the install, where the machine has none).
venue-deps:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] \
		|| ! command -v openssl >/dev/null 2>&1; then \
		echo "installing Debian's nginx and openssl for the deployment test"; \
		policy=; if [ ! -e /usr/sbin/policy-rc.d ]; then policy=/usr/sbin/policy-rc.d; \
			printf '#!/bin/sh\nexit 101\n' > $$policy && chmod 755 $$policy; fi; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx openssl; \
		status=$$?; [ -z "$$policy" ] || rm -f $$policy; exit $$status; \
	fi

lint: install
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

typecheck: install
	$(BIN)/mypy

test: install browser-deps venue-deps lint typecheck
	$(BIN)/pytest

unit: install
	$(BIN)/pytest tests/unit

integration: install
	$(BIN)/pytest tests/integration

browser: install browser-deps
	$(BIN)/pytest tests/browser

venue: install browser-deps venue-deps
	$(BIN)/pytest tests/venue

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache test-artifacts

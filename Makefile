# The two commands of the README: `make demo` and `make test`.  Both set up .venv first;
# the setup step reruns only when pyproject.toml changes, so the second run is quick.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp-install

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser demo test lint typecheck unit gate clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "presslens needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=23"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: setup
	$(BIN)/presslens analyze examples/demo --out out/demo --db out/demo/presslens.db
	@echo "open out/demo/index.html in a browser, or run: $(BIN)/presslens serve --db out/demo/presslens.db"

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

# The browser tests drive Debian's chromium (never a downloaded browser); install it when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium package for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	} || echo "warning: could not install chromium; the browser tests will skip (or fail under CI)"

unit: setup browser
	$(BIN)/python -m pytest -q

# The quality gate alone: a slice of each DEV benchmark against tests/quality/floors.toml.
gate: setup
	$(BIN)/python -m pytest -q -rP tests/quality

test: lint typecheck unit

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache

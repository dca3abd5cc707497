# The two commands: `make demo` and `make test`. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format libreoffice clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/paxl demo --out out/demo

test: $(STAMP) libreoffice
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	XLWINGS_LICENSE_KEY=$${XLWINGS_LICENSE_KEY:-noncommercial} $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# The file-fidelity tests open our workbooks in LibreOffice; install it when missing (Debian/Ubuntu).
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Installing LibreOffice (libreoffice-calc-nogui) for the file-fidelity tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libreoffice-calc-nogui poppler-utils >/dev/null; }
	@command -v soffice >/dev/null 2>&1 || { echo "LibreOffice is required for the tests (apt-get install libreoffice-calc-nogui)"; exit 1; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) out .pytest_cache

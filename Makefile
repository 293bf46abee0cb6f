# Two commands for users (see README.md):
#   make run   set up .venv if needed, start/reuse the store, crawl every source, show new items
#   make test  set up .venv if needed, run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSTEM := $(VENV)/.system-packages
# Debian packages the tests need: chromium (JavaScript sources, HTML digest rendering, PDF),
# redis-server (crawls shared by several processes), fonts-noto-cjk (Chinese glyphs for the
# HTML and PDF digest on a server that has no CJK font).
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Tests run in three worker processes (pytest-xdist): most of them wait on real servers and crawls.
PYTEST_ARGS ?= -n 3

.PHONY: run test bench setup clean-data lock

run: $(STAMP)
	$(BIN)/newsmon run

test: $(STAMP) $(SYSTEM)
	$(BIN)/ruff check --quiet .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "newsmon needs Python 3.11, found " + sys.version.split()[0] + " at $(PYTHON); set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

HAVE_SYSTEM := command -v chromium && command -v redis-server && fc-list 'Noto Sans CJK SC' | grep -q .
$(SYSTEM): Makefile
	@{ $(HAVE_SYSTEM); } >/dev/null || { echo "installing the Debian packages chromium redis-server fonts-noto-cjk"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium redis-server fonts-noto-cjk >/dev/null; }
	@{ $(HAVE_SYSTEM); } >/dev/null || { echo "install the Debian packages chromium, redis-server and fonts-noto-cjk"; exit 1; }
	@mkdir -p $(VENV) && touch $(SYSTEM)

# Regenerate the full pin set after changing a direct dependency in pyproject.toml.
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^newsmon' > requirements.lock

clean-data:
	-$(BIN)/newsmon db stop
	rm -rf data

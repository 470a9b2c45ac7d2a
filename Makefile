# One-command workflows. `make serve` and `make test` set everything up from a fresh clone.
#
# torch is installed first, pinned to the CPU build found on the machine (torch==2.13.0);
# installing anything that needs torch before it would pull a CUDA build of several GB.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH := torch==2.13.0

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup serve test lint typecheck unit docs browser screenshot bench constraints clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install policyqa with its dependencies

serve: setup  ## run the service on the bundled corpus at http://127.0.0.1:8000
	$(BIN)/policyqa serve

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/python -m tools.typecheck

unit: setup  ## the fast tests (no real model, browser or subprocess): the edit-test loop
	$(BIN)/python -m pytest -q -m "not slow"

test: setup browser lint typecheck  ## lint, type-check and run the whole test suite (CI)
	$(BIN)/python -m pytest

docs: setup  ## regenerate docs/configuration.md and the module map of docs/architecture.md
	$(BIN)/python -m tools.configuration_docs
	$(BIN)/python -m tools.module_map

# The browser test drives Debian's Chromium (Playwright's own browser download does not work
# offline); installed once, with sudo only when not root.
browser:  ## install chromium and chromium-driver when /usr/bin/chromium is missing
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; }

screenshot: setup browser  ## re-take docs/screenshot.png and docs/screenshot-compare.png (the README's)
	SCREENSHOT_PATH=docs/screenshot.png $(BIN)/python -m pytest -q \
		tests/service/live/test_page_browser.py -k search_filter_open
	WORKSPACE_SCREENSHOT_PATH=docs/screenshot-compare.png $(BIN)/python -m pytest -q \
		tests/service/live/test_workspace_browser.py -k compare_filter

BENCH_ARGS ?=
bench: setup  ## the benchmark suite (~10 min): table on stdout, JSON in bench-results/
	$(BIN)/python -m policyqa.eval.bench --out bench-results $(BENCH_ARGS)

constraints: setup  ## re-pin constraints.txt from the current environment
	{ head -2 constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^policyqa'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache

# socialcredit — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AXE    := $(VENV)/axe/node_modules/axe-core/axe.min.js
DEMO   := demo

.PHONY: demo test test-fast lint bench clean install browser mutation

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# axe-core, which the browser tests run on every main page
$(AXE):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@4

install: $(STAMP) $(AXE)

# Debian's chromium and a Chinese font for the browser tests (CI runs as root)
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	@fc-list :lang=zh | grep -q . || (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei)

demo: $(STAMP)
	$(BIN)/python -m socialcredit.demo --dir $(DEMO)

test: $(STAMP) $(AXE) browser
	$(BIN)/python -m pytest -n auto --dist loadfile

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy --strict src
	$(BIN)/lint-imports --no-logo

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# Mutation testing (hours, so neither in `make test` nor in CI): mutmut mutates the engine,
# the decision, the list entries and the safeguards lint under mutants/ (pyproject.toml,
# [tool.mutmut]) and keeps its results there, so a second run only tries what changed;
# `rm -rf mutants` starts afresh. The scores go to benchmarks/RESULTS.md.
MUTATION_CHILDREN ?= 2
mutation: $(STAMP)
	@start=$$(date +%s); $(BIN)/mutmut run --max-children $(MUTATION_CHILDREN); \
	$(BIN)/python -m benchmarks.mutation_report --seconds $$(( $$(date +%s) - start ))

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache mutants

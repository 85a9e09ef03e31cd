# socialcredit — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AXE    := $(VENV)/axe/node_modules/axe-core/axe.min.js
DEMO   := demo

.PHONY: demo test test-slow lint bench bench-quick clean install browser mutation

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

# Every suite this machine can run — PostgreSQL (a throwaway cluster unless
# SOCIALCREDIT_TEST_POSTGRES names a database), Spark, the browser — on every core, except
# the long runs marked `slow` (1,000-example properties, crash trials, soak, big cities):
# `make test-slow` runs those, and CI runs both. The summary says what ran and what not.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile

test: $(STAMP) $(AXE) browser
	$(PYTEST) -m "not slow"

test-slow: $(STAMP) $(AXE) browser
	$(PYTEST) -m slow

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy --strict src
	$(BIN)/lint-imports --no-logo

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# every benchmark at small sizes (a few minutes), to catch one that breaks; RESULTS.md untouched
bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.quick

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

# zhengcetong — one command per job. `make help` lists them.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv demo test test-fast screenshots lint typecheck format bench serve clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## create the virtual environment and install the project

demo: $(STAMP) ## ingest the sample gazette into the data folder (ZCT_DATA_DIR, default ~/.local/share/zhengcetong), print the demo reviewer login and serve on 127.0.0.1, port PORT (default 8000: make demo PORT=8001)
	$(BIN)/zct demo --host $(HOST) --port $(PORT)

test: $(STAMP) typecheck ## type-check, then the whole suite with branch coverage (SQLite; PostgreSQL too when ZCT_TEST_POSTGRES_URL is set); fails under the floor in pyproject.toml
	bash tests/setup_browser.sh
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider --cov --cov-report=term:skip-covered

test-fast: $(STAMP) ## the suite without browser tests
	$(BIN)/python -m pytest -n 2 -m "not browser"

screenshots: $(STAMP) ## run the browser tests and update the documented screenshots in docs/screenshots/ (make test writes its own elsewhere)
	bash tests/setup_browser.sh
	ZCT_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -p no:cacheprovider tests/functional/test_browser.py tests/functional/test_browser_journey.py

lint: $(STAMP) typecheck ## ruff check and format check, and mypy
	$(BIN)/ruff check zhengcetong tests bench
	$(BIN)/ruff format --check zhengcetong tests bench

typecheck: $(STAMP) ## mypy on the packages listed in pyproject.toml ([tool.mypy] files)
	$(BIN)/mypy

format: $(STAMP) ## format the code
	$(BIN)/ruff format zhengcetong tests bench
	$(BIN)/ruff check --fix zhengcetong tests bench

bench: $(STAMP) ## run the benchmarks (they print figures; they are not tests)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/extract_quality.py
	$(BIN)/python bench/search.py --clauses 200000  # the full run: bench/search.py (1 000 000 clauses)

serve: $(STAMP) ## serve the configured database on 127.0.0.1, port PORT (default 8000)
	$(BIN)/zct serve --host $(HOST) --port $(PORT)

clean: ## remove the environment and caches (the data folder ZCT_DATA_DIR is kept)
	rm -rf $(VENV) .pytest_cache .mypy_cache .coverage

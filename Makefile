# zhengcetong — one command per job. `make help` lists them.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv demo test test-fast screenshots lint typecheck format bench serve clean

help: ## 列出所有命令
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## 创建虚拟环境并安装项目

demo: $(STAMP) ## 把示例公报导入数据目录（ZCT_DATA_DIR，默认 ~/.local/share/zhengcetong），打印演示审核账号，在 127.0.0.1 启动网站；端口默认 8000，可用 make demo PORT=8001
	$(BIN)/zct demo --host $(HOST) --port $(PORT)

test: $(STAMP) typecheck ## 类型检查，然后运行全部测试并统计分支覆盖率（SQLite；设置 ZCT_TEST_POSTGRES_URL 时再跑 PostgreSQL）；低于 pyproject.toml 中的下限即失败
	bash tests/setup_browser.sh
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider --cov --cov-report=term:skip-covered

test-fast: $(STAMP) ## 运行除浏览器测试以外的全部测试
	$(BIN)/python -m pytest -n 2 -m "not browser"

screenshots: $(STAMP) ## 运行浏览器测试并更新文档截图 docs/screenshots/（make test 的截图写在别处，不改动仓库）
	bash tests/setup_browser.sh
	ZCT_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -p no:cacheprovider tests/functional/test_browser.py tests/functional/test_browser_journey.py

lint: $(STAMP) typecheck ## 代码检查：ruff check、格式检查和 mypy
	$(BIN)/ruff check zhengcetong tests bench
	$(BIN)/ruff format --check zhengcetong tests bench

typecheck: $(STAMP) ## 用 mypy 检查 pyproject.toml（[tool.mypy] files）列出的包
	$(BIN)/mypy

format: $(STAMP) ## 格式化代码
	$(BIN)/ruff format zhengcetong tests bench
	$(BIN)/ruff check --fix zhengcetong tests bench

bench: $(STAMP) ## 运行基准测评（只打印数据，不判断对错）
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/extract_quality.py
	$(BIN)/python bench/search.py --clauses 200000  # the full run: bench/search.py (1 000 000 clauses)

serve: $(STAMP) ## 按当前配置的数据库在 127.0.0.1 启动网站；端口默认 8000，可用 make serve PORT=8001
	$(BIN)/zct serve --host $(HOST) --port $(PORT)

clean: ## 删除虚拟环境和缓存（数据目录 ZCT_DATA_DIR 保留）
	rm -rf $(VENV) .pytest_cache .mypy_cache .coverage

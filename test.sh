#!/usr/bin/env bash
# 一条命令：安装依赖并运行全部测试。 One command: install and run the tests.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh dev
# 静态检查：风格（ruff）、类型（mypy，scoring/ 与 loaders/ 严格）、分层约定（tests/test_layers.py）。
# Static checks first, so a violation fails the run before the slow tests.
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest -q -p no:cacheprovider tests/test_layers.py tests/test_import_hygiene.py
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
# pytest exits 5 when it collects no tests: that is a failure of the suite, not a pass.
if [ "$rc" -eq 5 ]; then echo "没有收集到任何测试 (pytest exit 5)" >&2; exit 1; fi
exit "$rc"

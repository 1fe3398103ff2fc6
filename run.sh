#!/usr/bin/env bash
# 一条命令：安装依赖并在示例数据库上启动督导台。 One command: install and run the dashboard.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run dashboard.py --server.headless true "$@"

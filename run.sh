#!/usr/bin/env bash
# 一条命令：安装依赖并在示例数据库上启动督导台。 One command: install and run the dashboard.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
# Binds 127.0.0.1 unless COMPLIANCE_ADDRESS says otherwise (behind the intranet's HTTPS reverse
# proxy it stays 127.0.0.1; see README 部署). Later arguments override earlier ones.
exec .venv/bin/python -m streamlit run serve.py --server.headless true \
    --server.address "${COMPLIANCE_ADDRESS:-127.0.0.1}" "$@"

#!/usr/bin/env bash
# Create .venv and install the pinned requirements (dev=1 adds the test tools).
# `dev` also installs the Debian packages the browser tests need (chromium, fonts-noto-cjk) when
# they are missing; when they are present nothing is installed (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
req=requirements.txt
[ "${1:-}" = "dev" ] && req=requirements-dev.txt
.venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"

system_packages() {
  local need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # not grep -q: under pipefail its early exit makes fc-list die of SIGPIPE and the check fail
  fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
  [ "${#need[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "浏览器测试需要 ${need[*]}：本机没有 apt-get，请手动安装后再运行。" >&2
    return 1
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "正在安装浏览器测试所需的系统软件包：${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"
}

[ "${1:-}" = "dev" ] && system_packages
exit 0

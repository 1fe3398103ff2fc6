"""The README's one test command installs what the tests need on a fresh machine (issue 11 item 14):
`bash test.sh` → `scripts/setup.sh dev`, which installs Debian's chromium and fonts-noto-cjk when
missing; `.ci/run` runs that same command instead of installing on its own."""
from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_test_command_goes_through_setup_dev() -> None:
    assert "bash scripts/setup.sh dev" in (ROOT / "test.sh").read_text(encoding="utf-8")
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "bash test.sh" in ci and "apt-get" not in ci


def test_setup_dev_checks_both_system_packages() -> None:
    setup = (ROOT / "scripts/setup.sh").read_text(encoding="utf-8")
    for package in ("chromium", "fonts-noto-cjk"):
        assert f"need+=({package})" in setup
    assert "apt-get install" in setup


def test_setup_dev_is_a_no_op_when_everything_is_present() -> None:
    # this machine has chromium and the CJK fonts: a second run installs nothing and succeeds
    run = subprocess.run(["bash", "scripts/setup.sh", "dev"], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    assert "正在安装" not in run.stderr

"""The README must hold true: its CLI block, rules table and dependency table match the code.

Covers README facts that drift silently; the two commands themselves are exercised by CI.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import scoring
from ui_text.scoring import COMPONENT_LABELS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands(module: str) -> list[str]:
    out = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return re.search(r"\{([a-z,]+)\}", out).group(1).split(",")


def _options(module: str, command: str) -> set[str]:
    out = subprocess.run([sys.executable, "-m", module, command, "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"(--[a-z][a-z-]+)", out)) - {"--help"}


def test_every_cli_command_and_option_is_in_the_readme() -> None:
    cli_block = README.split("## 命令行", 1)[1].split("```", 2)[1]
    for module in ("loaders", "scoring"):
        for command in _subcommands(module):
            lines = [ln for ln in cli_block.split("python -m ")[1:] if ln.startswith(f"{module} {command} ")
                     or ln.startswith(f"{module} {command}\n") or re.match(rf"{module}\s+{command}\s", ln)]
            assert lines, f"README lacks python -m {module} {command}"
            for option in _options(module, command):
                assert option in lines[0], f"README lacks {option} of {module} {command}"


def test_rules_table_matches_rules_file() -> None:
    rules = scoring.load_rules()
    table = README.split("## 评分规则", 1)[1].split("\n\n", 2)[2]
    for component, weight in rules.weights.items():
        label = COMPONENT_LABELS[component]
        row = next((ln for ln in table.splitlines() if ln.startswith(f"| {label} |")), None)
        assert row is not None, f"README rules table lacks {label}"
        assert float(row.split("|")[2]) == float(weight), f"README weight of {label} differs"


def test_every_requirement_is_explained() -> None:
    names = []
    for req in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / req).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith(("#", "-r")):
                names.append(line.split("==")[0])
    deps = README.split("## 依赖及理由", 1)[1]
    for name in names:
        assert name in deps, f"README does not say why {name} is a dependency"

"""The README must hold true: its CLI block, rules table and dependency table match the code.

Covers README facts that drift silently; the two commands themselves are exercised by CI.
"""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import scoring
from ui_text.scoring import COMPONENT_LABELS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _parser(module: str) -> argparse.ArgumentParser:
    """The module's real command-line parser, built in process (no interpreter per command)."""
    if module == "loaders":
        from loaders.cli import build_parser
        return build_parser()
    from scoring.__main__ import _parser as scoring_parser
    return scoring_parser()


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, set[str]]]:
    """(command path such as 'round create', its --options) for every leaf command."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if sub is None:
        yield " ".join(path), {o for a in parser._actions for o in a.option_strings if o.startswith("--")} - {"--help"}
        return
    for name, child in sub.choices.items():
        yield from _commands(child, (*path, name))


def _names(chunk: str, module: str, command: str) -> bool:
    """Whether a README command line names `python -m module command` ('confirm|reject' names both)."""
    words = chunk.split()
    parts = command.split()
    if not words or words[0] != module or len(words) < len(parts) + 1:
        return False
    return all(part in words[i + 1].split("|") for i, part in enumerate(parts))


def test_every_cli_command_and_option_is_in_the_readme() -> None:
    cli_block = README.split("## 命令行", 1)[1].split("```", 2)[1]
    chunks = cli_block.split("python -m ")[1:]  # one per README command, with its continuation lines
    seen = 0
    for module in ("loaders", "scoring"):
        for command, options in _commands(_parser(module)):
            lines = [c for c in chunks if _names(c, module, command)]
            assert lines, f"README lacks python -m {module} {command}"
            for option in options:
                assert option in lines[0], f"README lacks {option} of {module} {command}"
            seen += 1
    assert seen >= 10  # loaders init … restore, scoring evaluate, round …


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

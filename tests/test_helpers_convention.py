"""The tests' one convention for shared code (README, 测试的共用代码): conftest.py files hold only
fixtures and no test module imports one; shared helpers live in a folder's helpers.py."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def conftest_imports(source: str) -> list[int]:
    """Lines of `source` that import a conftest module (absolute or relative)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        if any(n.split(".")[-1] == "conftest" for n in names):
            lines.append(node.lineno)
    return lines


def test_no_test_module_imports_a_conftest() -> None:
    found = [f"{p.relative_to(TESTS)}:{line}" for p in sorted(TESTS.rglob("*.py"))
             for line in conftest_imports(p.read_text(encoding="utf-8"))]
    assert found == []


def test_the_check_sees_both_spellings() -> None:
    assert conftest_imports("from tests.rectification.conftest import load\nimport conftest\n"
                            "from .conftest import x\nfrom tests.rectification.helpers import load\n") == [1, 2, 3]

"""The static layer contract, read from every module's `import` statements (ast, no execution):

  loaders → (DuckDB) → scoring → queries → reports → appkit → pages / dashboard.py

- `loaders`, `scoring`, `queries`, `reports` and `accounts` never import streamlit, appkit or pages;
- `scoring` imports `loaders` only in its CLI entries (`scoring/__main__.py`, `scoring/round_cli.py`),
  and `reports` only there and in `scoring/rounds.py` (a round stores its export context);
  `queries` and `reports` never import `loaders`;
- nothing below `reports` imports `reports`, nothing below `queries` imports `queries`;
- pages and dashboard.py never import duckdb (they call packages; SQL lives in `.sql` files).

Function-level (lazy) imports count too. `tests/test_import_hygiene.py` checks the same at run
time (what importing a package really pulls in).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRONT = ("streamlit", "appkit", "pages")

# package -> top-level modules it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "loaders": (*FRONT, "scoring", "queries", "reports"),
    "scoring": (*FRONT, "queries", "reports", "loaders"),
    "queries": (*FRONT, "reports", "loaders"),
    "reports": (*FRONT, "loaders"),
    "accounts": FRONT,
    "appkit": ("pages",),
    "pages": ("duckdb",),
}
# the command-line entries of scoring may build the default database and write exports
EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "scoring/__main__.py": ("loaders", "reports"),
    "scoring/round_cli.py": ("loaders", "reports"),
    # a round stores the Excel context and builds the circulated files: it sits above reports
    "scoring/rounds.py": ("reports",),
}


def module_imports(source: str, package: str) -> list[tuple[int, str]]:
    """(line, top-level module) of every import in `source`, relative imports resolved to `package`."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append((node.lineno, package if node.level else (node.module or "").split(".")[0]))
    return out


def violations(package: str) -> list[str]:
    files = sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []
    if package == "pages":
        files.append(ROOT / "dashboard.py")
    found = []
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        allowed = EXCEPTIONS.get(rel, ())
        for line, module in module_imports(path.read_text(encoding="utf-8"), rel.split("/")[0]):
            if module in FORBIDDEN[package] and module not in allowed:
                found.append(f"{rel}:{line} imports {module}")
    return found


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_layer_contract(package: str) -> None:
    assert violations(package) == []


def test_the_contract_sees_a_lazy_import() -> None:
    """The checker itself: imports inside a function are found, relative ones resolved."""
    source = "def f():\n    import streamlit as st\n    from appkit.db import Db\n    from . import measure\n"
    assert [m for _, m in module_imports(source, "scoring")] == ["streamlit", "appkit", "scoring"]

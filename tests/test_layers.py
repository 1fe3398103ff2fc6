"""The static layer contract, read from every module's `import` statements (ast, no execution):

  loaders → (DuckDB) → scoring → queries → reports → appkit → pages / dashboard.py

- `loaders`, `scoring`, `queries`, `reports` and `accounts` never import streamlit, appkit or pages;
- `scoring` imports `loaders` only in its CLI entries (`scoring/__main__.py`, `scoring/round_cli.py`),
  and `reports` only there and in `scoring/rounds.py` (a round stores its export context, reports.context);
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
    "scoring/rectification_cli.py": ("reports",),  # tasks/dispute/compare: compare --excel
    # a round stores the Excel context (reports.context) with its evaluation; reports builds its files
    "scoring/rounds.py": ("reports",),
    # the loaders CLI runs the rectification check after a load (DESIGN §11, issue #13), lazily, as
    # scoring's CLI lazily builds the default database through loaders
    "loaders/cli.py": ("scoring",),
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


# Known cycles through a function-level import, each with its owner's reason; none may be added.
ALLOWED_CYCLES = {
    ("loaders.api", "loaders.crawl.pull"),  # pull() dispatches [[column]] entries to the crawler
    ("appkit.cache", "appkit.db"),
}


def _project_modules() -> dict[str, Path]:
    mods = {}
    for package in ("loaders", "scoring", "queries", "reports", "appkit", "accounts", "ui_text"):
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            mods[name.removesuffix(".__init__")] = path
    return mods


def _project_imports(path: Path, mods: dict[str, Path]) -> set[str]:
    """Project modules `path` imports anywhere (module level or inside a function)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in mods}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                out.add(full if full in mods else node.module)
    return {m for m in out if m in mods}


def import_cycles() -> set[tuple[str, ...]]:
    mods = _project_modules()
    graph = {m: _project_imports(p, mods) - {m} for m, p in mods.items()}
    cycles: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):]
                start = cycle.index(min(cycle))
                cycles.add(tuple(cycle[start:] + cycle[:start]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def test_no_import_cycles() -> None:
    """No module reaches itself through imports, lazy ones included (appkit.shell ↔ widgets and
    loaders.db → sample → api → store → db were two)."""
    assert import_cycles() - ALLOWED_CYCLES == set()

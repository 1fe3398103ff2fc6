"""Imports follow the data flow: loaders, scoring, queries and reports never pull in Streamlit;
scoring (and queries, reports above it) never import loaders.

Run in a subprocess so modules imported by other tests cannot hide a violation.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_loaders_do_not_import_streamlit() -> None:
    mods = _modules_after("import loaders, loaders.api, loaders.cli, loaders.sample")
    assert "loaders.api" in mods
    assert not any(m == "streamlit" or m.startswith("streamlit.") for m in mods)


def test_scoring_imports_neither_streamlit_nor_loaders() -> None:
    mods = _modules_after("import scoring, queries.views, queries.self_check, reports.excel")
    assert "scoring.decide" in mods and "reports.excel" in mods
    assert not any(m == "streamlit" or m.startswith("streamlit.") for m in mods)
    assert not any(m == "loaders" or m.startswith("loaders.") for m in mods)


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant that is not a docstring."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_cjk_literals_in_pages_app_or_scoring() -> None:
    """Every Chinese word a user sees lives in ui_text/ (R8). Loaders are exempt only for the
    input vocabulary they recognise (header variants, marks), which is data about files, not UI."""
    import re

    cjk = re.compile(r"[\u4e00-\u9fff]")
    files = [ROOT / "dashboard.py"]
    for folder in ("pages", "appkit", "scoring", "queries", "reports"):
        files += sorted((ROOT / folder).rglob("*.py"))
    offenders = [f"{p.relative_to(ROOT)}:{line}" for p in files
                 for line, text in _string_literals(p) if cjk.search(text)]
    assert offenders == []


def test_a_disclosure_load_imports_only_what_it_uses() -> None:
    """Issue #17: a csv disclosure log loaded through the CLI entry never imports the catalog
    normaliser, its marks, the sources registry, the readers of other formats, the commands' own
    modules (history, undo, backup, sample) or urllib's HTTP client; every one would be imported,
    and compiled where no bytecode is kept, at each start-up."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "fresh.duckdb"
        source = ROOT / "tests" / "data" / "csv" / "log_utf8_bom.csv"
        mods = _modules_after("from loaders.cli import main; "
                              f"assert main(['disclosures', '--district', '金水区', {str(source)!r}, "
                              f"'--db', {str(db)!r}]) == 0")
    assert "loaders.csv_table" in mods and "loaders.store" in mods
    unused = {"loaders.catalog", "loaders.marks", "loaders.sources", "loaders.history", "loaders.backup",
              "loaders.sample", "loaders.xlsx_table", "loaders.html_table", "loaders.docx_table",
              "loaders.xls_table", "loaders.pdf_table", "openpyxl", "xlrd", "docx",
              "urllib.request", "http.client", "ssl"}  # a file load fetches nothing
    assert sorted(unused & mods) == []
    assert not any(m == "scoring" or m.startswith("scoring.") for m in mods)


def test_the_load_path_modules_import_pandas_only_where_they_build_frames() -> None:
    """Issue #17: the CLI, the API, the database helpers, guards, limits and the vocabulary import
    pandas inside the functions that build frames (or for type checking only), never with the
    module, so a load whose readers and normalisers work in Arrow/DuckDB starts without it."""
    import ast

    offenders = []
    for name in ("__init__", "__main__", "cli", "api", "db", "guards", "limits", "vocabulary", "names"):
        path = ROOT / "loaders" / f"{name}.py"
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level only
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            elif isinstance(node, ast.Try):  # loaders/__init__ imports inside try/finally
                modules = [a.name for n in node.body if isinstance(n, ast.Import) for a in n.names] + \
                          [n.module or "" for n in node.body if isinstance(n, ast.ImportFrom)]
            else:
                continue
            offenders += [f"{name}.py:{node.lineno}" for m in modules if m.split(".")[0] == "pandas"]
    assert offenders == []

"""Completeness checks: every problem kind has a Chinese template, every template formats,
the loaders hold no CJK literals (words live in ui_text/ and loaders/vocabulary.toml), and
loaders never import streamlit or scoring."""
from __future__ import annotations

import ast
import re
import subprocess
import sys

from loaders.errors import LoadProblem, ProblemKind
from loaders.model import LoadOutcome
from tests.loaders.helpers import ROOT
from ui_text.errors import PROBLEM_TEMPLATES, RESULT_LABELS


def test_every_problem_kind_has_a_template() -> None:
    assert {k.value for k in ProblemKind} == set(PROBLEM_TEMPLATES)


def test_every_load_outcome_has_a_label() -> None:
    assert set(RESULT_LABELS) == set(LoadOutcome)
    for outcome in LoadOutcome:
        assert re.search(r"[\u4e00-\u9fff]", RESULT_LABELS[outcome]), outcome


def test_every_template_formats_with_a_location() -> None:
    for kind in ProblemKind:
        message = LoadProblem(kind, "a.xlsx", "Sheet1", 5, "发布日期", "x", "y").message
        assert message.startswith("文件「a.xlsx」，工作表「Sheet1」，第 5 行，「发布日期」列：")
        assert "{" not in message and message.endswith("。")


FOUNDATION = {"db.py", "names.py", "reference.py"}  # owned elsewhere


def cjk_literals(source: str) -> list[str]:
    """String constants holding CJK characters, docstrings excepted."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    cjk = re.compile(r"[\u4e00-\u9fff]")
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings and cjk.search(n.value)]


def test_no_cjk_literals_in_loader_code() -> None:
    offenders = {p.name: cjk_literals(p.read_text(encoding="utf-8"))
                 for p in (ROOT / "loaders").glob("*.py") if p.name not in FOUNDATION}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert cjk_literals('x = "\u53d1\u5e03\u65e5\u671f"') == ["\u53d1\u5e03\u65e5\u671f"]  # the check can fail


def test_loaders_do_not_import_streamlit_or_scoring() -> None:
    code = ("import sys, loaders, loaders.cli, loaders.sample; "
            "print(any(m == 'streamlit' or m.startswith(('streamlit.', 'scoring')) for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False"

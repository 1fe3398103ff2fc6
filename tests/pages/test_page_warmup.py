"""The server-start warm-up (serve.py, appkit.warmup, issue #17 target 3).

Before the first visitor, the served app imports what the first screen needs and fills the shared
results 督导总览 reads for the default view under the page's own keys: the first visitor's overview
neither evaluates nor draws its chart again, and shows exactly what a cold render shows. The
warm-up never builds, writes or shows anything: without a ready database it does nothing, and
access control is the pages' own (a district scope never reads the shared results).
"""
from __future__ import annotations

import ast
import threading
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from page_helpers import BUREAU, DASHBOARD, ROOT, TODAY, XINMI
from streamlit.testing.v1 import AppTest

import scoring
from appkit import cache, charts, warmup
from ui_text.access import NO_ACCESS


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the ranking's figures were computed (`cache.scores_only`), the full evaluation
    ran, and the score chart was drawn (`charts.score_chart`)."""
    calls: Counter[str] = Counter()

    def counting(name, real):  # type: ignore[no-untyped-def]
        def count(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return real(*args, **kwargs)
        return count

    monkeypatch.setattr(cache, "scores_only", counting("ranking", cache.scores_only))
    monkeypatch.setattr(scoring, "evaluate", counting("evaluate", scoring.evaluate))
    monkeypatch.setattr(charts, "score_chart", counting("chart", charts.score_chart))
    monkeypatch.setattr(cache, "start_warming", counting("after", lambda *a, **k: None))  # no background evaluation
    return calls


@pytest.fixture
def db(sample_db_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("COMPLIANCE_DB", str(sample_db_copy))
    monkeypatch.setenv("COMPLIANCE_TODAY", TODAY.isoformat())
    monkeypatch.setenv("COMPLIANCE_VIEW_CACHE", str(tmp_path / "views"))
    cache.clear()
    yield sample_db_copy
    cache.clear()


def overview(role: dict[str, str | None] = BUREAU) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.session_state["demo_role"] = role["role"]
    if role.get("district_code"):
        at.session_state["demo_unit"] = role["district_code"]
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_first_visitor_finds_the_overview_computed(db: Path, counted: Counter[str], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cold = overview()  # what the first visitor sees without the warm-up
    assert counted["ranking"] == 1 and counted["chart"] == 1
    cold_svg = [m.value for m in cold.markdown if "<svg" in m.value]
    cache.clear()  # a fresh process …
    monkeypatch.setenv("COMPLIANCE_VIEW_CACHE", str(tmp_path / "fresh-views"))  # … with nothing stored

    warmup.run()
    assert counted["ranking"] == 2 and counted["chart"] == 2 and counted["evaluate"] == 0
    assert counted["after"] == 1  # the full evaluation is left to the after-run warming (once quiet)
    warm = overview()
    assert counted["ranking"] == 2 and counted["chart"] == 2  # neither computed again
    pd.testing.assert_frame_equal(warm.dataframe[0].value, cold.dataframe[0].value)
    assert [m.value for m in warm.markdown if "<svg" in m.value] == cold_svg
    assert [m.value for m in warm.metric] == [m.value for m in cold.metric]


def test_a_district_scope_reads_its_own_cut_after_the_warm_up(db: Path, counted: Counter[str]) -> None:
    """The warm-up fills only shared results of the every-unit view; a district office's pages
    still see their own unit only (and the overview stays closed to it)."""
    warmup.run()
    at = overview({"role": "district", "district_code": XINMI})  # its own first page: 区县自查
    at.switch_page("pages/overview.py").run()  # a bookmark of 督导总览
    assert [e.value for e in at.error] == [NO_ACCESS] and not at.dataframe


def test_without_a_ready_database_it_builds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    counted: Counter[str]) -> None:
    missing = tmp_path / "none.duckdb"
    monkeypatch.setenv("COMPLIANCE_DB", str(missing))
    monkeypatch.setenv("COMPLIANCE_VIEW_CACHE", str(tmp_path / "views"))
    warmup.run()
    assert not missing.exists() and not (tmp_path / "views").exists()
    assert sum(counted.values()) == 0


def test_it_runs_only_in_a_served_app() -> None:
    """AppTest and tests have no real runtime: no thread is started (tests count evaluations)."""
    assert warmup.start() is None
    assert not [t for t in threading.enumerate() if t.name == "compliance-start-warm"]


def test_the_imports_are_read_from_the_sources() -> None:
    first = warmup.imported_modules(warmup.first_screen_files())
    assert {"pandas", "appkit.scope", "appkit.persist", "scoring.evaluation", "ui_text.overview_scale"} <= set(first)
    assert "reports.excel" not in first and "reports.excel" in warmup.imported_modules(warmup.other_files())
    assert "__future__" not in first and len(first) == len(set(first))
    assert not set(warmup.first_screen_files()) & set(warmup.other_files())


def test_serve_py_is_an_st_app_of_dashboard_py() -> None:
    """`streamlit run serve.py` finds the st.App (by its source, as Streamlit does) of dashboard.py."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "serve.py")
    assert found.is_asgi_app and found.app_name == "app"
    call = next(n for n in ast.walk(ast.parse((ROOT / "serve.py").read_text())) if isinstance(n, ast.Call))
    assert isinstance(call.args[0], ast.Constant) and call.args[0].value == "dashboard.py"

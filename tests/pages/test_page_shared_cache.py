"""督导总览 pays for the evaluation's figures once (issue #17 target 3): the evaluation, the ranking frame
and the score chart are built once per (database version, dates) and shared by every rerun and
every session; a filter change re-renders without re-evaluating or rebuilding, and a shared
result cannot be changed by the page that received it."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest
from page_helpers import BUREAU, DASHBOARD, ZHONGMU
from streamlit.testing.v1 import AppTest

import scoring
from appkit import cache, charts, tables

# A date no other page test evaluates, so this test starts from cold caches of its own.
AS_OF = dt.date(2024, 3, 29)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()

    def count(name: str, real):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(scoring, "evaluate", count("evaluate", scoring.evaluate))
    monkeypatch.setattr(cache, "scores_only", count("scores_only", cache.scores_only))
    monkeypatch.setattr(tables, "ranking_frame", count("ranking_frame", tables.ranking_frame))
    monkeypatch.setattr(charts, "score_bars", count("score_bars", charts.score_bars))
    return calls


def _open(app_env, pages_db) -> AppTest:  # noqa: ANN001
    app_env(pages_db)
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.session_state["demo_role"] = BUREAU["role"]
    at.session_state["as_of"] = AS_OF
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_evaluates_and_builds_once_per_dates(app_env, pages_db, counted) -> None:  # noqa: ANN001
    at = _open(app_env, pages_db)
    assert at.dataframe[0].value.shape[0] == 16
    # the ranking needs the figures only (cache.scores_only), not the full evaluation's lists
    assert counted == {"scores_only": 1, "ranking_frame": 1, "score_bars": 1}
    at.run()  # any click elsewhere: a rerun with the same dates
    kinds = at.multiselect(key="overview_kinds")
    kinds.set_value(["县"]).run()  # the kind filter: only the chart of the new selection is new
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["code"]) == [ZHONGMU]
    assert counted == {"scores_only": 1, "ranking_frame": 1, "score_bars": 2}
    at.multiselect(key="overview_kinds").set_value(["区", "县级市", "县", "功能区"]).run()  # back: shared again
    assert counted == {"scores_only": 1, "ranking_frame": 1, "score_bars": 2}
    # another session on the same dates shares everything built so far
    other = _open(app_env, pages_db)
    assert other.dataframe[0].value.equals(at.dataframe[0].value)
    assert counted == {"scores_only": 1, "ranking_frame": 1, "score_bars": 2}


def test_a_shared_frame_cannot_be_changed_by_its_reader() -> None:
    from appkit import cache
    from appkit.db import Db

    db = Db("/nonexistent/probe.duckdb", "v1")
    first = cache.derived(db, ("probe",), lambda: pd.DataFrame({"score": [1.0, 2.0]}))
    first.loc[0, "score"] = 99.0  # the reader's copy-on-write view: the shared frame is untouched
    again = cache.derived(db, ("probe",), lambda: pd.DataFrame({"score": [5.0]}))
    assert list(again["score"]) == [1.0, 2.0]  # built once, unchanged by the first reader's write
    newer = cache.derived(Db(db.path, "v2"), ("probe",), lambda: pd.DataFrame({"score": [5.0]}))
    assert list(newer["score"]) == [5.0]  # a new data version builds anew


def test_the_dashboards_connection_caps_duckdbs_memory(pages_db) -> None:  # noqa: ANN001
    """DuckDB's default (80 % of RAM) kept ~1.4 GB of buffers in the server after a national
    evaluation; the dashboard's read-only connection is capped (appkit.db.DB_MEMORY)."""
    import duckdb

    from appkit import db as app_db

    expected = duckdb.connect(":memory:")
    expected.execute("SET memory_limit = $limit", {"limit": app_db.DB_MEMORY})
    want = expected.execute("SELECT current_setting('memory_limit')").fetchone()
    default = duckdb.connect(":memory:").execute("SELECT current_setting('memory_limit')").fetchone()
    assert app_db.DB_MEMORY == "1GB" and want != default
    cur = app_db.cursor(str(pages_db.resolve()))
    assert cur.execute("SELECT current_setting('memory_limit')").fetchone() == want
    assert cur.execute("SELECT count(*) FROM districts").fetchone() == (16,)


def test_the_self_check_and_what_if_are_built_once_and_shared_read_only(app_env, pages_db,  # noqa: ANN001
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """区县自查's assembly and its what-if are shared objects (st.cache_resource), not unpickled
    per rerun; a reader's changes cannot reach the shared result."""
    from appkit import cache
    from appkit.db import database
    from queries import self_check as sc

    calls: Counter[str] = Counter()
    real_build, real_what_if = sc.build_self_check, scoring.what_if

    def build(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["build"] += 1
        return real_build(*args, **kwargs)

    def what_if(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["what_if"] += 1
        return real_what_if(*args, **kwargs)

    monkeypatch.setattr(sc, "build_self_check", build)
    monkeypatch.setattr(scoring, "what_if", what_if)
    app_env(pages_db)
    db, since = database(), dt.date(2024, 1, 1)
    first = cache.self_check(db, AS_OF, since, ZHONGMU)
    again = cache.self_check(db, AS_OF, since, ZHONGMU)
    assert calls["build"] == 1 and again.district is first.district  # the same shared result
    assert first.fixes  # 中牟县 has something to fix
    with pytest.raises(TypeError):
        first.fixes.append(first.fixes[0])
    with pytest.raises(TypeError):
        first.weights["timeliness"] = 0.0
    first.items = pd.DataFrame()  # the reader's own copy: the next reader still gets the checklist
    assert not cache.self_check(db, AS_OF, since, ZHONGMU).items.empty
    n = min(2, len(first.fixes))
    result = cache.what_if(db, AS_OF, since, ZHONGMU, n)
    assert cache.what_if(db, AS_OF, since, ZHONGMU, n) is result and calls["what_if"] == 1
    # the arithmetic is the planner's own: the same fixes through scoring.what_if directly
    con = db.cursor()
    assert result == real_what_if(con, AS_OF, ZHONGMU, list(first.fixes[:n]), since=since)


_RELOAD = r"""
import os, sys
sys.path.insert(0, os.getcwd())
from streamlit.testing.v1 import AppTest
OURS = ("scoring", "appkit", "queries", "reports", "accounts", "loaders", "ui_text")
at = AppTest.from_file(os.path.join(os.getcwd(), "dashboard.py"), default_timeout=120)
at.session_state["demo_role"] = "district"
at.session_state["demo_unit"] = sys.argv[1]
at.run()
assert not at.exception, [e.value for e in at.exception]
first = [m.value for m in at.metric]
for name in [n for n in sys.modules if n.split(".")[0] in OURS]:  # what Streamlit's watcher does on a save
    del sys.modules[name]
at.run()
assert not at.exception, [e.value for e in at.exception]
assert [m.value for m in at.metric] == first and first, first
print("ok")
"""


def test_a_development_reload_of_the_code_keeps_the_pages_working(pages_db, tmp_path) -> None:  # noqa: ANN001
    """Saving a source file in development makes Streamlit drop and re-import every module of the
    app; the shared results of the old classes are dropped with them (appkit.cache), where the
    self-check's st.cache_data used to fail pickling a result holding an old-class object."""
    import os
    import subprocess
    import sys

    from page_helpers import ROOT, TODAY

    env = dict(os.environ, COMPLIANCE_DB=str(pages_db), COMPLIANCE_TODAY=TODAY.isoformat(),
               COMPLIANCE_USERS=str(tmp_path / "no-users.toml"), COMPLIANCE_VIEW_CACHE="off")
    done = subprocess.run([sys.executable, "-c", _RELOAD, ZHONGMU], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-2000:]

"""The overview's ranking kept beside the database (appkit.persist, issue #17 target 3).

A new process (restart, second replica, the first visitor after a deploy) shows the overview from
the stored frame without evaluating; and a stored frame is never shown for data, rules or dates it
was not computed from: after a CLI load, an undo, a restore or a rules change the next render
shows the figures `scoring.evaluate` gives for the new state. A fresh process is simulated by
dropping every in-process cache (`appkit.cache.clear`), which leaves only the folder on disk.
"""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from page_helpers import BUREAU, DASHBOARD, ROOT, TODAY
from streamlit.testing.v1 import AppTest

import scoring
from appkit import cache, persist, tables

HANGKONGGANG = "410173"  # has no catalog in the sample: a catalog load raises its score
CATALOG = ROOT / "tests" / "data" / "xlsx" / "catalog_two_header_rows.xlsx"


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the app computed the ranking's figures (`appkit.cache.scores_only`, what the
    overview evaluates) or ran the full `scoring.evaluate`; both under "evaluate"."""
    calls: Counter[str] = Counter()

    def counting(real):  # type: ignore[no-untyped-def]
        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls["evaluate"] += 1
            return real(*args, **kwargs)
        return counted

    monkeypatch.setattr(cache, "scores_only", counting(cache.scores_only))
    monkeypatch.setattr(scoring, "evaluate", counting(scoring.evaluate))
    return calls


@pytest.fixture
def db(sample_db_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMPLIANCE_DB", str(sample_db_copy))
    monkeypatch.setenv("COMPLIANCE_TODAY", TODAY.isoformat())
    monkeypatch.delenv("COMPLIANCE_VIEW_CACHE", raising=False)
    cache.clear()
    yield sample_db_copy
    cache.clear()


def overview(fresh_process: bool = True) -> pd.DataFrame:
    """The ranking table of 督导总览 as the bureau sees it (after dropping the in-process caches)."""
    if fresh_process:
        cache.clear()
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.session_state["demo_role"] = BUREAU["role"]
    at.run()
    assert not at.exception, at.exception
    return at.dataframe[0].value


def expected(db: Path) -> pd.DataFrame:
    """What a full evaluation of the file as it is now gives (the rules of $COMPLIANCE_RULES)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tables.ranking_frame(scoring.evaluate(con, TODAY, scoring.load_rules().since_for(TODAY)))
    finally:
        con.close()


def score(frame: pd.DataFrame, code: str = HANGKONGGANG) -> float:
    return float(frame.set_index("code").loc[code, "score"])


def cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "loaders", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_new_process_shows_the_stored_ranking_without_evaluating(db: Path, evaluations: Counter[str]) -> None:
    first = overview()
    assert evaluations["evaluate"] == 1
    stored = sorted((db.parent / f"{db.name}.cache").glob("ranking-*.parquet"))
    assert len(stored) == 1  # kept beside the database by the process that computed it
    again = overview()  # a restart: nothing in memory, the folder on disk
    assert evaluations["evaluate"] == 1  # read back, not evaluated again
    pd.testing.assert_frame_equal(again, first)
    pd.testing.assert_frame_equal(again, expected(db).loc[:, list(again.columns)])  # exactly the evaluation's


def test_the_stored_frame_reads_back_identical_to_the_computed_one(db: Path) -> None:
    frame = expected(db)
    version = "v-probe"
    assert persist.read(str(db), version, "ranking", TODAY) is None
    assert persist.write(str(db), version, "ranking", frame, TODAY) is not None
    pd.testing.assert_frame_equal(persist.read(str(db), version, "ranking", TODAY), frame)  # dtypes, NaN, order
    assert persist.read(str(db), "v-other", "ranking", TODAY) is None  # another file version: a miss
    assert persist.read(str(db), version, "ranking", TODAY.replace(day=29)) is None  # another date: a miss


def test_a_file_holding_another_key_is_a_miss(db: Path) -> None:
    frame = expected(db)
    written = persist.write(str(db), "v1", "ranking", frame, TODAY)
    assert written is not None
    wanted = persist._file(written.parent, "ranking", persist.key(str(db), "v2", "ranking", TODAY))
    written.rename(wanted)  # a file copied or renamed under another key's name
    assert persist.read(str(db), "v2", "ranking", TODAY) is None  # the key inside is compared


def test_a_folder_that_cannot_be_written_only_costs_the_evaluation(db: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   evaluations: Counter[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder would go")
    monkeypatch.setenv("COMPLIANCE_VIEW_CACHE", str(blocker))
    want = score(expected(db))
    evaluations.clear()
    assert score(overview()) == want
    assert score(overview()) == want
    assert evaluations["evaluate"] == 2  # nothing kept, nothing broken: each new process evaluates


@pytest.mark.parametrize("fresh_process", [True, False], ids=["new-process", "same-process"])
def test_a_cli_load_an_undo_and_a_restore_each_show_their_own_figures(db: Path, tmp_path: Path,
                                                                       fresh_process: bool) -> None:
    before = overview()
    backup = tmp_path / "backup"
    cli("backup", str(backup), "--db", str(db))
    out = cli("catalog", "--district", "航空港区", str(CATALOG), "--published-on", "2025-03-01", "--db", str(db))
    assert "已导入" in out
    loaded = overview(fresh_process)
    assert score(loaded) > score(before)  # the load raised 航空港区 (a stored frame of before is not shown)
    pd.testing.assert_frame_equal(loaded, expected(db).loc[:, list(loaded.columns)])
    con = duckdb.connect(str(db), read_only=True)
    run_id = con.execute("SELECT max(run_id) FROM load_runs").fetchone()[0]
    con.close()
    cli("undo", str(run_id), "--db", str(db))
    undone = overview(fresh_process)
    assert score(undone) == score(before)
    pd.testing.assert_frame_equal(undone, expected(db).loc[:, list(undone.columns)])
    cli("catalog", "--district", "航空港区", str(CATALOG), "--published-on", "2025-03-01", "--db", str(db))
    assert score(overview(fresh_process)) == score(loaded)  # loaded again (a new file version)
    cli("restore", str(backup), "--db", str(db))  # back to the state before the first load
    restored = overview(fresh_process)
    assert score(restored) == score(before)
    pd.testing.assert_frame_equal(restored, expected(db).loc[:, list(restored.columns)])


def test_a_rules_change_shows_the_new_scores(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = overview()
    text = (ROOT / "scoring" / "rules.toml").read_text(encoding="utf-8")
    changed = text.replace("catalog_coverage = 20\n", "catalog_coverage = 40\n", 1) \
                  .replace("timeliness = 25\n", "timeliness = 5\n", 1)
    assert changed != text
    rules = tmp_path / "rules.toml"
    rules.write_text(changed, encoding="utf-8")
    monkeypatch.setenv("COMPLIANCE_RULES", str(rules))
    after = overview()
    # 航空港区 has no catalog (catalog coverage 0): twice that weight, a lower score
    assert score(after) < score(before)
    pd.testing.assert_frame_equal(after, expected(db).loc[:, list(after.columns)])
    monkeypatch.delenv("COMPLIANCE_RULES")
    pd.testing.assert_frame_equal(overview(), before)  # the original rules: their own stored frame


def test_warming_keeps_the_default_view_for_the_next_visitor(db: Path, evaluations: Counter[str]) -> None:
    """What the served app starts in the background after a run: the default view's ranking is
    stored and the full evaluation is in memory, so neither the overview nor a unit page of the
    next visitor evaluates."""
    import threading

    from appkit.db import database

    app_db, since = database(), scoring.load_rules().since_for(TODAY)
    thread = cache.start_warming(app_db, TODAY, since)
    assert thread is not None
    thread.join(timeout=120)
    assert not thread.is_alive() and evaluations["evaluate"] == 2  # the ranking's figures, the full evaluation
    assert cache.start_warming(app_db, TODAY, since) is None  # once per data version and dates
    assert sorted((db.parent / f"{db.name}.cache").glob("ranking-*.parquet"))
    assert cache.district_result(app_db, TODAY, since, HANGKONGGANG) is not None  # in memory already
    ranking = overview(fresh_process=False)
    assert evaluations["evaluate"] == 2
    pd.testing.assert_frame_equal(ranking, expected(db).loc[:, list(ranking.columns)])  # `expected` evaluates: 3
    assert overview(fresh_process=True) is not None and evaluations["evaluate"] == 3  # read from the folder
    assert not [t for t in threading.enumerate() if t.name == "compliance-warm"]  # AppTest runs never warm


def test_the_warm_up_waits_while_a_script_run_is_under_way(db: Path, evaluations: Counter[str]) -> None:
    """The warm-up asked for at the end of a run does not start while any session's script run is
    under way (it competed with the first visitor's page load), and starts once the runs ended."""
    import time

    from appkit.db import database

    app_db, since = database(), scoring.load_rules().since_for(TODAY)
    with cache.script_run():  # another session's run, still going
        thread = cache.start_warming(app_db, TODAY, since, quiet_s=0.2, longest_s=600)
        assert thread is not None
        time.sleep(1.5)  # far past quiet_s: without the rule it would have started and evaluated
        assert thread.is_alive() and evaluations["evaluate"] == 0
    thread.join(timeout=120)  # the run ended: quiet 0.2 s later it warms
    assert not thread.is_alive() and evaluations["evaluate"] == 2
    assert cache.district_result(app_db, TODAY, since, HANGKONGGANG) is not None


def test_quiet_means_no_run_and_an_idle_process_for_the_whole_span() -> None:
    """`wait_until_quiet`: True once no run was active and the process used under QUIET_CPU of a
    core for quiet_s; a process kept busy (serving the browser's scripts) or a run that never ends
    holds the warm-up back until longest_s, then it starts anyway (False)."""
    import itertools

    idle = itertools.repeat(5.0)  # CPU seconds that never grow
    busy = itertools.count(0.0, 0.1)  # 0.1 CPU s per poll of 0.1 s: a whole core, QUIET_CPU is 0.2
    assert cache.wait_until_quiet(0.3, 60, cpu=lambda: next(idle)) is True
    assert cache.wait_until_quiet(0.3, 1.0, cpu=lambda: next(busy)) is False
    with cache.script_run():
        assert cache.wait_until_quiet(0.3, 1.0, cpu=lambda: next(idle)) is False
    assert cache.activity().active == 0


def test_every_run_of_the_dashboard_counts_as_a_script_run(db: Path) -> None:
    """dashboard.py runs inside `cache.script_run()` (what the warm-up waits for), and leaves it
    even when the run stops early (st.stop, st.switch_page)."""
    runs = cache.activity()
    before = runs.last
    overview(fresh_process=False)
    assert runs.last > before and runs.active == 0


@pytest.mark.parametrize("as_of", ["2020-09-15", "2020-10-31", "2023-06-29", "2023-08-01", "2025-06-30",
                                   "2026-12-31"])
def test_the_ranking_from_the_figures_alone_equals_the_full_evaluations(db: Path, as_of: str) -> None:
    """`cache.scores_only` (measure and decide, no lists) gives the ranking `scoring.evaluate`
    gives, before, on and after each milestone deadline."""
    import datetime as dt

    day = dt.date.fromisoformat(as_of)
    con = duckdb.connect(str(db), read_only=True)
    try:
        full = tables.ranking_frame(scoring.evaluate(con, day))
        figures = cache.scores_only(con, day)
        pd.testing.assert_frame_equal(tables.ranking_frame(figures), full)
        assert all(d.gaps == () and d.pending == () for d in figures.districts)  # no lists were built
        with pytest.raises(ValueError):
            cache.scores_only(con, day, day + dt.timedelta(days=1))  # since after as_of: evaluate's refusal
    finally:
        con.close()

"""The gap and pending lists kept columnar (issue #17 target 2): `evaluate` computes every figure and
sentence over whole Arrow columns (scoring.explain.Lists) and a unit's typed `Gap`/`PendingRow`
objects are made when first read. Real DuckDB file: the bundled sample, evaluated and then closed,
so nothing read afterwards can come from the database.
"""
from __future__ import annotations

import datetime as dt
import json
import pickle
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from scoring import evaluate, explain, measure, measure_point
from scoring.evaluation import SHARED_RELATIONS, Evaluation
from scoring.result_rows import Gap, PendingRow
from scoring.rules import load_rules
from scoring.vocabulary import GapCategory

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2020, 12, 31)  # the sample date with overdue, overdue-pending and missing rows


def _evaluated(sample_db) -> Evaluation:
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        return evaluate(con, AS_OF)
    finally:
        con.close()  # every later read works on what evaluate computed


@pytest.fixture
def fresh(sample_db) -> Evaluation:
    return _evaluated(sample_db)


def test_json_from_the_columns_equals_json_from_the_typed_objects(sample_db) -> None:
    """to_json() of units never read as objects (straight from the columns) is the same text as
    to_json() of an evaluation whose every unit was read as typed objects first."""
    straight, typed = _evaluated(sample_db), _evaluated(sample_db)
    for d in typed.districts:
        assert all(isinstance(g, Gap) for g in d.gaps) and all(isinstance(p, PendingRow) for p in d.pending)
    a = json.dumps(straight.to_json(), ensure_ascii=False, indent=2)
    b = json.dumps(typed.to_json(), ensure_ascii=False, indent=2)
    assert a == b
    assert sum(len(d["gaps"]) for d in straight.to_json()["districts"]) > 100  # the sample has real lists


def test_each_unit_is_built_once_and_an_overdue_pending_gap_holds_its_row(fresh) -> None:
    held = 0
    for d in fresh.districts:
        assert d.gaps is d.gaps and d.pending is d.pending  # built once, then the same tuples
        for g in d.gaps:
            if g.category is GapCategory.PENDING_OVERDUE:
                assert any(p is g.source for p in d.pending)
                assert g.workdays_late == -g.source.workdays_left > 0
                held += 1
    assert held > 0


def test_sentences_are_the_templates_over_the_row(fresh) -> None:
    """An overdue gap's sentence, rebuilt by hand from its own row: dates as 2020年3月4日."""
    d = next(x for x in fresh.districts if x.overdue)
    o = d.overdue[0]
    g = next(x for x in d.gaps if x.source is o)

    def cn(iso: str) -> str:
        y, m, day = (int(v) for v in iso.split("-"))
        return f"{y}年{m}月{day}日"

    assert g.detail == (f"「{o.title}」成文于{cn(o.formed_on)}，最迟应于{cn(o.deadline)}公开，"
                        f"实际{cn(o.published_on)}公开，逾期{o.workdays_late}个工作日。")


def test_concurrent_first_reads_share_one_build(fresh) -> None:
    """The evaluation is shared by every session (appkit.cache): threads reading the same unit's
    lists for the first time get the very same objects."""
    unit = fresh.districts[-1]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: (unit.gaps, unit.pending), range(16)))
    assert all(g is results[0][0] and p is results[0][1] for g, p in results)


def test_a_pickled_unit_carries_its_own_rows_only(fresh) -> None:
    unit = fresh.districts[0]
    copy = pickle.loads(pickle.dumps(unit))
    assert copy == unit and copy.gaps == unit.gaps and copy.pending == unit.pending
    assert isinstance(copy.__dict__["_gaps"], tuple)  # no reference to the whole evaluation's columns
    everything = len(pickle.dumps(fresh))
    assert len(pickle.dumps(fresh.districts[0])) < everything / 4


def test_cached_deadlines_follow_the_window_and_the_limits(sample_db_copy) -> None:
    """The per-connection deadlines table (measure.prepare) is rebuilt when the rules' window or a
    city item's working-day limit changes: the same connection then evaluates exactly as a new one."""
    import dataclasses

    from scoring import load_rules
    rules = load_rules()
    wide = dataclasses.replace(rules, interpretation_window_workdays=rules.interpretation_window_workdays + 20)
    con = duckdb.connect(str(sample_db_copy))
    try:
        before = evaluate(con, AS_OF, rules=rules).to_json()
        again = evaluate(con, AS_OF, rules=wide).to_json()
        con.execute("UPDATE standard_catalog SET time_limit_workdays = time_limit_workdays + 30 "
                    "WHERE time_limit_workdays IS NOT NULL")
        longer = evaluate(con, AS_OF, rules=rules).to_json()
    finally:
        con.close()
    fresh = duckdb.connect(str(sample_db_copy), read_only=True)
    try:
        assert longer == evaluate(fresh, AS_OF, rules=rules).to_json()
    finally:
        fresh.close()
    # the wider window syncs more policy documents, the longer limits leave fewer disclosures late
    assert sum(d["interpretation_sync"] or 0 for d in again["districts"]) > \
        sum(d["interpretation_sync"] or 0 for d in before["districts"])
    assert sum(len(d["overdue"]) for d in longer["districts"]) < sum(len(d["overdue"]) for d in before["districts"])


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2019, 1, 5), dt.date(2023, 6, 30), dt.date(2025, 12, 31)])
def test_uncovered_level1_and_incomplete_counts_are_those_of_the_rows(sample_db, as_of: dt.date) -> None:
    """explain.uncovered_level1 and incomplete_counts (counted in numpy over encoded columns) are
    what a plain count of the explanation rows gives: the first-level items all of whose city items
    are undisclosed, in city order, and the distinct incomplete matched items per unit."""
    rules = load_rules()
    since = rules.since_for(as_of)
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        m = measure_point(con, as_of, since, rules)
        params = {**measure.rule_params(rules), **measure.window_bounds(since, as_of)}
        with measure.shared_relations(con, SHARED_RELATIONS, params) as shared:
            tables = measure.detail_tables(con, as_of, since, rules, shared, m.decided[["code", "catalog_id"]])
    finally:
        con.close()
    city = tables["city_items"]["level1"].to_pylist()
    undisclosed = Counter(zip(tables["undisclosed_items"]["code"].to_pylist(),
                              tables["undisclosed_items"]["level1"].to_pylist()))
    expected = {code: [level for level in dict.fromkeys(city) if undisclosed[(code, level)] == city.count(level)]
                for code in sorted({code for code, _ in undisclosed})}
    assert explain.uncovered_level1(tables["undisclosed_items"], tables["city_items"]) == \
        {code: levels for code, levels in expected.items() if levels}
    incomplete = {code: len(items) for code, items in explain.incomplete_items(m.details).items()}
    assert explain.incomplete_counts(tables["blank_elements"]) == incomplete
    if as_of == dt.date(2019, 1, 5):  # before any data: every first-level item uncovered, no catalog
        assert expected and all(levels == list(dict.fromkeys(city)) for levels in expected.values())
        assert not incomplete
    else:
        assert any(expected.values()) and incomplete


def test_an_evaluation_does_not_load_pyarrow_acero(sample_db) -> None:
    """The explanations count in numpy, not with Arrow's group_by: an evaluation in a fresh process
    never loads pyarrow.acero (and pyarrow.dataset with it), which its first call would pay for."""
    code = ("import sys, datetime as dt, duckdb, scoring; "
            f"con = duckdb.connect({str(sample_db)!r}, read_only=True); "
            f"scoring.evaluate(con, dt.date({AS_OF.year}, {AS_OF.month}, {AS_OF.day})); "
            "print(' '.join(m for m in sys.modules if m.startswith('pyarrow')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "pyarrow.compute" in loaded
    assert not loaded & {"pyarrow.acero", "pyarrow.dataset"}

"""Relations of the data alone kept per read-only connection (issue #17 target 2, measure.DATA_ONLY):
on a read-only database `shared_relations` computes catalog_row_blanks, best_catalog_rows, item_firsts,
catalog_stats and milestone_dates once and keeps them for the connection, and the windowed ones
(measure.WINDOWED: judged disclosures, policy documents) once per window for the last
measure.KEPT_WINDOWS windows; on a writable one every evaluation computes them and drops them, as before. Real DuckDB files (the bundled sample and a changed copy);
the oracle is always an evaluation on a fresh writable connection to the same file.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import scoring
from scoring import evaluate, evaluation, findings, measure, trend
from scoring.rules import load_rules
from tests.scoring.helpers import copy_db

DATES = (dt.date(2020, 12, 31), dt.date(2023, 6, 30), dt.date(2025, 12, 31))


def _text(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> str:
    return json.dumps(evaluate(con, as_of).to_json(), ensure_ascii=False)


def _temp_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {t for t, in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'temp'").fetchall()}


def _windowed(table: str) -> bool:
    return table.startswith("scoring_ro_") and any(f"_{name}_" in table for name in measure.WINDOWED)


def _fresh(path: Path, as_of: dt.date) -> str:
    con = duckdb.connect(str(path))
    try:
        return _text(con, as_of)
    finally:
        con.close()


def test_a_read_only_connection_keeps_them_and_evaluates_the_same(sample_db: Path) -> None:
    expected = {d: _fresh(sample_db, d) for d in DATES}
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        first = [_text(con, d) for d in DATES]
        kept = {t for t in _temp_tables(con) if t.startswith("scoring_ro_")}
        windowed = {t for t in kept if _windowed(t)}
        # the calendar marker, the deadlines' window marker, the five kept relations and the
        # windowed ones of the last KEPT_WINDOWS windows (three dates evaluated: the oldest dropped)
        assert {t.rsplit("_", 2)[-1] for t in kept} >= {"blanks", "rows", "firsts", "stats", "dates"}
        assert len(windowed) == len(measure.WINDOWED) * measure.KEPT_WINDOWS
        assert len(kept) == 2 + len(measure.DATA_ONLY) + len(windowed)
        tables = _temp_tables(con)
        assert _text(con, DATES[2]) == first[2]
        assert _temp_tables(con) == tables  # the same window again: nothing rebuilt, nothing left behind
        again = [_text(con, d) for d in reversed(DATES)][::-1]
        after = _temp_tables(con)
        assert {t for t in after if not _windowed(t)} == tables - windowed  # the data-only ones never rebuilt
        assert len({t for t in after if _windowed(t)}) == len(windowed)  # still the last two windows only
    finally:
        con.close()
    assert first == again == [expected[d] for d in DATES]


def test_a_writable_connection_keeps_none_and_sees_a_change_at_once(sample_db: Path, tmp_path: Path) -> None:
    path = copy_db(sample_db, tmp_path, "changed.duckdb")
    con = duckdb.connect(str(path))
    try:
        before = _text(con, DATES[1])
        tables = _temp_tables(con)
        assert not {t for t in tables if t.startswith("scoring_ro_")}
        # Every disclosure gone: item_firsts (and so disclosure coverage and the 2023 milestone) change.
        con.execute("DELETE FROM disclosures")
        after = _text(con, DATES[1])
        assert _temp_tables(con) == tables  # the evaluation's own tables were dropped again
    finally:
        con.close()
    assert after != before
    assert after == _fresh(path, DATES[1])


def test_the_kept_relations_are_those_of_the_current_database(sample_db: Path, tmp_path: Path) -> None:
    """Two read-only databases on one connection: each evaluation reads its own kept relations."""
    changed = copy_db(sample_db, tmp_path, "changed.duckdb")
    with duckdb.connect(str(changed)) as c:
        c.execute("DELETE FROM disclosures WHERE district_code = (SELECT min(district_code) FROM disclosures)")
        c.execute("DELETE FROM district_catalog_rows WHERE row_no % 3 = 0")
    as_of = DATES[2]
    expected_sample, expected_changed = _fresh(sample_db, as_of), _fresh(changed, as_of)
    assert expected_sample != expected_changed
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{sample_db}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{changed}' AS b (READ_ONLY)")
        got = []
        for db in ("a", "b", "a", "b"):
            con.execute(f"USE {db}")
            got.append(_text(con, as_of))
    finally:
        con.close()
    assert got == [expected_sample, expected_changed] * 2


def test_a_rolled_back_transaction_takes_the_kept_relations_with_it(sample_db: Path) -> None:
    expected = _fresh(sample_db, DATES[0])
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        con.execute("BEGIN TRANSACTION")
        inside = _text(con, DATES[0])
        con.execute("ROLLBACK")
        assert not {t for t in _temp_tables(con) if t.startswith("scoring_ro_")}
        after = _text(con, DATES[0])
    finally:
        con.close()
    assert inside == after == expected


@pytest.mark.parametrize("read_only", [True, False])
def test_the_trend_is_the_same_on_either_connection(sample_db: Path, read_only: bool) -> None:
    oracle = duckdb.connect(str(sample_db))
    try:
        expected = trend(oracle, DATES[2])
    finally:
        oracle.close()
    con = duckdb.connect(str(sample_db), read_only=read_only)
    try:
        evaluate(con, DATES[1])  # an evaluation first: the trend then reads what it kept
        got = trend(con, DATES[2])
        assert got.equals(trend(con, DATES[2]))
    finally:
        con.close()
    assert got.equals(expected)


@pytest.mark.parametrize("findings_state", ["recorded", "no_table"])
def test_findings_read_on_a_kept_connection_are_those_recorded(sample_db: Path, tmp_path: Path,
                                                               findings_state: str) -> None:
    """The count of findings is kept with the relations: with findings recorded the evaluation uses
    them (a 否 for service_hall, 是 for training), and a database made before findings existed has none."""
    path = copy_db(sample_db, tmp_path, f"{findings_state}.duckdb")
    with duckdb.connect(str(path)) as c:
        if findings_state == "recorded":
            rules = load_rules()
            findings.record(c, rules, "410105", "service_hall", "否", DATES[1], recorded_by="李四")
            findings.record(c, rules, "410103", "training", "是", DATES[1], recorded_by="李四",
                            evidence_url="http://127.0.0.1/training")
        else:
            c.execute("DROP TABLE findings")
    expected = {d: _fresh(path, d) for d in DATES}
    con = duckdb.connect(str(path), read_only=True)
    try:
        got = [_text(con, d) for d in (*DATES, *DATES)]
    finally:
        con.close()
    assert got == [expected[d] for d in DATES] * 2
    assert (findings_state == "recorded") == ('"recorded_by": "李四"' in expected[DATES[2]])


def test_an_earlier_date_of_a_kept_window_reads_it_and_evaluates_the_same(sample_db: Path) -> None:
    """A window inside a kept one (an earlier as_of of the same year, a later since) is cut from the
    kept judged disclosures and policy documents: no new windowed table, the same JSON as a fresh
    connection gives."""
    last = DATES[2]
    inside = [(dt.date(2025, 11, 30), None), (dt.date(2025, 6, 30), None), (last, dt.date(2025, 3, 1))]
    expected = []
    for as_of, since in inside:
        oracle = duckdb.connect(str(sample_db))
        try:
            expected.append(json.dumps(evaluate(oracle, as_of, since).to_json(), ensure_ascii=False))
        finally:
            oracle.close()
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        _text(con, last)
        tables = _temp_tables(con)
        got = [json.dumps(evaluate(con, as_of, since).to_json(), ensure_ascii=False) for as_of, since in inside]
        assert _temp_tables(con) == tables
        _text(con, dt.date(2026, 1, 31))  # another year: its own window
        assert len({t for t in _temp_tables(con) if _windowed(t)} - tables) == len(measure.WINDOWED)
    finally:
        con.close()
    assert got == expected


def test_the_kept_point_scores_are_those_of_the_query(sample_db: Path) -> None:
    """On a kept connection one point's scores are cut from kept relations in numpy
    (measure._kept_point_scores): the same rows, columns and dtypes as point_scores.sql, on dates
    before any catalog, inside a kept window, with a later since and at the end of a year."""
    rules = load_rules()
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        for as_of, since in ((dt.date(2019, 1, 5), None), *((d, None) for d in DATES),
                             (dt.date(2025, 6, 30), None), (DATES[2], dt.date(2025, 3, 1))):
            since = since or rules.since_for(as_of)
            params = {**measure.rule_params(rules), **measure.window_bounds(since, as_of)}
            with measure.shared_relations(con, evaluation.SHARED_RELATIONS, params) as shared:
                got = measure._kept_point_scores(con, [(as_of, since)], shared)
                assert got is not None
                expected = measure.run(con, "point_scores", {"as_ofs": [as_of], "sinces": [since], **params}, shared)
            expected["as_of"] = expected["as_of"].dt.date
            expected = expected.set_index("code").loc[got["code"]].reset_index()[list(got.columns)]
            pd.testing.assert_frame_equal(got, expected)
    finally:
        con.close()


def test_the_kept_window_lists_are_those_of_the_queries(sample_db: Path) -> None:
    """overdue_disclosures and unsynced_policies cut from a kept window's rows
    (measure._windowed_lists) are the tables their queries give: the same rows in the same order."""
    rules = load_rules()
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        for as_of, since in ((DATES[2], None), (dt.date(2025, 6, 30), None), (DATES[2], dt.date(2025, 3, 1)),
                             (DATES[0], None)):
            since = since or rules.since_for(as_of)
            params = {"as_of": as_of, "since": since, **measure.rule_params(rules),
                      **measure.window_bounds(since, as_of)}
            with measure.shared_relations(con, evaluation.SHARED_RELATIONS, params) as shared:
                got = measure._windowed_lists(con, as_of, since, shared)
                assert set(got) == {"overdue_disclosures", "unsynced_policies"}
                for name, table in got.items():
                    assert table.equals(measure.run_arrow(con, name, params, shared)), (as_of, since, name)
    finally:
        con.close()


@pytest.mark.parametrize("findings_state", ["none", "recorded"])
def test_the_kept_point_frame_is_that_of_the_general_path(sample_db: Path, tmp_path: Path, findings_state: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """point_measures of one point on a kept connection (measure._kept_point_frame: no merge or join
    per evaluation) is the frame the general path (point_scores.sql, joins) gives, with findings
    recorded or none."""
    path = sample_db
    rules = load_rules()
    if findings_state == "recorded":
        path = copy_db(sample_db, tmp_path, "recorded.duckdb")
        with duckdb.connect(str(path)) as c:
            findings.record(c, rules, "410105", "service_hall", "否", DATES[1], recorded_by="李四")
    con = duckdb.connect(str(path), read_only=True)
    try:
        for as_of in (dt.date(2019, 1, 5), *DATES):
            since = rules.since_for(as_of)
            params = {**measure.rule_params(rules), **measure.window_bounds(since, as_of)}
            with measure.shared_relations(con, evaluation.SHARED_RELATIONS, params) as shared:
                got = measure.point_measures(con, [(as_of, since)], rules, shared)
                with monkeypatch.context() as m:
                    m.setattr(measure, "_kept_point_arrays", lambda *args: None)
                    expected = measure.point_measures(con, [(as_of, since)], rules, shared)
            pd.testing.assert_frame_equal(got, expected)
    finally:
        con.close()


def test_a_later_date_of_the_year_makes_the_window_to_its_end_and_later_ones_read_it(sample_db: Path) -> None:
    """A later as_of from the same 1 January as a kept window (measure._window_table) is made to
    31 December; the later dates of the year after it are cut from that window, no table made, and
    evaluate as a fresh connection does. The sample has a policy document of September 2023 whose
    interpretation came on 7 October: in the window made to the year's end it is synced, after
    as_of, and still counts as unsynced until then."""
    dates = (dt.date(2023, 9, 1), dt.date(2023, 9, 30), dt.date(2023, 10, 6), dt.date(2023, 10, 7),
             dt.date(2023, 12, 31))
    expected = [_fresh(sample_db, d) for d in dates]
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        got = [_text(con, dates[0])]
        before = {t for t in _temp_tables(con) if _windowed(t)}
        got.append(_text(con, dates[1]))
        tables = _temp_tables(con)
        assert len({t for t in tables if _windowed(t)} - before) == len(measure.WINDOWED)
        got += [_text(con, d) for d in dates[2:]]
        assert _temp_tables(con) == tables  # 6 Oct to 31 Dec: cut from the window made on 30 Sep
        unsynced = {d: set(scoring.measure_point(con, d).details.unsynced["disclosure_id"]) for d in dates[1:4]}
        assert _temp_tables(con) == tables
        synced_after = unsynced[dates[2]] - unsynced[dates[3]]
        assert synced_after and synced_after <= unsynced[dates[1]]  # synced on 7 Oct, in the window since 30 Sep
    finally:
        con.close()
    assert got == expected


def test_a_grown_window_holds_the_rows_of_its_window_judged_afresh(sample_db: Path) -> None:
    """The judged disclosures of a window made to 31 December from a kept one of the same 1 January
    (measure.ROW_WISE) are that table's rows plus the days after it: the same rows as judging the
    whole window at once, and later dates evaluate as a fresh connection does."""
    rules = load_rules()
    dates = (dt.date(2023, 6, 30), dt.date(2023, 7, 1), dt.date(2023, 11, 30))
    expected = [_fresh(sample_db, d) for d in dates]
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        got = [_text(con, dates[0])]
        first = {t for t in _temp_tables(con) if "_judged_disclosures_" in t}
        got.append(_text(con, dates[1]))
        (grown,) = {t for t in _temp_tables(con) if "_judged_disclosures_" in t} - first
        whole = measure.read_sql("judged_disclosures", (("deadlines", measure.CACHED["deadlines"]),))
        values = {**measure.rule_params(rules), **measure.window_bounds(dt.date(2023, 1, 1), dt.date(2023, 12, 31))}
        bound = measure.bound_params(whole, values)
        counts = con.execute(f"SELECT (SELECT count(*) FROM {grown}), (SELECT count(*) FROM ({whole})), "
                             f"(SELECT count(*) FROM (FROM {grown} EXCEPT ALL FROM ({whole}))), "
                             f"(SELECT count(*) FROM (FROM ({whole}) EXCEPT ALL FROM {grown}))", bound).fetchall()
        (in_grown, in_whole, only_grown, only_whole), = counts
        assert in_grown == in_whole > con.execute(f"SELECT count(*) FROM {first.pop()}").fetchall()[0][0]
        assert only_grown == only_whole == 0
        got.append(_text(con, dates[2]))
    finally:
        con.close()
    assert got == expected

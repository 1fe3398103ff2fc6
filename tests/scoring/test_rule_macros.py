"""The SQL rules of scoring/sql/rules.sql (and loaders/sql/match_item.sql), each checked on a real
initialised database against hand-computed cases. The calendar is the one `loaders init` builds
(statutory holidays and 调休 from the maintained source, Monday–Friday outside it)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from loaders.db import refresh_matches
from scoring import measure
from tests.scoring.helpers import ERQI, JINSHUI, add_catalog, add_disclosure, full_row

D = dt.date


def _deadline(con: duckdb.DuckDBPyConnection, day: dt.date, n: int) -> tuple[dt.date | None, bool | None]:
    measure.prepare(con)
    row = con.execute("SELECT deadline($d::DATE, $n::INTEGER), (SELECT estimated FROM workday_deadlines([$n::INTEGER]) "
                      "WHERE day = $d::DATE)", {"d": day, "n": n}).fetchone()
    assert row is not None
    return row[0], row[1]


def test_deadline_crosses_national_day_and_its_adjusted_working_weekend(con: duckdb.DuckDBPyConnection) -> None:
    # 2023: 9-29 中秋 and 9-30…10-6 国庆 are holidays; Saturday 10-7 and Sunday 10-8 are 调休 working days.
    # From Thursday 9-28: 1st working day after = Sat 10-7, 2nd = Sun 10-8, 3rd = Mon 10-9.
    assert _deadline(con, D(2023, 9, 28), 1) == (D(2023, 10, 7), False)
    assert _deadline(con, D(2023, 9, 28), 3) == (D(2023, 10, 9), False)
    # From a holiday (9-29) the count starts at the next working day too: 10-7.
    assert _deadline(con, D(2023, 9, 29), 1) == (D(2023, 10, 7), False)
    # 20 working days from Friday 2023-09-01: September 4–28 has 19 working days (Mon–Fri, 9-29 is 中秋),
    # the 20th is Saturday 10-7.
    assert _deadline(con, D(2023, 9, 1), 20) == (D(2023, 10, 7), False)


def test_deadline_outside_the_calendar_table_counts_monday_to_friday_and_is_estimated(
        con: duckdb.DuckDBPyConnection) -> None:
    last = con.execute("SELECT max(day) FROM calendar").fetchone()[0]
    assert last == D(2040, 12, 31) and last.isoweekday() == 1  # the table ends on Monday 2040-12-31
    # across the seam: the next working day is Tuesday 2041-01-01, outside the table (running count continues)
    assert _deadline(con, D(2040, 12, 31), 1) == (D(2041, 1, 1), True)
    # Friday 2041-01-04 + 1 working day = Monday 2041-01-07; + 5 = Friday 2041-01-11
    assert _deadline(con, D(2041, 1, 4), 1) == (D(2041, 1, 7), True)
    assert _deadline(con, D(2041, 1, 4), 5) == (D(2041, 1, 11), True)
    # beyond the 25 years the calendar is extended by, there is no deadline at all
    assert _deadline(con, D(2070, 1, 2), 1) == (None, None)


def test_a_changed_calendar_is_picked_up_by_the_same_connection(con: duckdb.DuckDBPyConnection) -> None:
    assert _deadline(con, D(2023, 9, 28), 3)[0] == D(2023, 10, 9)
    # Make Monday 2023-10-09 a holiday: every later running count drops by one.
    con.execute("UPDATE calendar SET is_workday = false WHERE day = DATE '2023-10-09'")
    con.execute("UPDATE calendar SET workday_no = workday_no - 1 WHERE day >= DATE '2023-10-09'")
    assert _deadline(con, D(2023, 9, 28), 3)[0] == D(2023, 10, 10)


def test_effective_catalog_is_the_latest_published_on_or_before_the_date_ties_to_the_later_load(
        con: duckdb.DuckDBPyConnection) -> None:
    row = [full_row("法规政策", "法律法规")]
    first = add_catalog(con, JINSHUI, D(2023, 1, 10), row, "金建〔2023〕1号")
    tied = add_catalog(con, JINSHUI, D(2023, 1, 10), row + [full_row("法规政策", "政策文件")])
    later = add_catalog(con, JINSHUI, D(2023, 3, 1), row)
    undated = add_catalog(con, ERQI, None, row, loaded_at=dt.datetime(2024, 5, 6, 8, 0))
    measure.prepare(con)

    def effective(as_of: dt.date) -> dict[str, str]:
        return dict(con.execute("SELECT code, catalog_id FROM effective_catalogs($a::DATE)", {"a": as_of}).fetchall())

    assert effective(D(2023, 1, 9)) == {}
    assert effective(D(2023, 1, 10)) == {JINSHUI: tied}  # same day as `first`, loaded after it
    assert effective(D(2023, 2, 28)) == {JINSHUI: tied}
    assert effective(D(2023, 3, 1)) == {JINSHUI: later}
    # an undated version counts from the day it was loaded, never earlier
    assert effective(D(2024, 5, 5)) == {JINSHUI: later}
    assert effective(D(2024, 5, 6)) == {JINSHUI: later, ERQI: undated}
    assert first not in effective(D(2023, 1, 10)).values()


def test_best_row_of_an_item_listed_twice_and_the_catalog_counts(con: duckdb.DuckDBPyConnection) -> None:
    rows = [full_row("法规政策", "法律法规", ("basis", "subject")),   # row 1: S01, 2 blanks
            full_row("法规政策", "法律法规", ("basis",)),              # row 2: S01, 1 blank -> best
            full_row("法规政策", "政策文件", ("method",)),             # row 3: S02, 1 blank -> best (first)
            full_row("法规政策", "政策文件", ("channels",)),           # row 4: S02, 1 blank
            full_row("重大决策", "决策前预公开"),                        # row 5: S03, complete
            full_row("本地事项", "人才公寓配租")]                        # row 6: local addition
    catalog = add_catalog(con, JINSHUI, D(2023, 1, 10), rows)
    measure.prepare(con)
    best = con.execute("SELECT item_id, row_no, blank_elements FROM best_catalog_rows() WHERE catalog_id = $c "
                       "ORDER BY item_id", {"c": catalog}).fetchall()
    assert best == [("S01", 2, ["basis"]), ("S02", 3, ["method"]), ("S03", 5, [])]
    stats = con.execute("SELECT catalog_rows, filled_elements, covered_items, complete_items FROM catalog_stats() "
                        "WHERE catalog_id = $c", {"c": catalog}).fetchone()
    # 6 rows; filled = 9·6 − (2 + 1 + 1 + 1 + 0 + 0) = 49; S01, S02, S03 covered; only S03 complete
    assert stats == (6, 49, 3, 1)
    # As an evaluation reads it: from temp tables holding the blanks and the best rows (catalog_stats.sql).
    shared = (("catalog_row_blanks", "t_blanks"), ("best_catalog_rows", "t_best"))
    con.execute("CREATE TEMP TABLE t_blanks AS FROM catalog_row_blanks()")
    con.execute(f"CREATE TEMP TABLE t_best AS {measure.read_sql('best_catalog_rows', shared[:1])}")
    assert con.execute("SELECT item_id, blanks FROM t_best WHERE catalog_id = $c ORDER BY item_id",
                       {"c": catalog}).fetchall() == [("S01", 1), ("S02", 1), ("S03", 0)]
    kept = con.execute(f"SELECT catalog_rows, filled_elements, covered_items, complete_items "
                       f"FROM ({measure.read_sql('catalog_stats', shared)}) WHERE catalog_id = $c", {"c": catalog}).fetchone()
    assert kept == stats


def test_item_matching_prefers_the_same_first_level_item_then_city_order(con: duckdb.DuckDBPyConnection) -> None:
    # A second city item named 政策文件 under another first-level item (S02 is 法规政策/政策文件).
    con.execute("INSERT INTO standard_catalog (item_id, seq, level1, level2, level1_key, level2_key, confidence) "
                "VALUES ('S99', 99, '其他事项', '政策文件', '其他事项', '政策文件', 'high')")
    under_other = add_disclosure(con, JINSHUI, "a", "其他事项", "政策文件", None, D(2023, 1, 5), refresh=False)
    under_own = add_disclosure(con, JINSHUI, "b", "法规政策", "政策文件", None, D(2023, 1, 5), refresh=False)
    bare = add_disclosure(con, JINSHUI, "c", None, "政策文件", None, D(2023, 1, 5), refresh=False)
    wrong_level1 = add_disclosure(con, JINSHUI, "d", "重大决策", "政策文件", None, D(2023, 1, 5), refresh=False)
    unknown = add_disclosure(con, JINSHUI, "e", "法规政策", "没有这个事项", None, D(2023, 1, 5), refresh=False)
    refresh_matches(con)
    got = dict(con.execute("SELECT disclosure_id, item_id FROM disclosures").fetchall())
    assert got == {under_other: "S99", under_own: "S02", bare: "S02", wrong_level1: "S02", unknown: None}


@pytest.mark.parametrize("read_only", [True, False])
def test_the_macros_install_on_read_only_connections_and_inside_a_transaction(
        fresh_db: Path, read_only: bool) -> None:
    c = duckdb.connect(str(fresh_db), read_only=read_only)
    try:
        c.execute("BEGIN TRANSACTION")
        measure.prepare(c)
        measure.prepare(c)  # the second call finds everything installed
        assert c.execute("SELECT deadline(DATE '2023-09-28', 3)").fetchone() == (D(2023, 10, 9),)
        c.execute("COMMIT")
    finally:
        c.close()

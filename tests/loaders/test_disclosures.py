"""Disclosure logs in every form: header variants, every date style, item forms, pending rows,
未归类 rows, and the located errors of a bad log (refused by default, partial on request)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from loaders import LoadError, load_disclosures
from loaders.errors import ProblemKind
from loaders.names import name_key
from tests.loaders.helpers import DATA

D = dt.date
COLS = "row_no, title, item_raw, item_id, formed_on, published_on, publisher, url, index_no, channel"


def rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(f"SELECT {COLS} FROM disclosures ORDER BY source_key, row_no").fetchall()


def test_xlsx_log_with_excel_dates_and_item_forms(con: duckdb.DuckDBPyConnection) -> None:
    result = load_disclosures(con, "金水区", DATA / "xlsx/log_excel_dates.xlsx")
    # Title row 1, header row 2, seven data rows 3..9; one row (其他工作) is 未归类.
    assert (result.result, result.rows_read, result.rows_loaded, result.rows_rejected) == ("loaded", 7, 7, 0)
    assert rows(con) == [
        (3, "《关于印发金水区公共租赁住房管理办法的通知》", "法规政策/政策文件", "S02", D(2023, 3, 1), D(2023, 3, 10),
         "金水区住房保障中心", "http://www.jinshui.gov.cn/xxgk/1.html", "000014349/2023-00001", None),
        # A datetime cell with a time of day keeps only its date.
        (4, "《金水区公共租赁住房管理办法》政策解读", "政策解读/本级政策解读", "S40", D(2023, 3, 1), D(2023, 3, 13),
         "金水区住房保障中心", "http://www.jinshui.gov.cn/xxgk/2.html", None, None),
        # Text dates 2023年4月3日 and 2023/4/20; the short form 公租房轮候 is the city item S13.
        (5, "2023年第一批公租房轮候名单", "公租房轮候", "S13", D(2023, 4, 3), D(2023, 4, 20), None, None, None, None),
        (6, "公租房配租结果公示", "配租结果", "S17", D(2023, 5, 6), D(2023, 5, 8), None, None, None, None),
        # Pending: formed, not yet published.
        (7, "2023年保障性住房建设计划", "规划计划/年度计划", "S07", D(2023, 1, 5), None, None, None, None, None),
        (8, "区长信箱答复汇总", "其他工作", None, D(2023, 2, 1), D(2023, 2, 3), None, None, None, None),
        # 评价结果 is both a first- and a second-level name: the second-level item wins.
        (9, "2022年度政务公开评价结果", "评价结果", "S43", D(2023, 6, 1), D(2023, 6, 30), None, None, None, None),
    ]
    # The 未归类 row is listed (a warning, recorded with the run), never dropped.
    assert [(p.kind, p.row, p.value) for p in result.problems] == [(ProblemKind.UNCLASSIFIED_ITEM, 8, "其他工作")]
    logged = con.execute("SELECT problem, row_no, column_name FROM rejected_rows WHERE run_id = ?",
                         [result.run_id]).fetchall()
    assert logged == [("unclassified_item", 8, "所属事项")]


def test_gb18030_csv_with_variant_headers(con: duckdb.DuckDBPyConnection) -> None:
    load_disclosures(con, "中牟县", DATA / "csv/log_gb18030.csv")
    got = con.execute("SELECT row_no, item_id, formed_on, published_on, channel, level1_key FROM disclosures "
                      "ORDER BY row_no").fetchall()
    assert got == [
        (2, "S14", D(2023, 6, 1), D(2023, 6, 5), "政府网站", "配给管理"),          # 2023/6/1, 2023.6.5
        (3, "S20", D(2023, 6, 1), D(2023, 6, 2), "公开查阅点", None),            # 年月日 with a time; 经适房 synonym
        (4, "S19", D(2023, 6, 10), None, "政府网站", None),                   # pending
        (5, "S41", D(2023, 6, 12), D(2023, 6, 13), "政府网站", "回应关切"),       # 20230612
    ]


def test_utf8_bom_csv_with_level_columns(con: duckdb.DuckDBPyConnection) -> None:
    load_disclosures(con, "经开区", DATA / "csv/log_utf8_bom.csv")
    got = con.execute("SELECT district_code, item_raw, item_id, formed_on, published_on, url FROM disclosures "
                      "ORDER BY row_no").fetchall()
    assert got == [("410171", "配后管理/资格复核", "S26", D(2023, 7, 3), D(2023, 7, 5), "http://x.example/1"),
                   ("410171", "配后管理/租金标准", "S24", D(2023, 7, 10), D(2023, 7, 20), None)]


@pytest.mark.parametrize("fixture,district,expected", [
    ("html/log_portal.html", "惠济区", [(2, "S14", D(2023, 3, 3)), (3, "S15", D(2023, 3, 20))]),
    ("xls/log.xls", "荥阳市", [(2, "S02", D(2023, 3, 10)), (3, "S40", D(2023, 3, 13)), (4, "S13", D(2023, 4, 20)),
                              (5, "S17", D(2023, 5, 8))]),
], ids=["html", "xls"])
def test_other_formats(con: duckdb.DuckDBPyConnection, fixture: str, district: str, expected: list[tuple]) -> None:
    load_disclosures(con, district, DATA / fixture)
    assert con.execute("SELECT row_no, item_id, published_on FROM disclosures ORDER BY row_no").fetchall() == expected


def test_bad_log_is_refused_with_every_problem_located(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(LoadError) as info:
        load_disclosures(con, "金水区", DATA / "csv/log_errors.csv")
    errors = [(p.kind, p.row, p.column) for p in info.value.problems if not p.is_warning]
    assert errors == [
        (ProblemKind.IMPOSSIBLE_DATE, 3, "成文日期"),           # 2023-02-30
        (ProblemKind.PUBLISHED_BEFORE_FORMED, 4, "发布日期"),   # 03-01 < 03-10
        (ProblemKind.MISSING_DATES, 5, None),
        (ProblemKind.BAD_DATE, 6, "成文日期"),                  # 去年
        (ProblemKind.MISSING_TITLE, 7, "标题"),
    ]
    messages = [p.message for p in info.value.problems if not p.is_warning]
    assert messages[0] == ("文件「log_errors.csv」，第 3 行，「成文日期」列：日期「2023-02-30」不存在。"
                           "请核对年月日后更正。")
    assert "发布日期早于成文日期（2023-03-01 < 2023-03-10）" in messages[1]
    assert con.execute("SELECT count(*) FROM disclosures").fetchone()[0] == 0
    run = con.execute("SELECT result, rows_read, rows_loaded, rows_rejected FROM load_runs").fetchall()
    assert run == [("refused", 6, 0, 5)]


def test_partial_load_keeps_valid_rows_and_records_rejections(con: duckdb.DuckDBPyConnection) -> None:
    result = load_disclosures(con, "金水区", DATA / "csv/log_errors.csv", allow_partial=True)
    # 6 rows read, rows 3-7 rejected, row 2 loaded.
    assert (result.result, result.rows_read, result.rows_loaded, result.rows_rejected) == ("partial", 6, 1, 5)
    assert con.execute("SELECT row_no, title FROM disclosures").fetchall() == [(2, "正常一条")]
    rejected = con.execute("SELECT row_no, problem FROM rejected_rows WHERE problem <> 'unclassified_item' "
                           "ORDER BY seq").fetchall()
    assert rejected == [(3, "impossible_date"), (4, "published_before_formed"), (5, "missing_dates"),
                        (6, "bad_date"), (7, "missing_title")]
    assert con.execute("SELECT result FROM load_runs").fetchall() == [("partial",)]


def test_new_version_of_a_source_replaces_its_rows(con: duckdb.DuckDBPyConnection) -> None:
    v1 = "标题,所属事项,成文日期,发布日期\n甲,政策文件,2023-01-04,2023-01-05\n乙,年度计划,2023-02-01,\n".encode()
    v2 = "标题,所属事项,成文日期,发布日期\n乙,年度计划,2023-02-01,2023-02-06\n".encode()
    load_disclosures(con, "金水区", v1, filename="ledger.csv")
    load_disclosures(con, "金水区", v2, filename="ledger.csv")
    assert con.execute("SELECT source_key, row_no, title, published_on FROM disclosures").fetchall() == [
        ("410105:ledger.csv", 2, "乙", D(2023, 2, 6))]
    assert con.execute("SELECT count(*) FROM disclosure_sources").fetchone()[0] == 1
    # A second file of the same district is a second source; both stay.
    load_disclosures(con, "金水区", v1, filename="other.csv")
    assert con.execute("SELECT count(*) FROM disclosures").fetchone()[0] == 3


def test_portal_list_links_become_urls(con: duckdb.DuckDBPyConnection) -> None:
    # The list page has no 链接 column; each title links to its article, resolved against the page URL.
    page = (DATA / "html/log_portal.html").read_bytes()
    load_disclosures(con, "惠济区", page, filename="http://www.huiji.example/xxgk/list.html")
    assert con.execute("SELECT row_no, url FROM disclosures ORDER BY row_no").fetchall() == [
        (2, "http://www.huiji.example/xxgk/1.html"), (3, "http://www.huiji.example/xxgk/2.html")]


def test_unclassified_is_what_the_sql_match_leaves_unmatched(con: duckdb.DuckDBPyConnection) -> None:
    # 政策解读 is only a first-level name (its children are 本级/上级政策解读): a bare first-level
    # name is keyed under it and stays 未归类; 评价结果 is both and the second-level item S43 wins;
    # 其他工作 names nothing. The warnings are the stored rows the SQL match left with item_id NULL.
    log = ("标题,所属事项,成文日期,发布日期\n甲,政策解读,2023-01-04,2023-01-05\n乙,评价结果,2023-02-01,2023-02-03\n"
           "丙,其他工作,2023-03-01,2023-03-02\n").encode()
    result = load_disclosures(con, "金水区", log, filename="ledger.csv")
    assert con.execute("SELECT row_no, level1_key, level2_key, item_id FROM disclosures ORDER BY row_no").fetchall() \
        == [(2, name_key("政策解读"), None, None), (3, None, name_key("评价结果"), "S43"), (4, None, name_key("其他工作"), None)]
    assert [(p.kind, p.file, p.row, p.column, p.value) for p in result.problems] == [
        (ProblemKind.UNCLASSIFIED_ITEM, "ledger.csv", 2, "所属事项", "政策解读"),
        (ProblemKind.UNCLASSIFIED_ITEM, "ledger.csv", 4, "所属事项", "其他工作")]
    assert result.problems[0].message.startswith("文件「ledger.csv」，第 2 行，「所属事项」列")
    unmatched = con.execute("SELECT row_no FROM disclosures WHERE item_id IS NULL ORDER BY row_no").fetchall()
    logged = con.execute("SELECT row_no FROM rejected_rows WHERE run_id = ? AND problem = 'unclassified_item' "
                         "ORDER BY seq", [result.run_id]).fetchall()
    assert logged == unmatched == [(2,), (4,)]


def test_unclassified_rows_refused_for_another_reason_are_not_warned(con: duckdb.DuckDBPyConnection) -> None:
    # Row 3 has an impossible date and an unknown item: a partial load skips it, so it is never
    # stored or matched and only its error is listed; row 2, stored and unmatched, is warned.
    log = "标题,所属事项,成文日期,发布日期\n甲,其他工作,2023-01-04,2023-01-05\n乙,杂项,2023-02-30,2023-03-01\n".encode()
    result = load_disclosures(con, "金水区", log, filename="ledger.csv", allow_partial=True)
    assert [(p.kind, p.row) for p in result.problems] == [(ProblemKind.IMPOSSIBLE_DATE, 3),
                                                          (ProblemKind.UNCLASSIFIED_ITEM, 2)]
    assert (result.result, result.rows_loaded, result.rows_rejected) == ("partial", 1, 1)

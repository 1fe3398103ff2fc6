"""Catalog files in every published form load row by row into district_catalog_rows.

Each fixture (tests/data/<format>/, generated from data/standard_catalog.tsv by
tests/data/make_fixtures.py) is loaded through `load_catalog`; every stored row is compared
with the tsv row it was made from. Synonym names, local additions, page metadata and the
xlsx specifics (title row, two merged header rows, merged 一级事项, extra sheet) are pinned
here; bad files and integrity are in test_bad_files.py and test_integrity.py.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from loaders import load_catalog
from tests.loaders.helpers import DATA, expected_row, nfkc, tsv_rows

COLUMNS = ["row_no", "level1", "level2", "content", "basis", "time_limit", "subject", "channels", "audience",
           "method", "disclosure_level", "matched_item_id"]


def stored(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM district_catalog_rows ORDER BY row_no").fetchall()
    return [dict(zip(COLUMNS, r)) for r in rows]


# (fixture, district, first data row as the user sees it, tsv rows in the file, rows with a synonym name)
CASES = [
    ("xlsx/catalog_two_header_rows.xlsx", "金水区", 4, list(range(43)), {11: "公共租赁住房承租资格审核",
                                                                                 19: "经适房购买资格审核"}),
    ("xls/catalog.xls", "荥阳市", 4, list(range(10)), {}),
    ("csv/catalog_utf8_bom.csv", "二七区", 3, list(range(12)) + [19], {11: "公共租赁住房承租资格审核",
                                                                     19: "经适房购买资格审核"}),
    ("html/catalog_portal.html", "惠济区", 3, list(range(16)), {11: "公共租赁住房承租资格审核"}),
    ("docx/catalog.docx", "上街区", 3, list(range(10)), {}),
]


@pytest.mark.parametrize("fixture,district,first_row,indexes,renamed", CASES, ids=[c[0] for c in CASES])
def test_catalog_rows_match_reference(con: duckdb.DuckDBPyConnection, fixture: str, district: str, first_row: int,
                                      indexes: list[int], renamed: dict[int, str]) -> None:
    result = load_catalog(con, district, DATA / fixture)
    ref = tsv_rows()
    rows = [r for r in stored(con) if r["level2"] != "人才公寓配租"]
    assert result.result == "loaded"
    assert len(rows) == len(indexes)
    for n, (row, i) in enumerate(zip(rows, indexes)):
        expect = expected_row(ref[i])
        got = {k: row[k] for k in expect}
        assert got == expect, f"{fixture} tsv row {i + 1}"
        assert row["level2"] == nfkc(renamed.get(i, ref[i]["level2"]))
        # Every row, including the synonym-named ones, matches its city item S<seq>.
        assert row["matched_item_id"] == f"S{int(ref[i]['seq']):02d}"
        assert row["row_no"] >= first_row + n


def test_xlsx_local_addition_and_row_numbers(con: duckdb.DuckDBPyConnection) -> None:
    result = load_catalog(con, "金水区", DATA / "xlsx/catalog_two_header_rows.xlsx")
    rows = stored(con)
    # 43 reference rows + 1 local item; title row 1, header rows 2-3, data rows 4..47.
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (44, 44, 0)
    assert [r["row_no"] for r in rows] == list(range(4, 48))
    local = [r for r in rows if r["level2"] == "人才公寓配租"]
    assert len(local) == 1
    # Inserted after the last 配给管理 row (tsv row 23 -> sheet row 26), so it sits on sheet row 27.
    assert local[0]["row_no"] == 27
    assert local[0]["matched_item_id"] is None  # 本地新增
    assert local[0]["level1"] == "配给管理"     # merged 一级事项 filled into the row
    assert local[0]["content"] == "1.●配租对象\n2.●配租房源\n3.〇配租结果"
    assert local[0]["channels"] == "政府网站；公开查阅点"
    assert (local[0]["audience"], local[0]["method"], local[0]["disclosure_level"]) == ("全社会", "主动", "县级")
    # The extra sheet 填表说明 is not a catalog and adds nothing.
    assert con.execute("SELECT count(*) FROM district_catalog_rows").fetchone()[0] == 44


def test_csv_gbk_with_blank_level1_and_text_ticks(con: duckdb.DuckDBPyConnection) -> None:
    load_catalog(con, "中原区", DATA / "csv/catalog_gbk.csv")
    ref = tsv_rows()
    rows = stored(con)
    indexes = list(range(12)) + [19]
    assert len(rows) == 13
    # Title on record 1, header on record 2, data from record 3.
    assert [r["row_no"] for r in rows] == list(range(3, 16))
    for row, i in zip(rows, indexes):
        assert {k: row[k] for k in expected_row(ref[i])} == expected_row(ref[i])
        assert row["matched_item_id"] == f"S{i + 1:02d}"
    # 一级事项 left blank on continuation rows is carried down: 政策文件 (record 4) is under 法规政策.
    assert rows[1]["level1"] == "法规政策"
    assert rows[12]["level2"] == "经适房购买资格审核" and rows[12]["matched_item_id"] == "S20"


def test_html_page_metadata_is_the_catalog_metadata(con: duckdb.DuckDBPyConnection) -> None:
    load_catalog(con, "惠济区", DATA / "html/catalog_portal.html")
    meta = con.execute("SELECT district_code, published_on, document_no, url, filed_on, source "
                       "FROM district_catalogs").fetchall()
    assert meta == [("410108", dt.date(2020, 9, 18), "惠房保〔2020〕12号", None, None, "catalog_portal.html")]
    # <br> inside the header cell 公开内容<br>（要素） and inside body cells become line breaks.
    first = stored(con)[0]
    assert first["content"].split("\n")[0] == "1.●文件名称"


def test_options_override_page_metadata(con: duckdb.DuckDBPyConnection) -> None:
    load_catalog(con, "410108", DATA / "html/catalog_portal.html", published_on="2020/9/20",
                 document_no="惠房保〔2020〕99号", url="http://www.huiji.gov.cn/jczwgk/", filed_on=dt.date(2020, 9, 25))
    meta = con.execute("SELECT published_on, document_no, url, filed_on FROM district_catalogs").fetchone()
    assert meta == (dt.date(2020, 9, 20), "惠房保〔2020〕99号", "http://www.huiji.gov.cn/jczwgk/", dt.date(2020, 9, 25))


def test_element_texts_keep_marks_and_lines(con: duckdb.DuckDBPyConnection) -> None:
    load_catalog(con, "金水区", DATA / "xlsx/catalog_two_header_rows.xlsx")
    row = stored(con)[0]
    assert row["content"] == "1.●文件名称\n2.●文号\n3.●发布部门\n4.●发布日期\n5.●实施日期\n6.●正文"
    assert row["basis"].startswith(nfkc("1.《已购公有住房和经济适用住房上市出售管理暂行办法》\n2.《廉租住房保障办法》"))

"""The fast paths of issue #17 give what the reference paths give: lxml's tokeniser the same
tables, links and page metadata as the standard library's parser; the csv fast path the csv
module's record numbers when DuckDB skips a blank line; the HTML limits refuse span bombs but
not a long plain table; the disclosures table keeps its ids unique without a PRIMARY KEY."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from loaders import api, csv_table, html_table, store
from loaders.disclosure_log import ROW_COLUMNS
from loaders.errors import LoadError, ProblemKind
from loaders.model import rectangular
from tests.crawl import portal
from tests.loaders.helpers import DATA, snapshot

HTML_PAGES = sorted([*(DATA / "html").glob("*.html"), DATA / "formats" / "portal_export_html.xls",
                     DATA / "bad" / "page_without_table.html", DATA / "bad" / "rowspan_beyond_table.html"])


def _doc(data: bytes, name: str, tokeniser: str) -> tuple[object, ...]:
    try:
        doc = html_table.read(data, name, tokeniser)
    except LoadError as exc:
        return ("refused", [p.message for p in exc.problems])
    return ([(t.sheet, t.cells, t.links, list(t.row_numbers)) for t in doc.tables], doc.meta)


@pytest.mark.parametrize("path", HTML_PAGES, ids=lambda p: p.name)
def test_lxml_reads_every_fixture_page_as_the_standard_library_does(path: Path) -> None:
    data = path.read_bytes()
    ours = _doc(data, path.name, "lxml")
    assert ours == _doc(data, path.name, "html.parser")
    assert ours[0] == "refused" or ours[0] or path.name == "page_without_table.html"


def test_lxml_reads_the_crawled_portal_pages_as_the_standard_library_does() -> None:
    pages = portal.build("http://127.0.0.1:9/")
    assert len(pages) > 10
    for url, data in pages.items():
        if data.lstrip()[:1] == b"<":
            assert _doc(data, url, "lxml") == _doc(data, url, "html.parser"), url


def _html_table(rows: int, extra: str = "") -> bytes:
    body = "".join(f"<tr><td>第{i}号公告</td><td>保障性住房/公共租赁住房</td><td>2023-03-01</td><td>2023-03-0{1 + i % 9}</td>"
                   f"<td><a href=\"http://x.example/{i}.html\">链接</a></td></tr>" for i in range(rows))
    return (f"<html><body><table><tr><th>标题</th><th>所属事项</th><th>成文日期</th><th>发布日期</th><th>链接</th></tr>"
            f"{body}{extra}</table></body></html>").encode()


def test_a_long_plain_html_table_loads_but_a_span_bomb_in_it_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    rows = 25_000  # 125,005 written cells: more than MAX_HTML_CELLS, no span at all
    result = api.load_disclosures(con, "金水区", _html_table(rows), filename="long.html")
    assert (result.result, result.rows_loaded) == ("loaded", rows)
    assert con.execute("SELECT count(*), count(DISTINCT disclosure_id) FROM disclosures").fetchone() == (rows, rows)
    before = snapshot(con)
    bomb = "<tr>" + "<td rowspan='500' colspan='500'>x</td>" * 2 + "</tr>"  # 2 × 250,000 cells > 2 × 125,007
    with pytest.raises(LoadError) as caught:
        api.load_disclosures(con, "金水区", _html_table(rows, bomb), filename="long.html")
    assert [p.kind for p in caught.value.problems] == [ProblemKind.SPAN_TOO_LARGE]
    assert "展开后超过 250,014 个单元格" in caught.value.problems[0].message
    assert snapshot(con) == before


def test_the_csv_fast_path_numbers_records_as_the_csv_module_when_a_blank_line_is_skipped() -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["标题", "所属事项", "成文日期"])
    for i in range(8_000):
        writer.writerow([f"第{i}号公告：保障性住房分配情况", "公共租赁住房", "2023-03-01"])
        if i == 4_000:
            out.write("\n")  # a blank line: record 4,003 is empty, the next row is record 4,004
    data = out.getvalue().encode("utf-8")
    assert len(data) >= csv_table._FAST_MIN_BYTES
    doc = csv_table.read(data, "t.csv")
    rows = rectangular(csv_table._slow(data.decode("utf-8"), ",", "t.csv")[0])  # what the csv module gives
    assert doc.tables[0].cells == rows and list(doc.tables[0].row_numbers) == list(range(1, len(rows) + 1))
    assert rows[4_002] == ["", "", ""] and rows[4_003][0] == "第4001号公告:保障性住房分配情况"


def test_rows_with_a_repeated_row_number_are_refused_without_touching_the_table(
        con: duckdb.DuckDBPyConnection) -> None:
    api.load_disclosures(con, "金水区", _html_table(3), filename="a.html")
    before = snapshot(con)
    rows = pd.DataFrame({c: [None] * 3 for c in ROW_COLUMNS}).assign(
        row_no=[2, 3, 2], title=["a", "b", "c"], published_on=pd.to_datetime(["2023-03-01"] * 3).date)
    with pytest.raises(LoadError) as caught:
        store.store_disclosures(con, district_code="410105", source="b.html", source_key="410105:b.html",
                                content_hash="x", rows=rows, problems=[], rows_read=3)
    assert [p.kind for p in caught.value.problems] == [ProblemKind.DATABASE_ERROR]
    assert snapshot(con) == before

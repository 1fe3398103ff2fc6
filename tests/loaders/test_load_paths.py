"""The fast paths of issue #17 give what the reference paths give: lxml's tokeniser the same
tables, links and page metadata as the standard library's parser; the csv fast path the csv
module's record numbers when DuckDB skips a blank line; the HTML limits refuse span bombs but
not a long plain table; the disclosures table keeps its ids unique without a PRIMARY KEY."""
from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize("by_descriptor", [True, False], ids=["descriptor", "named"])
def test_the_csv_fast_paths_copy_is_nameless_while_read_and_gone_after(monkeypatch: pytest.MonkeyPatch,
                                                                       by_descriptor: bool) -> None:
    """The UTF-8 copy DuckDB reads is unlinked as soon as it is made and read through its descriptor,
    so a load killed mid-read leaves no file in /dev/shm (several 158 MB copies were once left there).
    Where there is no /proc/self/fd (`_FD_DIR` None) the copy is named while read and removed after."""
    if not by_descriptor:
        monkeypatch.setattr(csv_table, "_FD_DIR", None)
    assert bool(csv_table._FD_DIR) == by_descriptor  # this machine has /proc/self/fd
    folder = Path(csv_table._TMP_DIR or tempfile.gettempdir())

    def names() -> set[str]:
        return {p.name for p in folder.iterdir() if p.name.endswith(".csv")}

    during: list[set[str]] = []
    connect = duckdb.connect

    def watching(*args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        during.append(names())  # the copy is written; DuckDB is about to read it
        return connect(*args, **kwargs)  # type: ignore[arg-type]

    before = names()
    monkeypatch.setattr(csv_table.duckdb, "connect", watching)
    rows = [f"第{i}号公告,公共租赁住房,2023-03-01" for i in range(20_000)]
    data = ("标题,所属事项,成文日期\n" + "\n".join(rows) + "\n").encode("utf-8")
    assert len(data) >= csv_table._FAST_MIN_BYTES
    doc = csv_table.read(data, "t.csv")
    assert len(doc.tables[0].cells) == 20_001 and doc.tables[0].cells[-1][0] == "第19999号公告"
    assert len(during) == 1  # DuckDB read it
    assert len(during[0] - before) == (0 if by_descriptor else 1)  # a new name only on the named path
    assert names() - before == set()  # and none left after


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


# ── xlsx and HTML, fourth round (issue #17): the tree path, the Arrow metadata scan, the extent bound ──

_TRICKY_PAGE = """<html><head><title>发布日期：1999-01-01</title><script>var x = "<td>";</script></head><body>
<p>索引号：001 发布日期 ： 2024-05-06 成文日期:</p><div>2024-05-01</div>
<table><thead><tr><th>标题</th><th>所属事项</th><th>成文日期</th><th>发布日期</th><th>链接</th></tr></thead>
<tbody>
<tr><td>  第1号&nbsp;公告 <b> 加粗 </b>\u3000尾</td><td>保障性住房/<br>公共租赁住房</td><td>2023-03-01</td>
    <td><p>2023-03-02</p><p></p></td><td><a href=" ">空</a><a href="a/1.html?x=1">链接</a></td></tr>
<tr><td rowspan="2">第2号 &amp; 第3号</td><td colspan=2>跨两列</td><td>2023-04-01</td><td><a href="http://x.example/2.html">二</a></td></tr>
<tr><td>第3号</td><td><span>a</span>
<span>b</span></td><td>2023-04-02</td></tr>
<tr></tr>
<tr><td>文号</td><td></td><td>郑政〔2024〕1号</td><td><noscript><p>无脚本</p></noscript>尾</td></tr>
<tr><td>发布日期</td></tr><tr><td></td></tr><tr><td>：</td></tr><tr><td>2024-07-08</td></tr>
</tbody></table>
<div>备案日期：2024-06-01</div>
<table><tr><th>成文日期</th><th>2024-01-02</th></tr><tr><td>ＡＢＣ１２３</td><td><a href="/abs/3.html">三</a></td></tr></table>
</body></html>"""


def test_the_tree_path_covers_a_page_of_breaks_spans_links_and_labels_and_reads_it_as_the_standard_library(  # noqa: E501
) -> None:
    data = _TRICKY_PAGE.encode("utf-8")
    assert html_table._tree(data, "http://x.example/list/index.html") is not None  # not the event path
    ours = _doc(data, "http://x.example/list/index.html", "lxml")
    assert ours == _doc(data, "http://x.example/list/index.html", "html.parser")
    assert ours == _doc(data, "http://x.example/list/index.html", "lxml-events")
    tables, meta = ours
    cells, links = tables[0][1], tables[0][2]
    assert cells[1][:2] == ["第1号 公告  加粗  尾", "保障性住房/\n公共租赁住房"] and cells[1][3] == "2023-03-02"
    assert cells[2][:3] == ["第2号 & 第3号", "跨两列", "跨两列"] and cells[3][:2] == ["第2号 & 第3号", "第3号"]
    assert links[1][4] == "http://x.example/list/a/1.html?x=1" and tables[1][2][1][1] == "http://x.example/abs/3.html"
    # label cells first (the header cell 发布日期 takes the next filled cell), then 「标签：值」 text
    assert meta == {"published_on": "链接", "written_on": "2024-01-02", "document_no": "郑政〔2024〕1号",
                    "filed_on": "2024-06-01"}


@pytest.mark.parametrize("page", [
    "<table><tr><td>外<table><tr><td>内</td></tr></table></td></tr></table>",   # a table inside a table
    "<noscript><table><tr><td>标题</td></tr></table></noscript>",                 # a table in a skipped element
    "<table><td>无行的格</td><tr><td>标题</td></tr></table>",                      # a cell outside a row
    "<table><tr><td>标题\ue002</td></tr></table>",                                # text with a marker character
])
def test_pages_the_tree_path_does_not_cover_go_through_the_event_handlers(page: str) -> None:
    assert html_table._tree(page.encode(), "t.html") is None
    assert _doc(page.encode(), "t.html", "lxml") == _doc(page.encode(), "t.html", "html.parser")


def test_the_whitespace_class_of_the_tree_path_is_pythons() -> None:
    import re

    import pyarrow as pa
    import pyarrow.compute as pc
    every = "".join(map(chr, range(0x110000)))
    every = every.replace("\ud800", "")[:0xD800] + every[0xE000:]  # no surrogates: Arrow holds UTF-8
    python = re.sub(r"\s+", " ", every)
    assert pc.replace_substring_regex(pa.array([every]), html_table._WHITESPACE, " ").to_pylist() == [python]


def _meta_reference(grids: list[list[list[str]]], page_text: str) -> dict[str, str]:
    """The metadata scan as it was written before the Arrow one (each text node folded on its own, as
    before): every cell, then the whole text."""
    import re

    from loaders.vocabulary import header_key, vocabulary
    labels = {header_key(w): key for key, ws in vocabulary()["meta"].items() for w in ws}
    meta: dict[str, str] = {}
    for grid in grids:
        for row in grid:
            for i, cell in enumerate(row[:-1]):
                key = labels.get(header_key(cell)) if len(cell) <= 12 else None
                if key and key not in meta:
                    value = next((v for v in row[i + 1:] if v and v != cell), "")
                    if value and header_key(value) not in labels:
                        meta[key] = value
    pattern = "|".join(re.escape(w) for ws in vocabulary()["meta"].values() for w in ws)
    for m in re.finditer(rf"({pattern})\s*[:：]\s*([^\s|｜]+)", page_text + "\n" + "\n".join(
            "".join(row) for grid in grids for row in grid)):
        meta.setdefault(labels[header_key(m.group(1))], m.group(2))
    return meta


_META_WORDS = ["发布日期", "成文日期", "文号", "备案时间", "：", ":", "2024-01-02", "郑政〔2024〕1号", "公开", "a b", "x\ny",
               "", "", "", "发布", "日期", " ", "｜"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from(_META_WORDS), min_size=3, max_size=3), max_size=8), min_size=1,
                max_size=3), st.lists(st.sampled_from(_META_WORDS), max_size=6))
@example([[["发布日期"] * 3, ["：", "", " "], ["", "", " "], ["发布日期"] * 3]], [])  # a row of spaces is blank
def test_the_arrow_metadata_scan_finds_what_scanning_every_cell_and_the_whole_text_finds(
        grids: list[list[list[str]]], page: list[str]) -> None:
    import pyarrow as pa
    columns = [[pa.chunked_array([pa.array([r[j] for r in g], pa.string())]) for j in range(3)] if g else []
               for g in grids]
    assert html_table._meta(columns, "".join(page)) == _meta_reference(grids, "".join(page))


def _exact_extent_within(xml: bytes) -> bool:
    from loaders import limits
    refs = limits._CELL_REF.findall(xml)
    rows = max((int(n) for _, n in refs), default=0)
    cols = max((limits._column_number(c) for c, _ in refs), default=0)
    return rows <= limits.MAX_ROWS and rows * cols <= limits.MAX_CELLS


_REFS = st.tuples(st.sampled_from(["A", "F", "Z", "AA", "AZ", "ZZ", "XFD", "ABCD"]),
                  st.sampled_from(["1", "9", "99999", "100000", "166667", "300000", "300001", "0000001", "1048576",
                                   "12345678"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_REFS, min_size=1, max_size=6))
def test_the_xlsx_extent_bound_never_passes_a_sheet_the_exact_scan_refuses(refs: list[tuple[str, str]]) -> None:
    from loaders import limits
    xml = b"<worksheet><sheetData>" + b"".join(
        b'<row r="1"><c r="%s%s" t="s"><v>0</v></c></row>' % (c.encode(), n.encode()) for c, n in refs) + \
        b"</sheetData></worksheet>"
    if limits._within_limits(xml):
        assert _exact_extent_within(xml)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_the_tree_path_reads_a_page_in_gbk_or_with_a_bom_as_the_standard_library(encoding: str) -> None:
    page = _TRICKY_PAGE.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=gbk">')
    data = page.encode(encoding)
    assert html_table._tree(data, "t.html") is not None
    assert _doc(data, "t.html", "lxml") == _doc(data, "t.html", "html.parser")


def test_a_parse_pauses_the_garbage_collector_and_restores_it_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from loaders import readers
    seen: list[bool] = []
    real = html_table.read
    monkeypatch.setattr(html_table, "read", lambda data, file: (seen.append(gc.isenabled()), real(data, file))[1])
    try:
        assert gc.isenabled()
        readers.parse(_html_table(3), "t.html")
        assert gc.isenabled()
        gc.disable()
        readers.parse(_html_table(3), "t.html")
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen == [False, False]

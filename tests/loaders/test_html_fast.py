"""The table tokeniser (`html_table._fast_tree`) gives exactly what the tree path gives for the
same page (cells, links, row numbers, page metadata, refusals), or declines: on every fixture
page, on the benchmark's page, and on generated tables full of what libxml2 reads in its own
way (entities, breaks, inline tags, CR, whitespace, comments, quoted '>', spans, odd tags)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import loadfiles
from loaders import html_table
from loaders.errors import LoadError
from tests.loaders.test_load_paths import HTML_PAGES


def _read(data: bytes, name: str) -> tuple[object, ...]:
    try:
        doc = html_table.read(data, name)
    except LoadError as exc:
        return ("refused", [p.message for p in exc.problems])
    return ([(t.sheet, t.cells, t.links, list(t.row_numbers)) for t in doc.tables], doc.meta)


def _both(data: bytes, name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, bool]:
    """(tokeniser's reading, tree path's reading, whether the tokeniser read the page)."""
    taken: list[bool] = []
    real = html_table._fast_tree

    def spy(utf8: bytes, file: str) -> object:
        got = real(utf8, file)
        taken.append(got is not None)
        return got

    with monkeypatch.context() as m:
        m.setattr(html_table, "_FAST_MIN_BYTES", 0)
        m.setattr(html_table, "_fast_tree", spy)
        fast = _read(data, name)
    with monkeypatch.context() as m:
        m.setattr(html_table, "_fast_tree", lambda utf8, file: None)
        reference = _read(data, name)
    return fast, reference, any(taken)


@pytest.mark.parametrize("path", HTML_PAGES, ids=lambda p: p.name)
def test_every_fixture_page_reads_as_the_tree_path_reads_it(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, reference, _ = _both(path.read_bytes(), path.name, monkeypatch)
    assert fast == reference


def test_the_benchmark_page_takes_the_tokeniser_and_reads_as_the_tree_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = loadfiles.make("html", 500, tmp_path).read_bytes()
    fast, reference, taken = _both(data, "http://x.example/list/log.html", monkeypatch)
    assert taken and fast == reference
    assert html_table._FAST_MIN_BYTES <= len(loadfiles.make("html", 10_000, tmp_path).read_bytes())


_PAGE = ("<html><head><meta charset=\"utf-8\"><title>公开台账</title></head><body>\n"
         "<p>发布日期：2024-05-06</p>{before}<div>{table}</div>{after}<table><tr><td>文号</td><td>郑政〔2024〕1号</td>"
         "</tr></table></body></html>")


def test_a_plain_table_with_links_takes_the_tokeniser(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "".join(f"<tr>\n  <td>第{i}号　公告 </td><td> <a href=\"a/{i}.html\" target=\"_blank\">标题 {i}</a>\n</td>"
                   f"<td>\n</td><td><A HREF=\"http://x.example/{i}\">链</A>尾</td></tr>\n" for i in range(30))
    table = f"<table class=\"list\">\n<thead><tr><th>标题</th><th>链接</th><th>空</th><th>网址</th></tr></thead>" \
            f"<tbody>{rows}</tbody></table>"
    data = _PAGE.format(before="前", table=table, after="后").encode()
    fast, reference, taken = _both(data, "http://x.example/list/index.html", monkeypatch)
    assert taken and fast == reference


_CELL_PIECES = [
    "公告", "第1号", " ", "  ", "\n", "\r\n", "\r", "\t", "\u3000", "\xa0", "ＡＢＣ１２３", "a b", "发布日期", "：",
    "2024-01-02", "&amp;", "&nbsp;", "&lt;td&gt;", "&#x4e2d;", "&copy", "&", "& b", "<br>", "<br/>", "<p>段</p>",
    "<div>块</div>", "<b>粗</b>", "<span>a</span>", "<b>未闭", "</b>", "<a href=\"x/1.html\">链</a>",
    "<a href='http://x.example/2'>二</a>", "<a href=\"http://x.example/3\" title=\"a>b\">三</a>",
    "<a href=\"http://x.example/4\" target=\"_blank\">四</a>", "<a href=\"y\" href=\"z\">双</a>", "<A HREF=\"q\">大</A>", "<a href=\" \">空</a>",
    "<a>无</a>", "<!-- 注 -->", "<img src=\"i.png\">", "<script>var a = '<td>';</script>", "1 < 2", "<", ">",
    "\ue011", "\x0c", "\x01", "<td>", "</td>", "<tr>", "<table><tr><td>内</td></tr></table>", "\"", "'",
]
_OPENS = ["<td>", "<td>", "<td>", "<th>", "<TD>", "<td class=\"c\">", "<td title='a>b'>", "<td rowspan=\"2\">",
          "<td colspan=2>", "<td/>", "<td >"]
_CLOSES = ["</td>", "</td>", "</td>", "</th>", "</TD>", "", "</td >", "</th >"]
_BETWEEN = ["", "", "\n", " ", "\r\n", "\t ", "x", "<br>", "&nbsp;"]


@st.composite
def _tables(draw: st.DrawFn) -> str:
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        cells = []
        for _ in range(draw(st.integers(0, 4))):
            opened = draw(st.sampled_from(_OPENS))
            closed = draw(st.sampled_from(_CLOSES))
            if opened.lower().startswith("<th") and closed.startswith("</t"):
                closed = draw(st.sampled_from(["</th>", closed]))
            content = "".join(draw(st.lists(st.sampled_from(_CELL_PIECES), max_size=5)))
            cells.append(opened + content + closed + draw(st.sampled_from(_BETWEEN)))
        row_open = draw(st.sampled_from(["<tr>", "<tr>", "<tr class=\"r\">", "<TR>", ""]))
        row_close = draw(st.sampled_from(["</tr>", "</tr>", "", "</TR>"]))
        rows.append(row_open + draw(st.sampled_from(_BETWEEN)) + "".join(cells) + row_close
                    + draw(st.sampled_from(_BETWEEN)))
    head = draw(st.sampled_from(["", "<thead>", "<tbody>", "\n"]))
    tail = draw(st.sampled_from(["", "</tbody>", "\n"]))
    attrs = draw(st.sampled_from(["", " border=1", " data-x=\">\""]))
    return f"<table{attrs}>{head}{''.join(rows)}{tail}</table>"


_AROUND = ["", "<p>成文日期：2024-05-01</p>", "备案日期", "：2024-06-01", "<noscript>", "</noscript>", "<b>", "<a href=\"y\">",
           "<table><tr><td>其他</td></tr></table>", "<!--", "-->", "<script>", "</script>", "\n"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables(), st.lists(st.sampled_from(_AROUND), max_size=3), st.lists(st.sampled_from(_AROUND), max_size=3))
def test_generated_tables_read_as_the_tree_path_reads_them(table: str, before: list[str], after: list[str]) -> None:
    data = _PAGE.format(before="".join(before), table=table, after="".join(after)).encode()
    with pytest.MonkeyPatch.context() as m:
        fast, reference, _ = _both(data, "http://x.example/list/index.html", m)
    assert fast == reference


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.lists(st.sampled_from([p for p in _CELL_PIECES if "<" not in p or "href" in p]),
                                  max_size=3), min_size=1, max_size=4), min_size=1, max_size=5))
def test_generated_plain_tables_take_the_tokeniser_where_they_can(cells: list[list[list[str]]]) -> None:
    rows = "".join("<tr>" + "".join(f"<td>{''.join(c)}</td>" for c in row) + "</tr>\n" for row in cells)
    data = _PAGE.format(before="", table=f"<table>{rows}</table>", after="").encode()
    with pytest.MonkeyPatch.context() as m:
        fast, reference, taken = _both(data, "http://x.example/list/index.html", m)
    assert fast == reference
    links = {"<a href=\"x/1.html\">链</a>", "<a href=\"http://x.example/4\" target=\"_blank\">四</a>"}
    simple = all(all("&" not in p and p not in ("\ue011", "\x0c", "\x01") and ("<" not in p or p in links) for p in c)
                 and sum(p in links for p in c) <= 1 for row in cells for c in row)
    if simple:
        assert taken


_INLINE = [p for p in _CELL_PIECES if not any(x in p for x in ("<!--", "<script", "<td>", "</td>", "<tr>", "<table",
                                                                "\x0c", "\x01"))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.lists(st.sampled_from(_INLINE), max_size=4), min_size=1, max_size=4), min_size=1, max_size=5),
       st.sampled_from(["", "<b>", "<a href=\"y\">", "<span>", "<div>", "<p>"]))
def test_cells_of_entities_breaks_and_inline_tags_are_read_by_libxml2_alone_as_in_the_page(
        cells: list[list[list[str]]], wrap: str) -> None:
    """Cells the tokeniser does not write itself go to libxml2 in a table of their own, inside
    the elements the page's table sits in (a stray </b> closes what it closes there)."""
    rows = "".join("<tr>" + "".join(f"<td>{''.join(c)}</td>" for c in row) + "</tr>\n" for row in cells)
    data = _PAGE.format(before=wrap, table=f"<table>{rows}</table>", after="").encode()
    with pytest.MonkeyPatch.context() as m:
        fast, reference, _ = _both(data, "http://x.example/list/index.html", m)
    assert fast == reference


def test_a_table_of_entities_and_breaks_takes_the_tokeniser(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "".join(f"<tr><td>第{i}号&nbsp;公告</td><td>保障性住房<br>公共租赁住房</td><td><span>2023-03-0{1 + i % 9}</span></td>"
                   f"<td><a href=\"x?a=1&amp;b={i}\">链&amp;接</a></td></tr>\n" for i in range(40))
    data = _PAGE.format(before="", table=f"<table><tbody>{rows}</tbody></table>", after="").encode()
    fast, reference, taken = _both(data, "http://x.example/list/index.html", monkeypatch)
    assert taken and fast == reference
    assert fast[0][0][1][0][:2] == ["第0号 公告", "保障性住房\n公共租赁住房"]  # type: ignore[index]


def test_the_crawled_portal_pages_read_as_the_tree_path_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.crawl import portal
    pages = portal.build("http://127.0.0.1:9/")
    taken = 0
    for url, data in pages.items():
        if data.lstrip()[:1] == b"<":
            fast, reference, took = _both(data, url, monkeypatch)
            assert fast == reference, url
            taken += took
    assert taken


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_page_in_gbk_or_with_a_bom_reads_through_the_tokeniser_as_through_the_tree_path(
        encoding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "".join(f"<tr><td>第{i}号公告</td><td><a href=\"/a/{i}.html\">保障性住房</a></td><td>2023年3月{1 + i % 9}日</td></tr>\r\n"
                   for i in range(30))
    page = _PAGE.replace("charset=\"utf-8\"", "charset=\"gbk\"").format(before="", table=f"<table>{rows}</table>",
                                                                        after="")
    fast, reference, taken = _both(page.encode(encoding), "http://x.example/list/index.html", monkeypatch)
    assert taken and fast == reference


def test_a_10k_row_page_takes_the_tokeniser_as_it_is_and_loads_what_the_tree_path_loads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = loadfiles.make("html", 10_000, tmp_path).read_bytes()
    assert html_table._fast_tree(html_table.decode_text(data, "log.html").encode(), "log.html") is not None
    fast = _read(data, "log.html")
    monkeypatch.setattr(html_table, "_fast_tree", lambda utf8, file: None)
    assert fast == _read(data, "log.html")

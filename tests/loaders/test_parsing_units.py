"""Small pure pieces without a database: marks, date styles, header matching, HTML spans,
section/note/duplicate rows in a catalog, the size cap of a fetch."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from loaders import marks
from loaders.catalog import normalise
from loaders.dates import parse_dates, parse_one
from loaders.errors import LoadError, ProblemKind
from loaders.html_table import read as read_html
from loaders.http_pull import evidence_name, fetch
from loaders.model import ParsedDocument, ParsedTable
from loaders.vocabulary import match_field


@pytest.mark.parametrize("text,expected", [
    ("■政府网站；□政府公报；□两微一端；■公开查阅点", "政府网站；公开查阅点"),
    ("□政府网站；□政府公报", ""),                       # nothing required: the element is blank
    ("政府网站、公开查阅点", "政府网站、公开查阅点"),      # plain text stays as written
    ("☑政府网站 ☐政务服务中心 ☑便民服务站", "政府网站；便民服务站"),
])
def test_channels_keep_the_checked_boxes(text: str, expected: str) -> None:
    assert marks.channels_text(text) == expected


@pytest.mark.parametrize("cell,ticked", [("√", True), ("✓", True), (" ✔ ", True), ("■", True), ("●", True),
                                         ("是", True),
                                         ("", False), ("×", False), ("□", False), ("〇", False), ("否", False)])
def test_ticks(cell: str, ticked: bool) -> None:
    assert marks.is_ticked(cell) is ticked
    assert bool(marks.ticked(pd.Series([cell])).iloc[0]) is ticked


def test_tick_groups_written_as_text() -> None:
    assert marks.list_text("全社会;特定群体") == "全社会、特定群体"
    assert marks.list_text("市级，县级 / 乡级") == "市级、县级、乡级"
    assert marks.content_text("●文件名称;○发布日期;◯正文") == "●文件名称;〇发布日期;〇正文"


@pytest.mark.parametrize("text,expected", [
    ("2023-06-01", dt.date(2023, 6, 1)), ("2023/6/1", dt.date(2023, 6, 1)), ("2023.6.1", dt.date(2023, 6, 1)),
    ("2023年6月1日", dt.date(2023, 6, 1)), ("2023-06-01 14:30", dt.date(2023, 6, 1)),
    ("2023年6月1日 9:05:00", dt.date(2023, 6, 1)), ("20230601", dt.date(2023, 6, 1)),
    ("2024-02-29", dt.date(2024, 2, 29)), ("2023-02-29", None), ("2023-13-01", None), ("六月一日", None),
])
def test_date_styles(text: str, expected: dt.date | None) -> None:
    assert parse_one(text) == expected


def test_date_flags() -> None:
    parsed = parse_dates(pd.Series(["2023-02-30", "abc", "", "2023.6.1"]))
    assert parsed.impossible.tolist() == [True, False, False, False]
    assert parsed.bad.tolist() == [False, True, False, False]
    assert parsed.blank.tolist() == [False, False, True, False]



def test_a_date_outside_the_holdable_years_is_refused_not_a_crash() -> None:
    """1500-01-01 or 0000-01-01 (typos for 2015 …) used to raise OutOfBoundsDatetime from the
    datetime64[ns] column and crash the load; they are date-shaped texts naming no usable day."""
    parsed = parse_dates(pd.Series(["1500-01-01", "1500年1月1日", "0000-01-01", "2262-05-01", "2023-06-01"]))
    assert parsed.impossible.tolist() == [True, True, True, True, False]
    assert parsed.bad.tolist() == [False] * 5
    assert parsed.dates.iloc[4] == pd.Timestamp("2023-06-01")
    assert parse_one("1500-01-01") is None

@pytest.mark.parametrize("header,field", [
    ("公开内容（要素）", "content"), ("公开内容", "content"), ("公开渠道和载体", "channels"), ("一级事项", "level1"),
    ("公开事项", "level2"), ("事项名称", "level2"), (" 公开 层级 ", "disclosure_level"), ("备注", "notes"),
    ("责任单位", None),
])
def test_catalog_header_variants(header: str, field: str | None) -> None:
    assert match_field(header, "catalog.columns") == field


def test_html_spans_and_breaks() -> None:
    page = (b"<table><tr><th rowspan=2>A</th><th colspan=2>B</th></tr><tr><th>b1</th><th>b2</th></tr>"
            b"<tr><td rowspan='2'>x</td><td>1<br>2</td><td><p>p1</p><p>p2</p></td></tr>"
            b"<tr><td>3</td><td>&nbsp;4 </td></tr></table>")
    [table] = read_html(page, "t.html").tables
    assert table.cells == [["A", "B", "B"], ["A", "b1", "b2"], ["x", "1\n2", "p1\np2"], ["x", "3", "4"]]


def grid(rows: list[list[str]]) -> ParsedDocument:
    return ParsedDocument("t.csv", "csv", [ParsedTable("t.csv", None, rows, list(range(1, len(rows) + 1)))])


def test_section_note_and_duplicate_rows() -> None:
    header = ["序号", "二级事项", "公开内容", "公开依据", "公开时限"]
    doc = grid([header,
                ["一、法规政策", "", "", "", ""],                         # section row: sets 一级事项
                ["1", "法律法规", "文件", "条例", "20个工作日"],
                ["44", "", "", "", ""],                                   # an empty numbered row: not a section
                ["2", "政策文件", "文件", "条例", "20个工作日"],
                ["3", "法律法规", "文件", "条例", "20个工作日"],           # duplicate of row 3
                ["注：● 为必须公开要素", "", "", "", ""]])                 # note row: ignored
    parsed = normalise(doc)
    assert parsed.rows[["row_no", "level1", "level2"]].values.tolist() == [
        [3, "一、法规政策", "法律法规"], [5, "一、法规政策", "政策文件"]]
    assert parsed.rows["level1_key"].tolist() == ["法规政策", "法规政策"]
    assert [(p.kind, p.row, p.value) for p in parsed.problems] == [(ProblemKind.DUPLICATE_ROW, 6, "3")]
    assert parsed.problems[0].is_warning


def test_fetch_refuses_what_is_not_listening() -> None:
    with pytest.raises(LoadError) as info:
        fetch("http://127.0.0.1:9/x.html", timeout=0.5, retries=0)
    assert info.value.problems[0].kind in (ProblemKind.FETCH_FAILED, ProblemKind.FETCH_TIMEOUT)


def test_evidence_names() -> None:
    digest = "ab" * 32
    assert evidence_name("https://x.gov.cn/jczwgk/list.html?page=2", digest) == "abababababab_list.html"
    assert evidence_name("https://x.gov.cn/jczwgk/", digest) == "abababababab_index.html"


def test_unknown_level_sub_column_under_a_merged_top() -> None:
    top = ["序号", "二级事项", "公开内容", "公开依据", "公开层级", ""]
    sub = ["", "", "", "", "县级", "社区级"]
    doc = grid([top, sub, ["1", "法律法规", "文件", "条例", "√", "√"], ["2", "政策文件", "文件", "条例", "", "√"]])
    parsed = normalise(doc)
    assert parsed.rows[["row_no", "disclosure_level"]].values.tolist() == [[3, "县级、社区级"], [4, "社区级"]]

"""The formats behind every export and the one writer that applies them (`reports.xlsx`): display
width, safe writes, column widths, page setup and reproducible bytes, each read back with openpyxl.
Workbook contents are covered by test_excel_report_workbook.py and test_excel_gap_workbook.py, the
writer against the openpyxl reference by test_xlsx.py.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from reports import xlsx
from reports.excel_format import PERCENT, display_width
from ui_text import excel as text


@pytest.mark.parametrize(("value", "width"), [
    ("abc", 3),
    ("中文", 4),
    ("a中b文", 6),            # 1 + 2 + 1 + 2
    ("", 0),
    ("ＡＢ", 4),              # fullwidth Latin ('F') counts 2
    ("2023年6月节点", 13),     # 4 digits + 年 2 + 1 digit + 月节点 6 = 13
    ("（）、《》", 10),         # CJK punctuation is wide
    ("ｱ", 1),                # halfwidth katakana ('H') counts 1
    ("e\u0301", 1),          # combining accent adds nothing
], ids=["ascii", "cjk", "mixed", "empty", "fullwidth", "date-label", "punctuation", "halfwidth",
        "combining"])
def test_display_width(value: str, width: int) -> None:
    assert display_width(value) == width


def _roundtrip(wb: xlsx.Book) -> Workbook:
    return load_workbook(io.BytesIO(xlsx.finish_workbook(wb, dt.date(2023, 6, 30), "t")))


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "=1+1"])
def test_put_keeps_formula_like_text_as_text(value: str) -> None:
    wb = xlsx.new_workbook()
    ws = wb.create_sheet("s")
    xlsx.put(ws, 1, 1, value)
    xlsx.write_table(ws, 3, ["h"], [[value]])  # a table cell as well as a single one
    back = _roundtrip(wb)["s"]
    for cell in (back["A1"], back["A4"]):
        assert cell.data_type == "s"
        assert cell.value == value
        assert cell.quotePrefix is True  # Excel keeps it text even after the user edits the cell


def test_put_strips_control_characters_and_keeps_numbers() -> None:
    wb = xlsx.new_workbook()
    ws = wb.create_sheet("s")
    xlsx.put(ws, 1, 1, "标题\x07含响铃")
    xlsx.put(ws, 1, 2, 0.5, PERCENT)
    xlsx.put(ws, 1, 3, "plain")
    back = _roundtrip(wb)["s"]
    assert back["A1"].value == "标题含响铃"
    assert (back["B1"].value, back["B1"].data_type, back["B1"].number_format) == (0.5, "n", "0.0%")
    assert back["C1"].quotePrefix is False


def test_fit_columns_counts_cjk_double_and_ignores_prose() -> None:
    wb = xlsx.new_workbook()
    ws = wb.create_sheet("s")
    xlsx.put(ws, 1, 1, "a very long title line that must not widen column A", boxed=False)
    xlsx.write_table(ws, 2, ["单位", "x"], [["郑东新区", "abc"], ["金水区", 0.98765]], formats={1: PERCENT})
    xlsx.put(ws, 5, 3, "长" * 40)
    xlsx.fit_columns(ws, first_row=1, max_width=30)
    back = _roundtrip(wb)["s"]
    # A: widest boxed cell 郑东新区 = 8, + 2 padding = 10 (the title line is not a table cell)
    assert back.column_dimensions["A"].width == 10
    # B: 'abc' 3, '98.8%' 5 → 5 + 2 = 7
    assert back.column_dimensions["B"].width == 7
    # C: 40 CJK = 80 > 30 → clamped to 30 and the cell wraps
    assert back.column_dimensions["C"].width == 30
    assert back["C5"].alignment.wrap_text is True
    assert not back["A3"].alignment.wrap_text


def test_setup_page() -> None:
    wb = xlsx.new_workbook()
    ws = wb.create_sheet("s")
    xlsx.write_table(ws, 3, ["h"], [["v"]])
    xlsx.setup_page(ws, 3)
    back = _roundtrip(wb)["s"]
    assert back.page_setup.orientation == "landscape"
    assert int(back.page_setup.paperSize) == 9  # A4
    assert int(back.page_setup.fitToWidth) == 1
    assert int(back.page_setup.fitToHeight) == 0
    assert back.sheet_properties.pageSetUpPr.fitToPage is True
    assert back.freeze_panes == "A4"
    assert back.print_title_rows == "$1:$3"
    assert back.oddFooter.center.text == text.FOOTER == "第 &P 页 / 共 &N 页"


def test_finish_workbook_is_reproducible_and_dated_by_as_of() -> None:
    def build() -> bytes:
        wb = xlsx.new_workbook()
        xlsx.put(wb.create_sheet("s"), 1, 1, "x")
        return xlsx.finish_workbook(wb, dt.date(2023, 6, 30), "t")

    first, second = build(), build()
    assert first == second
    props = load_workbook(io.BytesIO(first)).properties
    assert props.created == props.modified == dt.datetime(2023, 6, 30)
    assert props.creator == text.CREATOR
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 6, 30, 0, 0, 0)}


def test_grade_fills_by_id_then_by_position() -> None:
    fills = xlsx.grade_fills([{"id": "excellent", "name": "优秀"}, {"id": "good", "name": "良好"},
                              {"id": "pass", "name": "合格"}, {"id": "fail", "name": "不合格"}])
    assert fills["优秀"] == "C6EFCE"   # green
    assert fills["不合格"] == "FFC7CE"  # red
    # bands with unknown ids: first green, last always red
    fills = xlsx.grade_fills([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}])
    assert (fills["A"], fills["B"]) == ("C6EFCE", "FFC7CE")

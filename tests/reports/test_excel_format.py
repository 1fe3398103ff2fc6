"""The formatting helpers behind both exports: display width, safe writes, column widths, page
setup and reproducible bytes. Workbook contents are covered by test_excel_report_workbook.py and
test_excel_gap_workbook.py.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from reports import excel_format as fmt
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
    assert fmt.display_width(value) == width


def _roundtrip(wb) -> object:
    return load_workbook(io.BytesIO(fmt.finish_workbook(wb, dt.date(2023, 6, 30), "t")))


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "=1+1"])
def test_put_keeps_formula_like_text_as_text(value: str) -> None:
    wb = fmt.new_workbook()
    ws = wb.create_sheet("s")
    fmt.put(ws, 1, 1, value)
    cell = _roundtrip(wb)["s"]["A1"]
    assert cell.data_type == "s"
    assert cell.value == value
    assert cell.quotePrefix is True  # Excel keeps it text even after the user edits the cell


def test_put_strips_control_characters_and_keeps_numbers() -> None:
    wb = fmt.new_workbook()
    ws = wb.create_sheet("s")
    fmt.put(ws, 1, 1, "标题\x07含响铃")
    fmt.put(ws, 1, 2, 0.5, fmt.PERCENT)
    fmt.put(ws, 1, 3, "plain")
    back = _roundtrip(wb)["s"]
    assert back["A1"].value == "标题含响铃"
    assert (back["B1"].value, back["B1"].data_type, back["B1"].number_format) == (0.5, "n", "0.0%")
    assert back["C1"].quotePrefix is False


def test_fit_columns_counts_cjk_double_and_ignores_prose() -> None:
    wb = fmt.new_workbook()
    ws = wb.create_sheet("s")
    fmt.put(ws, 1, 1, "a very long title line that must not widen column A", boxed=False)
    fmt.write_table(ws, 2, ["单位", "x"], [["郑东新区", "abc"], ["金水区", 0.98765]],
                    formats={1: fmt.PERCENT})
    fmt.put(ws, 5, 3, "长" * 40)
    fmt.fit_columns(ws, first_row=1, max_width=30)
    # A: widest boxed cell 郑东新区 = 8, + 2 padding = 10 (the title line is not a table cell)
    assert ws.column_dimensions["A"].width == 10
    # B: 'abc' 3, '98.8%' 5 → 5 + 2 = 7
    assert ws.column_dimensions["B"].width == 7
    # C: 40 CJK = 80 > 30 → clamped to 30 and the cell wraps
    assert ws.column_dimensions["C"].width == 30
    assert ws["C5"].alignment.wrap_text is True
    assert not ws["A3"].alignment.wrap_text


def test_setup_page() -> None:
    wb = fmt.new_workbook()
    ws = wb.create_sheet("s")
    fmt.write_table(ws, 3, ["h"], [["v"]])
    fmt.setup_page(ws, 3)
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
        wb = fmt.new_workbook()
        fmt.put(wb.create_sheet("s"), 1, 1, "x")
        return fmt.finish_workbook(wb, dt.date(2023, 6, 30), "t")

    first, second = build(), build()
    assert first == second
    props = load_workbook(io.BytesIO(first)).properties
    assert props.created == props.modified == dt.datetime(2023, 6, 30)
    assert props.creator == text.CREATOR
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 6, 30, 0, 0, 0)}


def test_grade_fills_by_id_then_by_position() -> None:
    fills = fmt.grade_fills([{"id": "excellent", "name": "优秀"}, {"id": "good", "name": "良好"},
                             {"id": "pass", "name": "合格"}, {"id": "fail", "name": "不合格"}])
    assert fills["优秀"].fgColor.rgb.endswith("C6EFCE")   # green
    assert fills["不合格"].fgColor.rgb.endswith("FFC7CE")  # red
    # bands with unknown ids: first green, last always red
    fills = fmt.grade_fills([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}])
    assert fills["A"].fgColor.rgb.endswith("C6EFCE")
    assert fills["B"].fgColor.rgb.endswith("FFC7CE")

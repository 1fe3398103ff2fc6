"""build_gap_workbook: one unit's own gap list (区县自查 download), read back with openpyxl.

Header block, one row per gap with its category label, rule and remedy, the component
breakdown under it, the 待公开事项 sheet, and the same safety and print settings as the report.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from reports.excel import build_gap_workbook
from scoring.rules import load_rules
from tests.reports.helpers import typed_unit
from ui_text import excel as text
from ui_text.common import date_text

H = text.HEADERS
_RULES = load_rules()  # the registry: component ids, kinds and order
COMPONENTS, RATIOS, MILESTONES = _RULES.component_ids, _RULES.ratio_ids, _RULES.milestone_ids


def cn(iso: str | None) -> str | None:
    """A JSON ISO date as the printed workbook writes it: '2023-06-01' → '2023年6月1日'."""
    return None if iso is None else date_text(dt.date.fromisoformat(iso))


def _context(weights: dict[str, int], **extra: Any) -> dict[str, Any]:
    return {"as_of": "2023-06-30", "weights": weights, "unit_count": 16, **extra}


@pytest.fixture
def jinshui(evaluation) -> dict[str, Any]:
    return evaluation["districts"][0]


@pytest.fixture
def book(jinshui, weights, open_book):
    return open_book(build_gap_workbook(typed_unit(jinshui), _context(weights)))


def _rows(ws, first: int) -> list[list[Any]]:
    """Rows from `first` down to the first empty row."""
    out = []
    for row in ws.iter_rows(min_row=first):
        values = [c.value for c in row]
        if all(v is None for v in values):
            break
        out.append(values)
    return out


def test_sheets_and_header_block(book) -> None:
    assert book.sheetnames == ["问题清单", "待公开事项"]
    ws = book["问题清单"]
    assert ws["A1"].value == "金水区 保障性住房领域基层政务公开问题清单"
    # 单位、评估日期、得分、等级、排名 on one line, then how 折算得分 is computed
    assert ws["A2"].value == ("单位：金水区　　评估日期：2023年6月30日　　得分：90.78　　等级：优秀　　"
                              "排名：第 1 名（共 16 个单位）")
    assert ws["A3"].value == text.ABOUT["points_text"]
    assert ws.freeze_panes == "A6"  # title 1, header line 2, note 3, blank 4, gap header 5


def test_one_row_per_gap_with_rule_and_remedy(book, jinshui) -> None:
    ws = book["问题清单"]
    header_row = ws[ws.freeze_panes].row - 1
    rows = _rows(ws, header_row)
    headers, gaps = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    assert headers[:9] == [H["category"], H["item"], H["title"], H["detail"], H["missing_elements"],
                           H["workdays_late"], H["deadline"], H["rule"], H["remedy"]]
    assert len(gaps) == len(jinshui["gaps"]) == 3
    for row, gap in zip(gaps, jinshui["gaps"]):
        assert row[H["category"]] == text.CATEGORY_LABELS[gap["category"]]
        assert row[H["item"]] == gap["item"]
        assert row[H["title"]] == gap["title"]
        assert row[H["detail"]] == gap["detail"]
        assert row[H["workdays_late"]] == gap["workdays_late"]
        assert row[H["deadline"]] == cn(gap["deadline"])
        assert row[H["rule"]] == text.COMPONENT_LABELS[gap["rule"]]
        assert row[H["remedy"]] == text.REMEDIES[gap["category"]]
    assert gaps[0][H["missing_elements"]] == "公开依据、公开层级"
    assert gaps[1][H["workdays_late"]] == 4 and gaps[1][H["deadline"]] == "2023年6月1日"


def test_component_breakdown_under_the_gaps(book, jinshui, weights, value_of) -> None:
    ws = book["问题清单"]
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == H["component"])
    rows = _rows(ws, start)[1:]
    assert [r[0] for r in rows] == [text.COMPONENT_LABELS[c] for c in COMPONENTS]
    for r, cid in zip(rows, COMPONENTS):
        assert r[1] == value_of(jinshui, cid)
        assert r[2] == weights[cid]
    # 100·25·0.95/95 = 25 (Σw without the null interpretation_sync = 95)
    assert rows[3][3] == 25
    assert rows[4][4] == text.NOT_SCORED == "不参评"


def test_pending_sheet(book, jinshui, hostile) -> None:
    ws = book["待公开事项"]
    assert ws.freeze_panes == "A3"
    assert [c.value for c in ws[2]] == [H["title"], H["item"], H["formed_on"], H["deadline"],
                                        H["workdays_left"], H["pending_status"]]
    p = jinshui["pending"][0]
    assert [c.value for c in ws[3]] == [p["title"], p["item"], cn(p["formed_on"]), cn(p["deadline"]),
                                        p["workdays_left"], "未到期"]
    assert ws["A3"].value == hostile[3] and ws["A3"].data_type == "s"


def test_unit_without_gaps_or_pending(evaluation, weights, open_book) -> None:
    unit = {**evaluation["districts"][1], "gaps": [], "pending": [], "missing_items": [], "overdue": []}
    wb = open_book(build_gap_workbook(typed_unit(unit), _context(weights)))
    assert wb.sheetnames == ["问题清单"]
    assert wb["问题清单"]["A6"].value == text.NO_GAPS  # under the gap header in row 5


def test_safety_print_settings_and_reproducibility(jinshui, weights, hostile, open_book) -> None:
    ctx = _context(weights, is_sample=True)
    data = build_gap_workbook(typed_unit(jinshui), ctx)
    assert build_gap_workbook(typed_unit(jinshui), ctx) == data
    wb = open_book(data)
    assert wb.properties.created == wb.properties.modified == dt.datetime(2023, 6, 30)
    ws = wb["问题清单"]
    assert ws["A2"].value == text.ABOUT["sample_warning"]
    # title 1, warning 2, header block 3, rank line 4, blank 5, gap header 6
    assert ws.freeze_panes == "A7"
    assert ws.print_title_rows == "$1:$6"
    for sheet in wb:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9
        assert sheet.oddFooter.center.text == text.FOOTER
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
    titles = {c.value: c for row in ws.iter_rows() for c in row if c.value in hostile}
    assert titles[hostile[0]].data_type == "s" and titles[hostile[0]].quotePrefix is True


def test_as_of_is_required(jinshui) -> None:
    with pytest.raises(KeyError):
        build_gap_workbook(typed_unit(jinshui), {})


def test_overdue_pending_rows_never_show_negative_days(jinshui, weights, open_book) -> None:
    """An overdue pending row says 已逾期N个工作日 and leaves 剩余工作日 blank; a due one keeps its count."""
    due = dict(jinshui["pending"][0])
    late = {**due, "title": "某公示", "deadline": "2023-06-01", "workdays_left": -21, "overdue": True}
    late_gap = {"category": "pending_overdue", "item": due["item"], "title": "某公示", "detail": "某公示已逾期。",
                "missing_elements": [], "workdays_late": 21, "deadline": "2023-06-01", "rule": "timeliness"}
    unit = typed_unit({**jinshui, "pending": [due, late], "gaps": [*jinshui["gaps"], late_gap]})
    wb = open_book(build_gap_workbook(unit, _context(weights)))
    rows = [[c.value for c in row] for row in wb["待公开事项"].iter_rows(min_row=3)]
    assert rows[0][4:] == [due["workdays_left"], "未到期"]
    assert rows[1][4:] == [None, "已逾期21个工作日"]
    numbers = [v for row in rows for v in row if isinstance(v, int | float)]
    assert all(v >= 0 for v in numbers)

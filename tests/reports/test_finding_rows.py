"""One wording per finding: the 区县自查 page's tables and the downloaded gap workbook build the same
pending and gap rows through reports.rows, so 状态 and 剩余工作日 cannot disagree (they did:
无工作日时限 vs 未到期, 已逾期17个工作日 vs 剩余工作日 −17)."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from appkit import self_check_tables as sc_tables
from queries import self_check as sc
from reports.excel import build_gap_workbook
from scoring.rules import load_rules
from tests.reports.helpers import typed_unit
from ui_text import excel as X
from ui_text import self_check as T

AS_OF = dt.date(2025, 6, 30)
PENDING = [
    {"title": "逾期未公开的公示", "item": "配给管理/配租结果", "formed_on": "2025-05-20", "deadline": "2025-06-05",
     "workdays_left": -17, "overdue": True},
    {"title": "尚未到期的公示", "item": "配给管理/配租结果", "formed_on": "2025-06-27", "deadline": "2025-07-04",
     "workdays_left": 4, "overdue": False},
    {"title": "无时限事项", "item": "政策文件/政策文件", "formed_on": "2025-06-20", "deadline": None,
     "workdays_left": None, "overdue": False},
]
GAPS = [{"category": "missing_item", "item": "保障对象/资格审核", "title": None,
         "detail": "目录缺少「保障对象/资格审核」。", "missing_elements": [], "workdays_late": None, "deadline": None,
         "rule": "catalog_coverage"},
        {"category": "blank_elements", "item": "配给管理/配租结果", "title": None, "detail": "第3行缺要素。",
         "missing_elements": ["公开时限", "公开方式"], "workdays_late": None, "deadline": None,
         "rule": "element_completeness"}]
# the gap of the overdue pending row (a typed result holds the row as the gap's source)
PENDING_GAP = {"category": "pending_overdue", "item": "配给管理/配租结果", "title": "逾期未公开的公示",
         "detail": "「逾期未公开的公示」已逾期17个工作日未公开。", "missing_elements": [], "workdays_late": 17,
         "deadline": "2025-06-05", "rule": "timeliness"}


def _unit() -> dict[str, Any]:
    rules = load_rules()
    return {"district": "金水区", "code": "410105", "rank": 3, "score": 80.0, "grade": "良好",
            **dict.fromkeys(rules.ratio_ids, 0.5),
            **{m: {"status": "on_time", "date": "2020-09-01", "days_late": 0} for m in rules.milestone_ids},
            "components": {c: 0.5 if c in rules.ratio_ids else 1.0 for c in rules.component_ids},
            "gaps": [*GAPS, PENDING_GAP], "pending": PENDING, "overdue": [], "missing_items": ["保障对象/资格审核"], "kind": "区",
            "calendar_estimated": False, "unclassified_count": 0, "weighted_score": 80.0, "vetoes": [],
            "bonus": {"points": 0.0, "items": []}, "findings": []}


def _sheet(data: bytes, name: str, header: str) -> list[list[Any]]:
    ws = load_workbook(io.BytesIO(data))[name]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    top = next(i for i, r in enumerate(rows) if r[0] == header)
    return [r for r in rows[top + 1:] if r[0] is not None]


def test_pending_rows_read_the_same_on_the_page_and_in_the_workbook() -> None:
    unit = _unit()
    page = sc_tables.pending_table(sc.pending_frame(typed_unit(unit)))
    status, left = T.PENDING_COLUMNS["status"], T.PENDING_COLUMNS["workdays_left"]
    by_title = page.set_index(T.PENDING_COLUMNS["title"])
    # 17 working days late: a positive number in 状态, no negative 剩余工作日
    assert by_title.loc["逾期未公开的公示", status] == "已逾期17个工作日"
    assert by_title.loc["尚未到期的公示", status] == T.PENDING_DUE
    assert by_title.loc["无时限事项", status] == T.PENDING_NO_LIMIT
    book = build_gap_workbook(typed_unit(unit), {"as_of": AS_OF.isoformat(), "weights": dict(load_rules().weights)})
    sheet = _sheet(book, X.SHEETS["pending"], X.HEADERS["title"])
    workbook = {r[0]: (r[4], r[5]) for r in sheet}
    assert workbook == {"逾期未公开的公示": (None, "已逾期17个工作日"), "尚未到期的公示": (4, T.PENDING_DUE),
                        "无时限事项": (None, T.PENDING_NO_LIMIT)}
    for title, (days, text) in workbook.items():
        shown = by_title.loc[title, left]
        assert (None if shown is None or shown is pd.NA else int(shown), by_title.loc[title, status]) == (days, text)


def test_gap_rows_read_the_same_on_the_page_and_in_the_workbook() -> None:
    unit = _unit()
    page = sc_tables.gap_table(typed_unit(unit))
    book = build_gap_workbook(typed_unit(unit), {"as_of": AS_OF.isoformat(), "weights": dict(load_rules().weights)})
    sheet = _sheet(book, X.SHEETS["gaps"], X.HEADERS["category"])[:len(GAPS)]
    headers = [X.HEADERS[k] for k in ("category", "item", "title", "detail", "missing_elements", "workdays_late",
                                      "deadline", "rule", "remedy")]
    assert [list(r)[:9] for r in sheet] == [[None if v != v else v for v in row] for row in page[headers].values.tolist()[:len(GAPS)]]
    assert page.iloc[1][X.HEADERS["missing_elements"]] == "公开时限、公开方式"
    assert page.iloc[0][X.HEADERS["rule"]] == X.COMPONENT_LABELS["catalog_coverage"]

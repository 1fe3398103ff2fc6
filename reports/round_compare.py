"""The 复评对比 workbook: two rounds side by side (scoring.compare.compare_rounds output).

Sheet 复评对比: one row per unit with both scores, grades and ranks, their changes and the counts
of gaps fixed, still open and new. Sheet 问题整改明细: one row per gap with its change. Values
only, written by the one workbook writer `reports.xlsx` (never a formula; text starting with
= + - @ is stored as text).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from reports.xlsx import (
    INTEGER,
    SCORE,
    banner,
    finish_workbook,
    fit_columns,
    new_workbook,
    setup_page,
    write_table,
)
from ui_text.rectification import (
    CATEGORY_LABELS,
    COMPARE_GAPS_SHEET,
    COMPARE_HEADERS,
    COMPARE_SHEET,
    COMPARE_TITLE,
    GAP_CHANGE,
    GAP_CHANGE_HEADERS,
)

SUMMARY_KEYS = ("district", "score_a", "score_b", "score_change", "grade_a", "grade_b", "rank_a", "rank_b",
                "rank_change", "fixed", "still_open", "new")
SUMMARY_FORMATS = {1: SCORE, 2: SCORE, 3: SCORE, 6: INTEGER, 7: INTEGER, 8: INTEGER, 9: INTEGER, 10: INTEGER,
                   11: INTEGER}


def build_compare_workbook(result: Mapping[str, Any]) -> bytes:
    """The workbook bytes (deterministic for the same comparison)."""
    a, b = result["a"], result["b"]
    title = COMPARE_TITLE.format(a=a["name"], rev_a=a["revision"], b=b["name"], rev_b=b["revision"])
    wb = new_workbook()
    ws = wb.create_sheet(COMPARE_SHEET)
    top = banner(ws, title) + 1
    rows = [[len(d[k]) if k in ("fixed", "still_open", "new") else d[k] for k in SUMMARY_KEYS]
            for d in result["districts"]]
    write_table(ws, top, [COMPARE_HEADERS[k] for k in SUMMARY_KEYS], rows, SUMMARY_FORMATS)
    fit_columns(ws, top)
    setup_page(ws, top)
    gs = wb.create_sheet(COMPARE_GAPS_SHEET)
    gtop = banner(gs, title) + 1
    detail = [[d["district"], GAP_CHANGE[change], CATEGORY_LABELS.get(g["category"], g["category"]), g["item"],
               g["title"], g["detail"]]
              for d in result["districts"] for change in ("fixed", "still_open", "new") for g in d[change]]
    write_table(gs, gtop, list(GAP_CHANGE_HEADERS.values()), detail, wrap=(5,))
    fit_columns(gs, gtop)
    setup_page(gs, gtop)
    return finish_workbook(wb, dt.date.fromisoformat(b["as_of"]), title)

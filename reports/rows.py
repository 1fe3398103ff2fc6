"""The one Chinese display row of each finding: a gap, a pending disclosure.

The 区县自查 page (`appkit.self_check_tables`) and the workbooks (`reports.excel`) build their
tables from these functions, so the same row cannot be worded two ways (状态 of a pending row,
剩余工作日 of an overdue one, the names of categories, rules and elements). Each takes the typed
row from `scoring.result_rows` or its JSON dict and returns {column key: value}; the headers are
`ui_text.excel.HEADERS` / `ui_text.self_check.PENDING_COLUMNS` under the same keys.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scoring.result_rows import Gap, PendingRow
from ui_text import excel as X
from ui_text import self_check as T

GAP_KEYS = ("category", "item", "title", "detail", "missing_elements", "workdays_late", "deadline", "rule",
            "remedy")
PENDING_KEYS = ("title", "item", "formed_on", "deadline", "workdays_left", "status")


def gap_values(g: Gap) -> tuple[Any, ...]:
    """The display row of a gap as values in GAP_KEYS order (the workbook's 10⁵-row sheets)."""
    return (X.CATEGORY_LABELS.get(g.category, g.category), g.item, g.title, g.detail,
            X.ELEMENT_SEPARATOR.join(g.missing_elements) or None, g.workdays_late, g.deadline,
            X.COMPONENT_LABELS.get(g.rule, g.rule), X.REMEDIES.get(g.category))


def gap_row(gap: Gap | Mapping[str, Any]) -> dict[str, Any]:
    """category and rule as their Chinese names, missing elements joined, the remedy of the category."""
    return dict(zip(GAP_KEYS, gap_values(gap if isinstance(gap, Gap) else Gap.from_json(gap)), strict=True))


def pending_status(p: PendingRow) -> str:
    """已逾期N个工作日 (or 已逾期 when the days are unknown), 未到期, or 无工作日时限."""
    if p.overdue:
        late = p.workdays_late
        return T.PENDING_OVERDUE_DAYS.format(n=late) if late is not None and late > 0 else T.PENDING_OVERDUE
    return T.PENDING_NO_LIMIT if not p.deadline else T.PENDING_DUE


def pending_row(row: PendingRow | Mapping[str, Any]) -> dict[str, Any]:
    """剩余工作日 only for rows not yet overdue (an overdue row's 状态 says how late, as a positive
    number); a row without a deadline shows the not-applicable mark."""
    p = row if isinstance(row, PendingRow) else PendingRow.from_json(row)
    return {"title": p.title, "item": p.item, "formed_on": p.formed_on,
            "deadline": p.deadline or T.NOT_APPLICABLE,
            "workdays_left": None if p.overdue else p.workdays_left, "status": pending_status(p)}

"""The 区县自查 and 评估通报 display tables: `queries.self_check` frames with Chinese headers and words.

Column selection, labelling and styling only (no database, no Streamlit): 是/否 cells, the pending
状态 wording, the red overdue rows, the component table and the fix planner's table.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from queries.self_check import overdue_frame
from reports import excel as export_excel
from reports import rows as finding_rows
from scoring.evaluation import DistrictResult, Evaluation
from scoring.result_rows import PendingRow
from scoring.rules import load_rules
from scoring.whatif import Fix, WhatIf
from ui_text import excel as X
from ui_text import scoring as S
from ui_text import self_check as T


def _yes_no(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return T.NOT_APPLICABLE
    return T.YES if bool(value) else T.NO


def checklist_table(items: pd.DataFrame, only_problems: bool = False) -> pd.DataFrame:
    """The checklist with Chinese headers: 是/否, '—' for elements of items not in the catalog.

    `only_problems` keeps the items not listed, listed with blank elements, or never disclosed.
    """
    if only_problems:
        ok = items["in_catalog"] & items["elements_complete"].fillna(False).astype(bool) & items["disclosed"]
        items = items[~ok]
    out = pd.DataFrame({
        "seq": items["seq"],
        "level1": items["level1"],
        "level2": items["level2"],
        "in_catalog": items["in_catalog"].map(_yes_no),
        "elements_complete": [_yes_no(v) for v in items["elements_complete"]],
        "missing_elements": items["missing_elements"].map(T.ELEMENT_SEPARATOR.join),
        "disclosed": items["disclosed"].map(_yes_no),
        "disclosure_count": items["disclosure_count"],
        "last_published_on": items["last_published_on"],
    })
    return out.rename(columns=T.CHECKLIST_COLUMNS)


def gap_table(district: DistrictResult) -> pd.DataFrame:
    """One row per gap (`reports.rows.gap_row`, as the gap-list workbook writes it), Chinese headers."""
    rows = [finding_rows.gap_row(g) for g in district.gaps]
    return pd.DataFrame(rows, columns=list(finding_rows.GAP_KEYS)).rename(columns=X.HEADERS)


GAP_GROUP_KEYS = ("category", "rule", "remedy")  # the same for every gap of one category: said once


def gap_groups(district: DistrictResult) -> list[tuple[str, pd.DataFrame]]:
    """The gap list grouped by category, in the evaluation's order, for reading on screen.

    Each group is (heading, rows): the heading names the category, its count, the indicator it costs
    and the remedy (the same for every gap of the category, so the table does not repeat it); rows
    keep 事项, 问题说明 and whichever of 标题/缺少要素/逾期工作日/期限 the category fills. Together
    they hold every cell of the download's 问题清单.
    """
    gaps = gap_table(district)
    if gaps.empty:
        return []
    category = X.HEADERS["category"]
    groups = []
    for label in dict.fromkeys(gaps[category]):
        rows = gaps[gaps[category] == label]
        said = {k: rows[X.HEADERS[k]].dropna().unique() for k in GAP_GROUP_KEYS}
        constant = [k for k in GAP_GROUP_KEYS if len(said[k]) <= 1]
        heading = T.GAP_GROUP_HEADING.format(
            category=label, n=len(rows), rule=said["rule"][0] if len(said["rule"]) else T.NOT_APPLICABLE)
        remedy = said["remedy"][0] if "remedy" in constant and len(said["remedy"]) else None
        keep = [c for c in rows.columns
                if c not in {X.HEADERS[k] for k in constant} and rows[c].notna().any()]
        groups.append((heading + (T.GAP_GROUP_REMEDY.format(remedy=remedy) if remedy else ""),
                       rows[keep].reset_index(drop=True)))
    return groups


def overdue_table(district: DistrictResult) -> pd.DataFrame:
    """`overdue_frame(...)` with Chinese headers."""
    return overdue_frame(district).rename(columns=T.OVERDUE_COLUMNS)


def pending_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`pending_frame(...)` with a 状态 column (已逾期N个工作日/未到期/无工作日时限) and Chinese headers.

    剩余工作日 is shown only for rows not yet overdue (blank for overdue ones: their 状态 says
    how many working days late, as a positive number).
    """
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    rows = [finding_rows.pending_row(PendingRow.from_json(r)) for r in records]  # the workbook's wording too
    out = pd.DataFrame(rows, columns=list(finding_rows.PENDING_KEYS), index=frame.index)
    out["workdays_left"] = out["workdays_left"].astype("Int64")
    return out.rename(columns=T.PENDING_COLUMNS)


OVERDUE_CSS = "color: #d73027; font-weight: bold"


def pending_styled(frame: pd.DataFrame) -> Styler:
    """`pending_table(frame)` as a pandas Styler whose overdue rows are red (the page draws it)."""
    red = frame["overdue"].tolist()
    return pending_table(frame).style.apply(lambda row: [OVERDUE_CSS if red[row.name] else ""] * len(row),
                                            axis=1)


def component_table(unit: DistrictResult, weights: dict[str, float],
                    percent: Callable[[float], str]) -> pd.DataFrame:
    """One row per component, as text for a static table: label, value (`percent(ratio)`, the
    pages' one percent format, or 不参与计分), weight, points, rule text.

    points = 100 × w·v / Σw over the non-null components (DESIGN §6), so they add up to the score.
    """
    labels, rules = component_texts()
    ids = list(load_rules().component_ids)
    values = {cid: export_excel.component_value(unit, cid) for cid in ids}
    points = export_excel.component_points(unit, weights, ids=ids)
    rows = [{"label": labels.get(cid, cid),
             "value": T.NOT_EVALUATED if v is None else percent(v),
             "weight": f"{weights.get(cid, 0):g}",
             "points": T.NOT_APPLICABLE if points[cid] is None else f"{points[cid]:.2f}",
             "rule": rules.get(cid, "")} for cid, v in values.items()]
    return pd.DataFrame(rows, columns=list(T.COMPONENT_COLUMNS)).rename(columns=T.COMPONENT_COLUMNS)


def component_texts() -> tuple[dict[str, str], dict[str, str]]:
    """(labels, rule definitions) keyed by component id, from ui_text.scoring."""
    return dict(S.COMPONENT_LABELS), dict(S.COMPONENT_DEFINITIONS)


def fix_table(fixes: list[Fix]) -> pd.DataFrame:
    """The ranked fixes: 序号, 整改事项 (e.g. 补充「配后管理/退出管理」事项), 预计提分 (+0.47 分)."""
    rows = [{"rank": i, "action": f.description, "gain": T.GAIN_TEXT.format(gain=float(f.gain))}
            for i, f in enumerate(fixes, start=1)]
    return pd.DataFrame(rows, columns=list(T.PLANNER_COLUMNS)).rename(columns=T.PLANNER_COLUMNS)


def what_if_sentence(result: WhatIf, n: int, district: DistrictResult) -> str:
    """'完成前 3 项后：得分 …（良好），排名第 4 名（当前第 9 名）。'"""
    return T.PLANNER_RESULT.format(n=n, score=float(result.score), grade=result.grade, rank=result.rank,
                                   current_rank=district.rank)


def ranking_preview(evaluation: Evaluation) -> pd.DataFrame:
    """排名 / 单位 / 得分 / 等级 of the evaluation's units (typed), in their order."""
    units = evaluation.districts
    frame = pd.DataFrame({"rank": [d.rank for d in units], "name": [d.name for d in units],
                          "score": [d.score for d in units], "grade": [d.grade for d in units]},
                         columns=list(T.RANKING_COLUMNS))
    return frame.rename(columns=T.RANKING_COLUMNS)

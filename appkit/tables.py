"""The typed evaluation (`scoring.Evaluation`, `DistrictResult`, `Milestone`, `OverdueRow`,
`PendingRow`) and scoring frames turned into the tables the pages display.

Column selection and labelling only: every number comes from `scoring` (the evaluation, the
trend frame, the views); nothing here recomputes a score. Which components there are, their
order and the milestone deadlines come from the rules registry (`scoring.load_rules()`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from scoring import DistrictResult, Evaluation, Milestone
from scoring.rules import Rules, load_rules
from scoring.vocabulary import MilestoneStatus
from ui_text.common import ELEMENT_LABELS
from ui_text.pages import COMPONENT_HELP, COMPONENT_LABELS, DETAIL, MILESTONE_CELL, MILESTONE_CELL_SHORT, NOT_EVALUATED
from ui_text.pages import MILESTONES as MILESTONES_TEXT

# The one percent format of every page: a number column's printf format and the text cells alike.
PERCENT_FORMAT = "%.1f%%"
# The unit-name column of every data grid: 郑州航空港经济综合实验区 (12 characters at about 14 px)
# plus the cell padding, so the longest official name is never cut.
DISTRICT_WIDTH = 184


def percent_text(ratio: float) -> str:
    """A 0..1 ratio as the pages show it: 0.953 -> '95.3%' (PERCENT_FORMAT)."""
    return PERCENT_FORMAT % (100 * ratio)


def milestone_cell(milestone: Milestone | None, short: bool = False) -> str:
    """'按时（2020-09-25）', '逾期33天（2023-08-02）', '未完成' or '未到期'; without the date when `short`."""
    texts = MILESTONE_CELL_SHORT if short else MILESTONE_CELL
    if milestone is None:
        return texts[MilestoneStatus.PENDING]
    date = "" if milestone.date is None else milestone.date.isoformat()
    return texts[milestone.status].format(date=date, days=milestone.days_late or 0)


def shown_ratio(value: float | None) -> float | None:
    """A component value as the evaluation JSON, the workbook and the pages give it: 4 decimals."""
    return None if value is None else round(value, 4)


def units_of(evaluation: Evaluation, codes: Iterable[str]) -> Evaluation:
    """The evaluation keeping the units in `codes` in rank order, their ranks those among all
    units (a new object; the shared one is not changed)."""
    chosen = set(codes)
    kept = sorted((d for d in evaluation.districts if d.code in chosen), key=lambda d: (d.rank, d.code))
    return dataclasses.replace(evaluation, districts=tuple(kept))


def ranking_frame(evaluation: Evaluation, rules: Rules | None = None) -> pd.DataFrame:
    """One row per unit in rank order: rank, name, code, kind, score, grade, the five ratio
    components in percent (NaN = not evaluated), the two milestone cells (status and days late,
    no date: the table must fit 1280 px) and their statuses. Built column by column from the
    typed results (no dict per row)."""
    rules = rules or load_rules()
    units = evaluation.districts
    columns: dict[str, Any] = {"rank": [d.rank for d in units], "name": [d.name for d in units],
                               "code": [d.code for d in units], "kind": [d.kind for d in units],
                               "score": [d.score for d in units], "grade": [d.grade for d in units]}
    for key in rules.ratio_ids:
        values = [shown_ratio(d.components.get(key)) for d in units]
        columns[key] = np.array([np.nan if v is None else round(100 * v, 2) for v in values], dtype="float64")
    for key in rules.milestone_ids:
        found = [d.milestones.get(key) for d in units]
        columns[key] = [milestone_cell(m, short=True) for m in found]
        columns[f"{key}_status"] = [str(MilestoneStatus.PENDING if m is None else m.status) for m in found]
    return pd.DataFrame(columns)


def milestone_counts(ranking: pd.DataFrame, key: str) -> dict[str, int]:
    """How many units of a `ranking_frame` are on_time / late / missed / pending for one milestone."""
    counts = ranking[f"{key}_status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in ("on_time", "late", "missed", "pending")}


def milestone_points(evaluation: Evaluation, as_of: dt.date, rules: Rules | None = None) -> pd.DataFrame:
    """One row per unit and milestone for the timeline: name, code, milestone (label), key,
    status, date (completion date; as_of when not completed), completed, days_late, deadline, and
    cell (the table's wording, e.g. '逾期41天（2023-08-10）' or '未完成', for the hover text)."""
    deadlines = (rules or load_rules()).milestones
    rows = []
    for d in evaluation.districts:
        for key, deadline in deadlines.items():
            m = d.milestones.get(key)
            done = None if m is None else m.date
            rows.append({
                "name": d.name, "code": d.code, "milestone": COMPONENT_LABELS[key],
                "key": key, "status": str(MilestoneStatus.PENDING if m is None else m.status),
                "date": pd.Timestamp(done) if done else pd.Timestamp(as_of),
                "completed": bool(done), "days_late": None if m is None else m.days_late,
                "deadline": pd.Timestamp(deadline), "cell": milestone_cell(m),
            })
    return pd.DataFrame(rows)


OVERDUE_COLUMNS = ["title", "item", "formed_on", "deadline", "published_on", "workdays_late"]
UNPUBLISHED_COLUMNS = ["title", "item", "formed_on", "deadline", "workdays_late"]


def overdue_frame(district: DistrictResult) -> pd.DataFrame:
    """The unit's late disclosures, latest first: title, item, formed_on, deadline, published_on,
    workdays_late (as the evaluation lists them)."""
    frame = pd.DataFrame([{c: getattr(o, c) for c in OVERDUE_COLUMNS} for o in district.overdue],
                         columns=OVERDUE_COLUMNS)
    return frame.sort_values("workdays_late", ascending=False, ignore_index=True)


def unpublished_overdue_frame(district: DistrictResult) -> pd.DataFrame:
    """Formed but still unpublished past their deadline: title, item, formed_on, deadline,
    workdays_late (`PendingRow.workdays_late`: the negative workdays_left)."""
    rows = [{c: getattr(p, c) for c in UNPUBLISHED_COLUMNS} for p in district.pending if p.workdays_late is not None]
    frame = pd.DataFrame(rows, columns=UNPUBLISHED_COLUMNS)
    return frame.sort_values("workdays_late", ascending=False, ignore_index=True)


def trend_changes(trend: pd.DataFrame, quarters: int = 4) -> tuple[pd.DataFrame, pd.Timestamp | None,
                                                                  pd.Timestamp | None]:
    """Score change per unit between the latest quarter end and the one `quarters` earlier.

    Returns (frame of name, code, first_score, last_score, change sorted by change desc,
    start quarter, end quarter); an empty frame when there are fewer than two quarters.
    """
    ends = sorted(trend["quarter_end"].unique()) if not trend.empty else []
    if len(ends) < 2:
        return pd.DataFrame(columns=["name", "code", "first_score", "last_score", "change"]), None, None
    end = ends[-1]
    start = ends[max(0, len(ends) - 1 - quarters)]
    first = trend[trend["quarter_end"] == start].set_index("code")
    last = trend[trend["quarter_end"] == end].set_index("code")
    frame = pd.DataFrame({"name": last["name"], "first_score": first["score"],
                          "last_score": last["score"]})
    frame["change"] = (frame["last_score"] - frame["first_score"]).round(2)
    frame = frame.reset_index().sort_values(["change", "code"], ascending=[False, True], ignore_index=True)
    columns = ["name", "code", "first_score", "last_score", "change"]
    return frame[columns], pd.Timestamp(start), pd.Timestamp(end)


def component_frame(district: DistrictResult, rules: Rules | None = None) -> pd.DataFrame:
    """The components of one unit, ratios first: component (label), value (percent text,
    milestone cell, or 不参评), explanation."""
    rules = rules or load_rules()
    rows = []
    for key in rules.ratio_ids:
        value = shown_ratio(district.components.get(key))
        rows.append({"component": COMPONENT_LABELS[key],
                     "value": NOT_EVALUATED if value is None else percent_text(value),
                     "explanation": COMPONENT_HELP[key]})
    for key in rules.milestone_ids:
        rows.append({"component": COMPONENT_LABELS[key], "value": milestone_cell(district.milestones.get(key)),
                     "explanation": COMPONENT_HELP[key]})
    return pd.DataFrame(rows)


def _element_names(blanks: Any) -> str:
    """'公开方式、公开层级' for a list of element columns; '' for none (a missing item has NULL)."""
    if blanks is None or not hasattr(blanks, "__iter__") or isinstance(blanks, str):
        return ""
    return DETAIL["list_sep"].join(ELEMENT_LABELS[e] for e in blanks)


def diff_frame(diff: pd.DataFrame) -> pd.DataFrame:
    """Catalog diff rows with Chinese status and blank-element names, for display."""
    out = diff.copy()
    out["status"] = out["status"].map(DETAIL["diff_status"])
    out["blank_elements"] = [_element_names(blanks) for blanks in out["blank_elements"]]
    return out


def milestone_table(evaluation: Evaluation, filing: pd.DataFrame,
                    rules: Rules | None = None) -> pd.DataFrame:
    """Per unit: the milestone cells and the catalog in force's 文号, 发布日期 and 备案 status."""
    milestones = (rules or load_rules()).milestone_ids
    status = pd.DataFrame([{"code": d.code, "name": d.name,
                            **{k: milestone_cell(d.milestones.get(k)) for k in milestones}}
                           for d in evaluation.districts], columns=["code", "name", *milestones])
    merged = filing[["code", "published_on", "document_no", "filed_on"]].merge(status, on="code")
    merged["filing"] = [
        MILESTONES_TEXT["no_catalog"] if pd.isna(pub) else
        MILESTONES_TEXT["filed"].format(date=pd.Timestamp(filed).date().isoformat()) if pd.notna(filed)
        else MILESTONES_TEXT["not_filed"]
        for pub, filed in zip(merged["published_on"], merged["filed_on"])
    ]
    merged["published_on"] = merged["published_on"].map(lambda v: None if pd.isna(v) else pd.Timestamp(v).date())
    return merged[["name", *milestones, "document_no", "published_on", "filing"]]


def catalog_item_frame(row: Any, elements: list[str], labels: dict[str, str]) -> pd.DataFrame:
    """One catalog row as a two-column (项目, 内容) frame for a static, wrapping table: every
    element, the sources and the notes in full (a data grid cuts long text at the column edge)."""
    from ui_text.pages import CATALOG, EMPTY_CELL
    keys = [*elements, "sources", "notes"]
    values = [EMPTY_CELL if row.get(k) is None or (not isinstance(row.get(k), str) and pd.isna(row.get(k)))
              else str(row.get(k)) for k in keys]
    return pd.DataFrame({CATALOG["field"]: [labels[k] for k in keys], CATALOG["text"]: values})

"""Read-side assembly for the 区县自查 (self-check) and 评估通报 (report) pages.

Everything a page shows comes from here in one call: the district's evaluation JSON (DESIGN §6
plus `gaps`/`pending`), the 43-item checklist (`sql/self_check_items.sql`), the unmet-milestone
sentences, and the ranked fixes. Gap rows are taken from the evaluation, never recomputed.
No Streamlit; reads only.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

import duckdb
import pandas as pd
from pandas.io.formats.style import Styler

from scoring import export_excel, measure
from scoring.evaluation import evaluate
from scoring.rules import Rules, load_rules
from scoring.whatif import Fix, WhatIf, fix_candidates
from ui_text import excel as X
from ui_text import scoring as S
from ui_text import self_check as T
from ui_text.common import ELEMENT_LABELS

def _frame(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pd.DataFrame:
    return measure.run(con, f"self_check_{name}", params)


def checklist(con: duckdb.DuckDBPyConnection, district: str, as_of: dt.date) -> pd.DataFrame:
    """One row per city item (seq order) for `district` (a code) as of `as_of`.

    Columns: seq, item_id, level1, level2, item ('一级/二级'), in_catalog (bool),
    elements_complete (bool, NA when not in the catalog), missing_elements (list of Chinese
    element names), disclosed (bool), disclosure_count (int), last_published_on (date or NaT).
    """
    frame = _frame(con, "items", {"district": district, "as_of": as_of})
    blanks = frame["blank_elements"].map(list)
    frame["missing_elements"] = blanks.map(lambda cols: [ELEMENT_LABELS[c] for c in cols])
    frame["elements_complete"] = pd.Series(
        [len(b) == 0 if inside else pd.NA for b, inside in zip(blanks, frame["in_catalog"])],
        dtype="boolean", index=frame.index)
    frame["disclosed"] = frame["disclosure_count"] > 0
    frame["disclosure_count"] = frame["disclosure_count"].astype(int)
    frame["last_published_on"] = pd.to_datetime(frame["last_published_on"]).dt.date
    return frame.drop(columns=["blank_elements"])


def checklist_summary(frame: pd.DataFrame) -> dict[str, int]:
    """Counts for the checklist headline: total, in_catalog, complete, disclosed."""
    return {
        "total": len(frame),
        "in_catalog": int(frame["in_catalog"].sum()),
        "complete": int(frame["elements_complete"].fillna(False).sum()),
        "disclosed": int(frame["disclosed"].sum()),
    }


def _join(names: list[str]) -> str:
    return T.LIST_SEPARATOR.join(names)


def catalogs(con: duckdb.DuckDBPyConnection, district: str, as_of: dt.date) -> pd.DataFrame:
    """The district's catalog versions published by `as_of`, newest first:
    published_on, document_no, source, filed_on."""
    return _frame(con, "catalogs", {"district": district, "as_of": as_of})


MILESTONE_KEYS = ("milestone_2020_09", "milestone_2023_06")  # their names: ui_text.scoring.COMPONENT_LABELS


def milestone_notes(district_json: dict[str, Any], items: pd.DataFrame,
                    has_catalog: bool) -> dict[str, list[str]]:
    """For each milestone: its status sentence first, then (when unmet) why, in words.

    `items` is `checklist(...)` for the same district and as-of date; the 2023-06 condition
    is read from it (every city item listed with nine elements, every first-level item disclosed).
    `has_catalog` says whether any catalog (with or without 文号) was published by then.
    """
    notes: dict[str, list[str]] = {}
    for key in MILESTONE_KEYS:
        ms = district_json.get(key) or {}
        status = ms.get("status") or "missed"
        lines = [T.MILESTONE_STATUS[status].format(date=ms.get("date") or "", days_late=ms.get("days_late") or 0)]
        if status in ("missed", "pending"):
            lines += _unmet_2020(has_catalog) if key == "milestone_2020_09" else _unmet_2023(items)
        notes[key] = lines
    return notes


def _unmet_2020(has_catalog: bool) -> list[str]:
    return [T.UNMET_NO_NUMBERED_CATALOG if has_catalog else T.UNMET_NO_CATALOG]


def _unmet_2023(items: pd.DataFrame) -> list[str]:
    out: list[str] = []
    missing = items.loc[~items["in_catalog"], "item"].tolist()
    if len(missing) == len(items):
        out.append(T.UNMET_NO_CATALOG)
    elif missing:
        out.append(T.UNMET_MISSING_ITEMS.format(count=len(missing), items=_join(missing)))
    blank = items.loc[items["elements_complete"].eq(False).fillna(False), "item"].tolist()
    if blank:
        out.append(T.UNMET_BLANK_ELEMENTS.format(count=len(blank), items=_join(blank)))
    by_level1 = items.groupby("level1", sort=False)["disclosed"].any()
    silent = by_level1[~by_level1].index.tolist()
    if silent:
        out.append(T.UNMET_LEVEL1_UNDISCLOSED.format(items=_join(silent)))
    return out


def pending_frame(district_json: dict[str, Any], as_of: dt.date) -> pd.DataFrame:
    """The district's pending rows (formed, not yet published), soonest deadline first.

    Columns: title, item, formed_on, deadline, workdays_left, overdue (the evaluation's flag;
    deadline before as_of when it carries none).
    """
    cols = ["title", "item", "formed_on", "deadline", "workdays_left"]
    rows = district_json.get("pending") or []
    frame = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    frame["overdue"] = [bool(r["overdue"]) if r.get("overdue") is not None
                        else bool(r.get("deadline")) and dt.date.fromisoformat(str(r["deadline"])[:10]) < as_of
                        for r in rows]
    frame["workdays_left"] = frame["workdays_left"].astype("Int64")  # None where the item has no limit
    return frame.sort_values(["deadline", "title"], kind="stable").reset_index(drop=True)


def overdue_frame(district_json: dict[str, Any]) -> pd.DataFrame:
    """Late disclosures of the window: title, item, formed_on, deadline, published_on, workdays_late."""
    cols = list(T.OVERDUE_COLUMNS)
    rows = [{c: r.get(c) for c in cols} for r in district_json.get("overdue") or []]
    return pd.DataFrame(rows, columns=cols)


@dataclass
class SelfCheck:
    """Everything the self-check page draws for one unit and one as-of date."""

    as_of: dt.date
    since: dt.date
    district: dict[str, Any]
    items: pd.DataFrame
    milestones: dict[str, list[str]]
    weights: dict[str, float]
    rules_version: str = ""
    fixes: list[Fix] = field(default_factory=list)
    total_units: int = 0


def build_self_check(con: duckdb.DuckDBPyConnection, evaluation: dict[str, Any], district: str,
                     rules: Rules | None = None) -> SelfCheck:
    """Assemble the page's content for `district` (a code) from an evaluation of all units
    (`Evaluation.to_json()`, so the rank is the unit's rank among all of them).

    Raises KeyError when `district` is not in the evaluation.
    """
    rules = rules or load_rules()
    match = [d for d in evaluation["districts"] if d.get("code") == district]
    if not match:
        raise KeyError(district)
    as_of = dt.date.fromisoformat(evaluation["as_of"])
    since = dt.date.fromisoformat(evaluation["since"])
    items = checklist(con, district, as_of)
    has_catalog = not catalogs(con, district, as_of).empty
    return SelfCheck(
        as_of=as_of, since=since, district=match[0], items=items,
        milestones=milestone_notes(match[0], items, has_catalog), weights=dict(rules.weights),
        rules_version=str(evaluation.get("rules_version") or rules.version),
        fixes=list(fix_candidates(con, as_of, district, since=since, rules=rules)),
        total_units=len(evaluation["districts"]),
    )


def evaluate_self_check(con: duckdb.DuckDBPyConnection, as_of: dt.date, district: str,
                        since: dt.date | None = None, rules: Rules | None = None) -> SelfCheck:
    """`build_self_check` on a fresh evaluation of all units (uncached callers and tests)."""
    return build_self_check(con, evaluate(con, as_of, since=since, rules=rules).to_json(), district, rules)


# --- Display tables: English frames above, Chinese headers and words below ---------------------

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


def gap_table(district_json: dict[str, Any]) -> pd.DataFrame:
    """One row per gap, with the same columns, labels and order as the gap-list workbook."""
    rows = [[X.CATEGORY_LABELS.get(g.get("category"), g.get("category")), g.get("item"), g.get("title"),
             g.get("detail"), X.ELEMENT_SEPARATOR.join(g.get("missing_elements") or []) or None,
             g.get("workdays_late"), g.get("deadline"),
             X.COMPONENT_LABELS.get(g.get("rule"), g.get("rule")), X.REMEDIES.get(g.get("category"))]
            for g in district_json.get("gaps") or []]
    keys = ["category", "item", "title", "detail", "missing_elements", "workdays_late", "deadline",
            "rule", "remedy"]
    return pd.DataFrame(rows, columns=[X.HEADERS[k] for k in keys])


def overdue_table(district_json: dict[str, Any]) -> pd.DataFrame:
    """`overdue_frame(...)` with Chinese headers."""
    return overdue_frame(district_json).rename(columns=T.OVERDUE_COLUMNS)


def _pending_status(late: bool, deadline: Any, left: Any) -> str:
    if late:
        return T.PENDING_OVERDUE_DAYS.format(n=-int(left)) if pd.notna(left) and left < 0 else T.PENDING_OVERDUE
    return T.PENDING_NO_LIMIT if deadline is None or pd.isna(deadline) else T.PENDING_DUE


def pending_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`pending_frame(...)` with a 状态 column (已逾期N个工作日/未到期/无工作日时限) and Chinese headers.

    剩余工作日 is shown only for rows not yet overdue (blank for overdue ones: their 状态 says
    how many working days late, as a positive number).
    """
    status = [_pending_status(late, deadline, left)
              for late, deadline, left in zip(frame["overdue"], frame["deadline"], frame["workdays_left"])]
    left = frame["workdays_left"].mask(frame["overdue"].astype(bool))
    out = frame.drop(columns=["overdue"]).assign(status=status, workdays_left=left,
                                                 deadline=frame["deadline"].fillna(T.NOT_APPLICABLE))
    return out.rename(columns=T.PENDING_COLUMNS)


OVERDUE_CSS = "color: #d73027; font-weight: bold"


def pending_styled(frame: pd.DataFrame) -> Styler:
    """`pending_table(frame)` as a pandas Styler whose overdue rows are red (the page draws it)."""
    red = frame["overdue"].tolist()
    return pending_table(frame).style.apply(lambda row: [OVERDUE_CSS if red[row.name] else ""] * len(row),
                                            axis=1)


def component_table(district_json: dict[str, Any], weights: dict[str, float],
                    percent: Callable[[float], str]) -> pd.DataFrame:
    """One row per component, as text for a static table: label, value (`percent(ratio)`, the
    pages' one percent format, or 不参与计分), weight, points, rule text.

    points = 100 × w·v / Σw over the non-null components (DESIGN §6), so they add up to the score.
    """
    labels, rules = component_texts()
    values = {cid: export_excel.component_value(district_json, cid) for cid in export_excel.COMPONENTS}
    points = export_excel.component_points(district_json, weights)
    rows = [{"label": labels.get(cid, cid),
             "value": T.NOT_EVALUATED if v is None else percent(v),
             "weight": f"{weights.get(cid, 0):g}",
             "points": T.NOT_APPLICABLE if points[cid] is None else f"{points[cid]:.2f}",
             "rule": rules.get(cid, "")} for cid, v in values.items()]
    return pd.DataFrame(rows, columns=list(T.COMPONENT_COLUMNS)).rename(columns=T.COMPONENT_COLUMNS)


def component_texts() -> tuple[dict[str, str], dict[str, str]]:
    """(labels, rule definitions) keyed by component id, from ui_text.scoring."""
    return dict(S.COMPONENT_LABELS), dict(S.COMPONENT_DEFINITIONS)


def gap_context(check: SelfCheck, is_sample: bool) -> dict[str, Any]:
    """The `context` of `export_excel.build_gap_workbook` for this self-check."""
    return {"as_of": check.as_of.isoformat(), "since": check.since.isoformat(),
            "unit_count": check.total_units, "is_sample": bool(is_sample), "weights": dict(check.weights),
            "rules_version": check.rules_version}


def fix_table(fixes: list[Fix]) -> pd.DataFrame:
    """The ranked fixes: 序号, 整改事项 (e.g. 补充「配后管理/退出管理」事项), 预计提分 (+0.47 分)."""
    rows = [{"rank": i, "action": f.description, "gain": T.GAIN_TEXT.format(gain=float(f.gain))}
            for i, f in enumerate(fixes, start=1)]
    return pd.DataFrame(rows, columns=list(T.PLANNER_COLUMNS)).rename(columns=T.PLANNER_COLUMNS)


def what_if_sentence(result: WhatIf, n: int, district_json: dict[str, Any]) -> str:
    """'完成前 3 项后：得分 …（良好），排名第 4 名（当前第 9 名）。'"""
    return T.PLANNER_RESULT.format(n=n, score=float(result.score), grade=result.grade, rank=result.rank,
                                   current_rank=district_json.get("rank"))


# --- 评估通报 -------------------------------------------------------------------------------------

def select_units(evaluation: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    """The evaluation restricted to `codes` (ranks stay those among all units), in rank order."""
    chosen = set(codes)
    districts = [d for d in evaluation["districts"] if d.get("code") in chosen]
    return {**evaluation, "districts": sorted(districts, key=lambda d: (d["rank"], d["code"]))}


def ranking_preview(evaluation: dict[str, Any]) -> pd.DataFrame:
    """排名 / 单位 / 得分 / 等级 of the evaluation's units, in rank order."""
    cols = list(T.RANKING_COLUMNS)
    rows = [{c: d.get(c) for c in cols} for d in evaluation["districts"]]
    return pd.DataFrame(rows, columns=cols).rename(columns=T.RANKING_COLUMNS)


def report_context(con: duckdb.DuckDBPyConnection, db_path: str, per_district_sheets: bool,
                   rules: Rules | None = None) -> dict[str, Any]:
    """The `context` of `export_excel.build_report_workbook`: the database's sample flag and
    data sources (export_excel.report_context), the rules (rules.toml by default) and db_path."""
    ctx = export_excel.report_context(con, rules=rules or load_rules(), per_district_sheets=per_district_sheets)
    return {**ctx, "db_path": str(db_path)}

"""Read-side assembly for the 区县自查 (self-check) and 评估通报 (report) pages.

Everything a page shows comes from here in one call: the district's typed result
(`scoring.DistrictResult`: components, milestones, gaps, pending rows), the 43-item checklist (`queries/sql/checklist_items.sql`), the
unmet-milestone sentences, and the ranked fixes. Gap rows are taken from the evaluation, never
recomputed. English frames only: their Chinese display tables are `appkit.self_check_tables`.
No Streamlit; reads only.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from queries import reader
from scoring.evaluation import DistrictResult, Evaluation, Measured, measure_point
from scoring.explain import day
from scoring.rules import Rules, load_rules
from scoring.whatif import Fix, fix_candidates
from ui_text import self_check as T
from ui_text.common import ELEMENT_LABELS


def _frame(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pd.DataFrame:
    return reader.run(con, name, params)


def checklist(con: duckdb.DuckDBPyConnection, district: str, as_of: dt.date) -> pd.DataFrame:
    """One row per city item (seq order) for `district` (a code) as of `as_of`.

    Columns: seq, item_id, level1, level2, item ('一级/二级'), in_catalog (bool),
    elements_complete (bool, NA when not in the catalog), missing_elements (list of Chinese
    element names), disclosed (bool), disclosure_count (int), last_published_on (date or NaT).
    """
    frame = _frame(con, "checklist_items", {"district": district, "as_of": as_of})
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
    return _frame(con, "published_catalogs", {"district": district, "as_of": as_of})


MILESTONE_KEYS = ("milestone_2020_09", "milestone_2023_06")  # their names: ui_text.scoring.COMPONENT_LABELS


def milestone_notes(district: DistrictResult, items: pd.DataFrame,
                    has_catalog: bool) -> dict[str, list[str]]:
    """For each milestone: its status sentence first, then (when unmet) why, in words.

    `items` is `checklist(...)` for the same district and as-of date; the 2023-06 condition
    is read from it (every city item listed with nine elements, every first-level item disclosed).
    `has_catalog` says whether any catalog (with or without 文号) was published by then.
    """
    notes: dict[str, list[str]] = {}
    for key in MILESTONE_KEYS:
        ms = district.milestones.get(key)
        status = str(ms.status) if ms else "missed"
        # the date as the page's other sentences print it (2020年9月22日), not ISO
        lines = [T.MILESTONE_STATUS[status].format(date=day(ms.date if ms else None),
                                                   days_late=(ms.days_late if ms else None) or 0)]
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


def pending_frame(district: DistrictResult) -> pd.DataFrame:
    """The district's pending rows (formed, not yet published), soonest deadline first.

    Columns: title, item, formed_on, deadline, workdays_left, overdue (the evaluation's flag).
    """
    cols = ["title", "item", "formed_on", "deadline", "workdays_left", "overdue"]
    frame = pd.DataFrame([[getattr(p, c) for c in cols] for p in district.pending], columns=cols)
    frame["overdue"] = frame["overdue"].astype(bool)
    frame["workdays_left"] = frame["workdays_left"].astype("Int64")  # None where the item has no limit
    return frame.sort_values(["deadline", "title"], kind="stable").reset_index(drop=True)


def overdue_frame(district: DistrictResult) -> pd.DataFrame:
    """Late disclosures of the window: title, item, formed_on, deadline, published_on, workdays_late."""
    cols = list(T.OVERDUE_COLUMNS)
    return pd.DataFrame([[getattr(r, c) for c in cols] for r in district.overdue], columns=cols)


@dataclass
class SelfCheck:
    """Everything the self-check page draws for one unit and one as-of date."""

    as_of: dt.date
    since: dt.date
    district: DistrictResult
    items: pd.DataFrame
    milestones: dict[str, list[str]]
    weights: dict[str, float]
    rules_version: str = ""
    fixes: list[Fix] = field(default_factory=list)
    measured: Measured | None = None      # the point the fixes were ranked on: pass it to what_if
    total_units: int = 0


def build_self_check(con: duckdb.DuckDBPyConnection, evaluation: Evaluation, district: str,
                     rules: Rules | None = None) -> SelfCheck:
    """Assemble the page's content for `district` (a code) from the evaluation of all units (so
    the rank is the unit's rank among all of them).

    Raises KeyError when `district` is not in the evaluation.
    """
    rules = rules or load_rules()
    match = [d for d in evaluation.districts if d.code == district]
    if not match:
        raise KeyError(district)
    as_of, since = evaluation.as_of, evaluation.since
    items = checklist(con, district, as_of)
    measured = measure_point(con, as_of, since, rules)  # once, for the fixes and the page's what-if
    has_catalog = not catalogs(con, district, as_of).empty
    return SelfCheck(
        as_of=as_of, since=since, district=match[0], items=items,
        milestones=milestone_notes(match[0], items, has_catalog), weights=dict(rules.weights),
        rules_version=evaluation.rules_version or rules.version,
        fixes=list(fix_candidates(con, as_of, district, since=since, rules=rules, measured=measured)),
        measured=measured,
        total_units=len(evaluation.districts),
    )


def gap_context(check: SelfCheck, is_sample: bool) -> dict[str, Any]:
    """The `context` of `reports.excel.build_gap_workbook` for this self-check."""
    return {"as_of": check.as_of.isoformat(), "since": check.since.isoformat(),
            "unit_count": check.total_units, "is_sample": bool(is_sample), "weights": dict(check.weights),
            "rules_version": check.rules_version}


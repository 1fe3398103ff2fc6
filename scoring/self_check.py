"""Read-side assembly for the 区县自查 (self-check) and 评估通报 (report) pages.

Everything a page shows comes from here in one call: the district's evaluation JSON (DESIGN §6
plus `gaps`/`pending`), the 43-item checklist (`sql/self_check_items.sql`), the unmet-milestone
sentences, and the ranked fixes. Gap rows are taken from the evaluation, never recomputed.
No Streamlit; reads only.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ui_text import self_check as T
from ui_text.common import ELEMENT_LABELS

SQL_DIR = Path(__file__).resolve().parent / "sql"
TODAY_ENV = "COMPLIANCE_TODAY"


def _sql(name: str) -> str:
    return (SQL_DIR / f"self_check_{name}.sql").read_text(encoding="utf-8")


def default_as_of(today: dt.date | None = None) -> dt.date:
    """`COMPLIANCE_TODAY` (YYYY-MM-DD) when set, else `today` or the system date.

    Raises ValueError when the variable is set but is not an ISO date.
    """
    env = os.environ.get(TODAY_ENV, "").strip()
    if env:
        return dt.date.fromisoformat(env)
    return today or dt.date.today()


def units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The supervised units in the bureau's order: columns code, name, kind."""
    return con.execute(_sql("units")).df()


def is_sample(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the database holds the bundled sample (meta is_sample = '1')."""
    row = con.execute("SELECT value FROM meta WHERE key = 'is_sample'").fetchone()
    return bool(row) and row[0] == "1"


def checklist(con: duckdb.DuckDBPyConnection, district: str, as_of: dt.date) -> pd.DataFrame:
    """One row per city item (seq order) for `district` (a code) as of `as_of`.

    Columns: seq, item_id, level1, level2, item ('一级/二级'), in_catalog (bool),
    elements_complete (bool, NA when not in the catalog), missing_elements (list of Chinese
    element names), disclosed (bool), disclosure_count (int), last_published_on (date or NaT).
    """
    frame = con.execute(_sql("items"), {"district": district, "as_of": as_of}).df()
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
    return con.execute(_sql("catalogs"), {"district": district, "as_of": as_of}).df()


def milestone_notes(district_json: dict[str, Any], items: pd.DataFrame,
                    has_catalog: bool) -> dict[str, list[str]]:
    """For each milestone: its status sentence first, then (when unmet) why, in words.

    `items` is `checklist(...)` for the same district and as-of date; the 2023-06 condition
    is read from it (every city item listed with nine elements, every first-level item disclosed).
    `has_catalog` says whether any catalog (with or without 文号) was published by then.
    """
    notes: dict[str, list[str]] = {}
    for key in T.MILESTONE_LABELS:
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
    """The district's pending rows (formed, not yet published) with an `overdue` flag.

    Columns: title, item, formed_on, deadline, workdays_left, overdue (deadline before as_of).
    """
    cols = ["title", "item", "formed_on", "deadline", "workdays_left"]
    frame = pd.DataFrame(district_json.get("pending") or [], columns=cols)
    frame["overdue"] = pd.to_datetime(frame["deadline"]).dt.date < as_of
    return frame.sort_values(["deadline", "title"], kind="stable").reset_index(drop=True)


def overdue_frame(district_json: dict[str, Any]) -> pd.DataFrame:
    """Late disclosures of the window: title, item, formed_on, deadline, published_on, workdays_late."""
    cols = list(T.OVERDUE_COLUMNS)
    rows = [{c: r.get(c) for c in cols} for r in district_json.get("overdue") or []]
    return pd.DataFrame(rows, columns=cols)


def gaps_frame(district_json: dict[str, Any]) -> pd.DataFrame:
    """The evaluation's gap rows as a frame, in the evaluation's order (category … rule)."""
    cols = ["category", "item", "title", "detail", "missing_elements", "workdays_late", "deadline", "rule"]
    return pd.DataFrame(district_json.get("gaps") or [], columns=cols)


@dataclass
class SelfCheck:
    """Everything the self-check page draws for one unit and one as-of date."""

    as_of: dt.date
    since: dt.date | None
    district: dict[str, Any]
    evaluation: dict[str, Any]
    items: pd.DataFrame
    milestones: dict[str, list[str]]
    fixes: list[Any] = field(default_factory=list)
    total_units: int = 0
    is_sample: bool = False


def build_self_check(con: duckdb.DuckDBPyConnection, as_of: dt.date, district: str,
                     since: dt.date | None = None, rules: Any = None) -> SelfCheck:
    """Evaluate `district` (a code) as of `as_of` and assemble the page's content.

    Raises KeyError when `district` is not one of the units.
    """
    from scoring import evaluate, fix_candidates

    evaluation = evaluate(con, as_of, since=since, district=district, rules=rules).to_json()
    match = [d for d in evaluation["districts"] if d.get("code") == district]
    if not match:
        raise KeyError(district)
    items = checklist(con, district, as_of)
    has_catalog = not catalogs(con, district, as_of).empty
    return SelfCheck(
        as_of=as_of, since=since, district=match[0], evaluation=evaluation, items=items,
        milestones=milestone_notes(match[0], items, has_catalog),
        fixes=list(fix_candidates(con, as_of, district, since=since, rules=rules)),
        total_units=len(units(con)), is_sample=is_sample(con),
    )

"""Per unit measurements of each round revision (`round_measures`): the inputs of `scoring.decide`.

`scoring.rounds` saves them when it computes a round (revision 0) and `scoring.disputes` when an
accepted dispute adds a revision, so a revision's score, grade and rank can be recomputed from what
the round measured, never from live data. Imports neither `scoring.rounds` nor `scoring.disputes`
(both import this module). Never imports Streamlit, loaders or reports.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from scoring import rectification
from scoring.decide import MILESTONE_DATE_COLUMNS
from scoring.findings import VALUE_PREFIX
from ui_text import rectification as text

# The decision inputs stored per unit and revision (scoring.decide's input columns).
MEASURE_KEYS = ("n_items", "has_catalog", "catalog_rows", "filled_elements", "covered_items", "disclosed_items",
                "judged", "on_time", "policy_docs", "synced")
MILESTONE_KEYS = MILESTONE_DATE_COLUMNS


def measure_records(evaluation: Any, n_items: int) -> dict[str, dict[str, Any]]:
    """code -> the decision inputs of one unit of a `scoring.Evaluation` (JSON-ready): the counts,
    the milestone dates, and each manual finding in force (DESIGN §12) as `manual__<id>` (an
    indicator's value recovered from its component × max points, a bonus item's points)."""
    manual = evaluation.rules.manual if evaluation.rules is not None else None
    out = {}
    for d in evaluation.districts:
        m: dict[str, Any] = {k: (None if d.measures.get(k) is None else int(d.measures[k]))
                             for k in MEASURE_KEYS if k != "n_items"}
        m["n_items"] = int(n_items)
        for ms, col in MILESTONE_KEYS.items():
            date = d.milestones[ms].date if ms in d.milestones else None
            m[col] = date.isoformat() if date else None
        if manual is not None:
            for ind in manual.indicators:
                v = d.components.get(ind.id)
                m[f"{VALUE_PREFIX}{ind.id}"] = None if v is None else float(v) * ind.max_points
            points = {item.id: item.points for item in d.bonus.items}
            for bonus in manual.bonuses:
                m[f"{VALUE_PREFIX}{bonus.id}"] = points.get(bonus.id)
        out[d.code] = m
    return out


def save_measures(con: duckdb.DuckDBPyConnection, round_id: int, revision: int,
                  records: Mapping[str, Mapping[str, Any]]) -> None:
    """Store (replace) one revision's per-unit measurements; runs inside the caller's transaction."""
    rectification.ensure_tables(con)
    con.execute("DELETE FROM round_measures WHERE round_id = ? AND revision = ?", [round_id, revision])
    frame = pd.DataFrame({"code": list(records), "m": [json.dumps(v, ensure_ascii=False) for v in records.values()]})
    if frame.empty:
        return
    con.register("_rect_measures", frame)
    try:
        con.execute("INSERT INTO round_measures SELECT ?, ?, code, m FROM _rect_measures", [round_id, revision])
    finally:
        con.unregister("_rect_measures")


def stored_measures(con: duckdb.DuckDBPyConnection, round_id: int, revision: int) -> dict[str, dict[str, Any]]:
    """code -> measurements of one revision. Raises TaskError when none were stored (a round
    created before measurements were kept)."""
    rectification.ensure_tables(con)
    rows = con.execute("SELECT district_code, measures_json FROM round_measures WHERE round_id = ? AND revision = ?",
                       [round_id, revision]).fetchall()
    if not rows:
        raise rectification.TaskError(text.ERRORS["no_measures"].format(id=round_id))
    return {code: json.loads(m) for code, m in rows}

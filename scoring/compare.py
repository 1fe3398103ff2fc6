"""Round comparison (复评对比): any two rounds side by side, from what each round stored.

`compare_rounds(con, a, b)` reads the latest revision of each round (or the ones asked for) and
returns per unit the score, grade and rank in both, their changes, and the unit's gaps split by
gap key (`scoring.rectification.gap_key`) into fixed (in a, not in b), still_open (in both) and
new (in b, not in a). Nothing is recomputed from live data. Pure; no Streamlit, no reports.
"""
from __future__ import annotations

from typing import Any

import duckdb

from scoring import rounds
from scoring.rectification import unit_gaps

GAP_FIELDS = ("category", "item", "title", "detail", "gap_key")


def _gap(g: dict[str, Any]) -> dict[str, Any]:
    return {k: g.get(k) for k in GAP_FIELDS}


def compare_evaluations(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Per unit (in b's order, then units only in a): district, code, score_a/b, score_change,
    grade_a/b, rank_a/b, rank_change (positive = moved up), fixed, still_open, new (gap lists)."""
    units_a = {d["code"]: d for d in a["districts"]}
    units_b = {d["code"]: d for d in b["districts"]}
    order = [d["code"] for d in b["districts"]] + [c for c in units_a if c not in units_b]
    out = []
    for code in order:
        da, db = units_a.get(code), units_b.get(code)
        gaps_a = {g["gap_key"]: g for g in unit_gaps(da)} if da else {}
        gaps_b = {g["gap_key"]: g for g in unit_gaps(db)} if db else {}
        score_a, score_b = (da or {}).get("score"), (db or {}).get("score")
        rank_a, rank_b = (da or {}).get("rank"), (db or {}).get("rank")
        entry = db or da
        assert entry is not None  # the code came from one of the two
        out.append({
            "district": entry["district"], "code": code,
            "score_a": score_a, "score_b": score_b,
            "score_change": None if score_a is None or score_b is None else round(score_b - score_a, 2),
            "grade_a": (da or {}).get("grade"), "grade_b": (db or {}).get("grade"),
            "rank_a": rank_a, "rank_b": rank_b,
            "rank_change": None if rank_a is None or rank_b is None else rank_a - rank_b,
            "fixed": [_gap(g) for k, g in gaps_a.items() if k not in gaps_b],
            "still_open": [_gap(g) for k, g in gaps_b.items() if k in gaps_a],
            "new": [_gap(g) for k, g in gaps_b.items() if k not in gaps_a],
        })
    return out


def compare_rounds(con: duckdb.DuckDBPyConnection, round_a: int, round_b: int,
                   revision_a: int | None = None, revision_b: int | None = None) -> dict[str, Any]:
    """{"a": round header, "b": round header, "districts": compare_evaluations(...)} of two stored
    rounds (each its latest revision unless given). Raises rounds.RoundError for an unknown one."""
    a = rounds.show(con, round_a, revision_a)
    b = rounds.show(con, round_b, revision_b)
    head = ("as_of", "since")
    return {"a": {**a["round"], **{k: a[k] for k in head}}, "b": {**b["round"], **{k: b[k] for k in head}},
            "districts": compare_evaluations(a, b)}

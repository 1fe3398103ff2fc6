"""The benchmark's evaluation peers (issue #17): `one_query` (the floor: one hand-written SQL query
computing the seven components, score, grade and rank) and `pandas_eval` (a complete pandas
implementation of DESIGN §6). `verify` checks a peer's result against `scoring.evaluate`'s JSON for
every unit before anything is timed."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from scoring.rules import Rules

COMPONENTS = ("catalog_coverage", "element_completeness", "disclosure_coverage", "timeliness",
              "interpretation_sync", "milestone_2020_09", "milestone_2023_06")
ONE_QUERY = (Path(__file__).resolve().parent / "one_query.sql").read_text(encoding="utf-8")


def one_query_params(as_of: dt.date, since: dt.date, rules: Rules) -> dict[str, Any]:
    no_catalog = next((v.grade_cap for v in rules.manual.vetoes if v.condition == "no_catalog"), None)
    return {"as_of": as_of, "since": since, "window": rules.interpretation_window_workdays,
            "policy_level1": rules.policy_level1, "policy_level2": rules.policy_level2,
            "interp_level1": rules.interpretation_level1,
            "m2020": rules.milestones["milestone_2020_09"], "m2023": rules.milestones["milestone_2023_06"],
            "v_on_time": rules.milestone_values["on_time"], "v_late": rules.milestone_values["late"],
            "v_missed": rules.milestone_values["missed"],
            **{f"w_{c}": float(rules.weights[c]) for c in COMPONENTS},
            "grade_names": [b.name for b in rules.grades], "grade_mins": [float(b.min_score) for b in rules.grades],
            "no_catalog_cap": no_catalog}


def one_query(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date, rules: Rules) -> pd.DataFrame:
    """The floor: one query, one row per unit (code, name, seven components, score, grade, rank)."""
    return con.execute(ONE_QUERY, one_query_params(as_of, since, rules)).df()


def _same(a: Any, b: Any) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return False
    return abs(float(a) - float(b)) < 5e-5


def verify(evaluation: dict[str, Any], peer: pd.DataFrame, name: str, lists: bool = False) -> int:
    """Raise AssertionError unless `peer` has every unit of `evaluation` (the §6 JSON) with the same
    score, rank, grade and seven components (4 decimals), and with `lists` the same missing items
    and overdue disclosures. Returns the number of units checked."""
    ours = {d["code"]: d for d in evaluation["districts"]}
    rows = {r["code"]: r for r in peer.to_dict("records")}
    problems: list[str] = []
    if set(ours) != set(rows):
        problems.append(f"units differ: {sorted(set(ours) ^ set(rows))[:5]}")
    for code, d in ours.items():
        r = rows.get(code)
        if r is None:
            continue
        if not _same(d["score"], r["score"]) or int(d["rank"]) != int(r["rank"]) or d["grade"] != r["grade"]:
            problems.append(f"{code}: score/rank/grade {d['score']}/{d['rank']}/{d['grade']} vs "
                            f"{r['score']}/{r['rank']}/{r['grade']}")
        for c in COMPONENTS:
            if not _same(d["components"][c], None if pd.isna(r[c]) else round(float(r[c]), 4)):
                problems.append(f"{code}: {c} {d['components'][c]} vs {r[c]}")
        if lists:
            if list(d["missing_items"]) != list(r["missing_items"]):
                problems.append(f"{code}: missing_items differ ({len(d['missing_items'])} vs {len(r['missing_items'])})")
            theirs = sorted((t, i, f.isoformat(), p.isoformat(), n) for t, i, f, p, n in r["overdue"])
            mine = sorted((o["title"], o["item"], o["formed_on"], o["published_on"], o["workdays_late"])
                          for o in d["overdue"])
            if mine != theirs:
                problems.append(f"{code}: overdue differ ({len(mine)} vs {len(theirs)})")
        if len(problems) > 20:
            break
    if problems:
        raise AssertionError(f"{name} differs from scoring.evaluate:\n" + "\n".join(problems[:20]))
    return len(ours)

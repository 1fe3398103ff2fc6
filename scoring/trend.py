"""`trend(con, as_of)`: the evaluation of every unit at each quarter end up to as_of, in one pass.

The quarter ends are bound as one list of points; each measure query joins that series to the
data once (DuckDB range joins), so Q quarters cost one grouped query per measure, not Q
evaluations. Each point's window is [1 January of its year, quarter end], as `evaluate` defaults.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from scoring import measure
from scoring.decide import decide
from scoring.rules import Rules, load_rules

# Relations more than one measure query reads and that do not depend on the points, computed once
# per trend (deadlines: kept per connection by measure.prepare; the others on a read-only database
# too, measure.DATA_ONLY).
TREND_SHARED = ("deadlines", "catalog_row_blanks", "best_catalog_rows", "item_firsts", "catalog_stats",
                "milestone_dates")
TREND_COLUMNS = ("quarter_end", "code", "name", "kind", "score", "grade", "rank")  # + the component ids


def quarter_ends(start: dt.date, as_of: dt.date) -> list[dt.date]:
    """Every quarter end (31 Mar, 30 Jun, 30 Sep, 31 Dec) in [start, as_of]."""
    ends = []
    for year in range(start.year, as_of.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            q = dt.date(year, month, day)
            if start <= q <= as_of:
                ends.append(q)
    return ends


def trend(con: duckdb.DuckDBPyConnection, as_of: dt.date, rules: Rules | None = None) -> pd.DataFrame:
    """One row per (quarter end, unit) from the rules' trend_start (2020-09-30) to as_of.

    Columns: quarter_end (date), code, name, kind, score, grade, rank, then one column per
    component (values in [0, 1], NaN when not evaluated). Ordered by quarter_end, rank, code.
    Empty (same columns) when as_of is before the first quarter end.
    """
    rules = rules or load_rules()
    points = [(q, rules.since_for(q)) for q in quarter_ends(rules.trend_start, as_of)]
    if not points:
        return pd.DataFrame(columns=[*TREND_COLUMNS, *rules.component_ids])
    with measure.shared_relations(con, TREND_SHARED, measure.rule_params(rules)) as shared:
        decided = decide(measure.point_measures(con, points, rules, shared), rules)
    out = decided.rename(columns={"as_of": "quarter_end"})
    out = out.sort_values(["quarter_end", "rank", "code"]).reset_index(drop=True)
    return out[[*TREND_COLUMNS, *rules.component_ids]]

"""`trend`: one row per (quarter end, unit) from 2020-09-30 to as_of, computed in one pass, and equal at
every quarter end to a full `evaluate` of that date (same scores, grades, ranks, components).
"""
from __future__ import annotations

import datetime as dt
import math

import duckdb

from scoring import evaluate, trend
from scoring.rules import load_rules
from scoring.trend import quarter_ends
from tests.scoring.helpers import ERQI, JINSHUI, ZHONGYUAN, add_disclosure, add_full_catalog, cover_every_item

D = dt.date
_RULES = load_rules()  # the registry: component ids, kinds and order
COMPONENTS, RATIOS, MILESTONES = _RULES.component_ids, _RULES.ratio_ids, _RULES.milestone_ids


def test_quarter_ends() -> None:
    assert quarter_ends(D(2020, 9, 30), D(2021, 6, 29)) == [D(2020, 9, 30), D(2020, 12, 31), D(2021, 3, 31)]
    assert quarter_ends(D(2020, 9, 30), D(2020, 9, 29)) == []


def test_trend_matches_evaluate_at_every_quarter_end(con: duckdb.DuckDBPyConnection) -> None:
    add_full_catalog(con, ZHONGYUAN, D(2020, 9, 25), document_no="中房〔2020〕9号", skip=("S01", "S02"))
    add_full_catalog(con, ZHONGYUAN, D(2021, 5, 10), document_no="中房〔2021〕3号")
    cover_every_item(con, ZHONGYUAN, D(2021, 2, 1))
    add_full_catalog(con, JINSHUI, D(2021, 1, 5))
    add_disclosure(con, JINSHUI, "配租结果", "配给管理", "配租结果", D(2021, 3, 1), D(2021, 3, 2))
    add_disclosure(con, JINSHUI, "配租结果", "配给管理", "配租结果", D(2021, 3, 1), D(2021, 8, 2))
    add_disclosure(con, ERQI, "《乙办法》", "法规政策", "政策文件", None, D(2021, 11, 1))
    frame = trend(con, D(2022, 2, 1))
    assert list(frame.columns) == ["quarter_end", "code", "name", "kind", "score", "grade", "rank",
                                   *COMPONENTS]
    quarters = [D(2020, 9, 30), D(2020, 12, 31), D(2021, 3, 31), D(2021, 6, 30), D(2021, 9, 30),
                D(2021, 12, 31)]
    assert sorted(set(frame["quarter_end"])) == quarters and len(frame) == 6 * 16
    for q in quarters:
        rows = frame[frame["quarter_end"] == q]
        full = evaluate(con, q)
        assert list(rows["code"]) == [d.code for d in full.districts]
        for (_, row), d in zip(rows.iterrows(), full.districts):
            assert (row["score"], row["grade"], row["rank"], row["name"]) == (d.score, d.grade, d.rank, d.name)
            for c in COMPONENTS:
                v = d.components[c]
                assert (math.isnan(row[c]) if v is None else row[c] == v), (q, d.code, c)
    # 中原区 at 2020-12-31: 41/43 items; at 2021-06-30 the complete version counts.
    zy = frame[frame["code"] == ZHONGYUAN].set_index("quarter_end")
    assert zy.loc[D(2020, 12, 31), "catalog_coverage"] == 41 / 43
    assert zy.loc[D(2021, 6, 30), "catalog_coverage"] == 1.0
    # 金水区 timeliness: Q1 2021 1/1, Q3 2021 1/2 (window restarts each 1 January).
    js = frame[frame["code"] == JINSHUI].set_index("quarter_end")
    assert (js.loc[D(2021, 3, 31), "timeliness"], js.loc[D(2021, 9, 30), "timeliness"]) == (1.0, 0.5)

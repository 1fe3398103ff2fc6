"""One date format per place (issue #11): the gap sentences (问题说明) and milestone conditions of 区县自查,
its download and the 通报 date as 2023年6月30日, as the rest of the page does, never 2023-06-30."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pandas as pd

from scoring import evaluate
from scoring.explain import day
from ui_text.scoring import GAP_DETAILS

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def test_day_reads_every_date_type_the_rows_hold() -> None:
    for value in (dt.date(2023, 6, 30), dt.datetime(2023, 6, 30, 9, 15), pd.Timestamp("2023-06-30"), "2023-06-30"):
        assert day(value) == "2023年6月30日"
    assert day(dt.date(2024, 1, 5)) == "2024年1月5日"  # no leading zeros
    assert day(None) == ""


def test_gap_sentences_date_in_chinese(sample_db: Path) -> None:
    """At 2026-11-25 the sample has every kind of dated gap: overdue and unpublished-overdue items,
    items with no disclosure 'as of' the date, and unsynced policy interpretations."""
    as_of = dt.date(2026, 11, 25)
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        districts = evaluate(con, as_of).to_json()["districts"]
    finally:
        con.close()
    gaps = [g for d in districts for g in d["gaps"]]
    kinds = {g["category"] for g in gaps}
    assert {"overdue", "pending_overdue", "no_disclosure"} <= kinds
    assert [g["detail"] for g in gaps if ISO.search(g["detail"])] == []
    for g in gaps:
        for y, m, d in CHINESE.findall(g["detail"]):
            dt.date(int(y), int(m), int(d))  # a real date, written without leading zeros
            assert not m.startswith("0") and not d.startswith("0")
    # the 'as of' of a silent item is the evaluation date itself
    silent = next(g for g in gaps if g["category"] == "no_disclosure")
    assert silent["detail"] == GAP_DETAILS["no_disclosure"].format(item=silent["item"], as_of="2026年11月25日")
    # an overdue sentence names its three dates; the row keeps the ISO deadline for sorting and the workbook
    late = next(g for g in gaps if g["category"] == "overdue")
    assert len(CHINESE.findall(late["detail"])) == 3
    assert ISO.fullmatch(late["deadline"]) and day(late["deadline"]) in late["detail"]
    # milestone conditions too (the 时间节点 lines of 区县自查)
    conditions = [g["detail"] for g in gaps if g["category"].startswith("milestone_")]
    assert conditions and not any(ISO.search(c) for c in conditions)

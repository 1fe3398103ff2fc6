"""The self-check's own reads agree with the evaluation for every unit of the sample, and the
display tables add up: the checklist names exactly the items the gaps name, the component points
add up to the score, and the report's unit selection keeps the ranks among all units.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from sc_helpers import TODAY

from appkit import self_check_tables as sc_tables
from appkit.tables import percent_text, units_of
from queries import self_check as sc
from scoring import Evaluation, evaluate, load_rules
from ui_text import self_check as T


@pytest.fixture(scope="module")
def evaluated(sc_db: Path):
    con = duckdb.connect(str(sc_db), read_only=True)
    ev = evaluate(con, TODAY).to_json()
    items = {d["code"]: sc.checklist(con, d["code"], TODAY) for d in ev["districts"]}
    con.close()
    return ev, items


def test_checklist_agrees_with_the_gaps_for_every_unit(evaluated) -> None:
    ev, items = evaluated
    for d in ev["districts"]:
        frame = items[d["code"]]
        by_category = {}
        for g in d["gaps"]:
            by_category.setdefault(g["category"], set()).add(g["item"])
        assert set(frame.loc[~frame["in_catalog"], "item"]) == by_category.get("missing_item", set()), d["district"]
        assert set(frame.loc[~frame["disclosed"], "item"]) == by_category.get("no_disclosure", set()), d["district"]
        incomplete = set(frame.loc[frame["elements_complete"].eq(False).fillna(False), "item"])
        # every incomplete city item has a blank-elements gap (gaps may also name local rows)
        assert incomplete <= by_category.get("blank_elements", set()), d["district"]
        # coverage is the share of listed items: 43 × catalog_coverage = items in the catalog
        assert frame["in_catalog"].sum() == round(43 * (d["catalog_coverage"] or 0)), d["district"]
        assert frame["disclosed"].sum() == round(43 * (d["disclosure_coverage"] or 0)), d["district"]


def test_component_points_add_up_to_the_score(evaluated) -> None:
    ev, _ = evaluated
    weights = dict(load_rules().weights)
    for d in Evaluation.from_json(ev).districts:
        table = sc_tables.component_table(d, weights, percent_text)
        points = pd.to_numeric(table[T.COMPONENT_COLUMNS["points"]], errors="coerce").dropna()
        # each share is rounded to 2 decimals, so seven of them may drift by up to 7 × 0.005;
        # they add up to the weighted score (before bonus and vetoes, DESIGN §12)
        assert abs(points.sum() - d.weighted_score) <= 0.035, d.name
        assert len(table) == len(load_rules().component_ids) and table[T.COMPONENT_COLUMNS["rule"]].str.len().min() > 10


def test_select_units_keeps_ranks_among_all(evaluated) -> None:
    ev, _ = evaluated
    last, first = ev["districts"][-1], ev["districts"][0]
    typed = units_of(Evaluation.from_json(ev), [last["code"], first["code"]])  # the pages' typed cut
    assert [d.code for d in typed.districts] == [first["code"], last["code"]]
    preview = sc_tables.ranking_preview(typed)
    assert preview[T.RANKING_COLUMNS["rank"]].tolist() == [first["rank"], last["rank"]]
    assert preview[T.RANKING_COLUMNS["name"]].tolist() == [first["district"], last["district"]]
    assert typed.as_of.isoformat() == ev["as_of"] and len(ev["districts"]) == 16

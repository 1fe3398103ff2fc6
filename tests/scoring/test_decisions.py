"""The pure decision functions of scoring/decide.py on hand-made measurements (no database):
component ratios, renormalised score when components are not evaluated, grade band edges,
competition ranks, milestone statuses. Queries and explanations are tested in test_evaluation.py.
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from scoring.decide import component_values, decide, grades, milestone_outcomes, rank_among, ranks, scores
from scoring.rules import load_rules

RULES = load_rules()
D = dt.date
_RULES = load_rules()  # the registry: component ids, kinds and order
COMPONENTS, RATIOS, MILESTONES = _RULES.component_ids, _RULES.ratio_ids, _RULES.milestone_ids


def measures(**overrides: object) -> pd.DataFrame:
    row = {"as_of": D(2023, 12, 31), "n_items": 43, "has_catalog": True, "catalog_rows": 43,
           "filled_elements": 43 * 9, "covered_items": 43, "complete_items": 43, "disclosed_items": 43,
           "judged": 4, "on_time": 3, "policy_docs": 2, "synced": 1,
           "m2020_on": D(2020, 9, 25), "m2023_on": D(2023, 8, 2)}
    row.update(overrides)
    return pd.DataFrame([row])


def test_components_and_score() -> None:
    c = component_values(measures(), RULES).iloc[0]
    # timeliness 3/4, sync 1/2, m2020 on time (1), m2023 late (0.5)
    assert list(c.index) == list(COMPONENTS)
    assert (c["timeliness"], c["interpretation_sync"], c["milestone_2020_09"], c["milestone_2023_06"]) == \
        (0.75, 0.5, 1.0, 0.5)
    # 100 × (20·1 + 10·1 + 20·1 + 25·0.75 + 5·0.5 + 10·1 + 10·0.5) / 100 = 86.25
    assert scores(component_values(measures(), RULES), RULES).iloc[0] == 86.25


def test_score_renormalises_over_evaluated_components() -> None:
    # Nothing judged, no policy documents: timeliness and sync are null, the rest weigh 20+10+20+10+10 = 70.
    # covered 40/43, elements 43·9−6 filled of 387, disclosed 30/43, m2020 1, m2023 0.5:
    # 100 × (20·40/43 + 10·381/387 + 20·30/43 + 10 + 5) / 70
    #   = 100 × (18.6047 + 9.8450 + 13.9535 + 15) / 70 = 100 × 57.4031 / 70 = 82.0044 → 82.00
    m = measures(judged=0, on_time=0, policy_docs=0, synced=0, covered_items=40,
                 filled_elements=43 * 9 - 6, disclosed_items=30)
    c = component_values(m, RULES).iloc[0]
    assert math.isnan(c["timeliness"]) and math.isnan(c["interpretation_sync"])
    expected = round(100 * (20 * 40 / 43 + 10 * 381 / 387 + 20 * 30 / 43 + 10 + 5) / 70, 2)
    assert expected == 82.0
    assert scores(component_values(m, RULES), RULES).iloc[0] == expected


def test_no_catalog_scores_zero_coverage_and_completeness() -> None:
    m = measures(has_catalog=False, catalog_rows=0, filled_elements=0, covered_items=0)
    c = component_values(m, RULES).iloc[0]
    assert (c["catalog_coverage"], c["element_completeness"]) == (0.0, 0.0)


@pytest.mark.parametrize(("score", "grade"), [
    (100.0, "优秀"), (90.0, "优秀"), (89.99, "良好"), (80.0, "良好"), (79.99, "合格"),
    (60.0, "合格"), (59.99, "不合格"), (0.0, "不合格")])
def test_grade_band_edges(score: float, grade: str) -> None:
    assert grades(pd.Series([score]), RULES).iloc[0] == grade


def test_band_edge_through_the_score() -> None:
    # Every component 0.9 → exactly 90.00 → 优秀; 0.8999 → 89.99 → 良好.
    at = pd.DataFrame([dict.fromkeys(COMPONENTS, 0.9)])
    below = pd.DataFrame([dict.fromkeys(COMPONENTS, 0.8999)])
    assert scores(at, RULES).iloc[0] == 90.0 and grades(scores(at, RULES), RULES).iloc[0] == "优秀"
    assert scores(below, RULES).iloc[0] == 89.99 and grades(scores(below, RULES), RULES).iloc[0] == "良好"


def test_competition_ranks() -> None:
    s = pd.Series([95.0, 90.0, 90.0, 80.0, 80.0, 10.0])
    assert list(ranks(s)) == [1, 2, 2, 4, 4, 6]
    assert rank_among(90.0, pd.Series([95.0, 90.0, 80.0])) == 2
    assert rank_among(96.0, pd.Series([95.0, 90.0])) == 1


@pytest.mark.parametrize(("first_met", "as_of", "status", "date", "days_late"), [
    (D(2020, 9, 30), D(2021, 1, 1), "on_time", D(2020, 9, 30), 0),
    (D(2020, 10, 9), D(2021, 1, 1), "late", D(2020, 10, 9), 9),       # 9 calendar days after 09-30
    (None, D(2020, 10, 1), "missed", None, None),
    (None, D(2020, 9, 30), "missed", None, None),                     # as_of exactly the deadline (end of day)
    (None, D(2020, 9, 29), "pending", None, None),                    # the day before
    (D(2020, 10, 9), D(2020, 10, 8), "missed", None, None),           # met only after as_of
    (D(2020, 9, 1), D(2020, 8, 31), "pending", None, None),
], ids=["on_time_at_deadline", "late", "missed", "missed_at_deadline", "pending_day_before", "met_after_as_of",
     "pending_early"])
def test_milestone_status(first_met: dt.date | None, as_of: dt.date, status: str,
                          date: dt.date | None, days_late: int | None) -> None:
    out = milestone_outcomes(pd.Series([first_met], dtype=object), pd.Series([as_of]), D(2020, 9, 30)).iloc[0]
    assert (out["status"], out["date"], out["days_late"]) == (status, date, days_late)


def test_pending_milestone_is_not_evaluated() -> None:
    m = measures(as_of=D(2023, 6, 29), m2023_on=None)  # the day before the deadline
    c = component_values(m, RULES).iloc[0]
    assert math.isnan(c["milestone_2023_06"])
    # 100 × (20 + 10 + 20 + 25·0.75 + 5·0.5 + 10) / 90 = 81.25 / 0.9 = 90.2777… → 90.28
    assert decide(m, RULES)["score"].iloc[0] == 90.28

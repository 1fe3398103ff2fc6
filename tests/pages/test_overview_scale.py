"""督导总览 at national scale draws what can be read: one bar per unit up to `charts.BARS_MAX`
units, else the score distribution as a histogram of 5-point bands stacked by grade (3,000 labelled
bars took the browser tens of seconds and could not be read)."""
from __future__ import annotations

import pandas as pd

from appkit import charts
from scoring import load_rules
from ui_text.overview_scale import HISTOGRAM


def _ranking(scores: list[float], grades: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"name": [f"单位{i:04d}" for i in range(len(scores))], "score": scores,
                         "grade": grades})


def _counts(spec: dict) -> dict[str, dict[str, int]]:
    """{grade: {band: units}} from the histogram's data rows, grades in the order rows give them."""
    by_grade: dict[str, dict[str, int]] = {}
    for row in spec["data"]["values"]:
        by_grade.setdefault(row["grade"], {})[row["band"]] = row["n"]
    return by_grade


def test_the_histogram_counts_units_per_band_and_grade() -> None:
    rules = load_rules()
    excellent, good, passed, fail = rules.grade_names
    frame = _ranking([99.5, 100.0, 95.0, 94.99, 0.0, 61.0, 64.99, 80.0],
                     [excellent, excellent, excellent, excellent, fail, passed, passed, good])
    spec = charts.score_histogram(frame, rules)
    by_grade = _counts(spec)
    color = spec["encoding"]["color"]
    assert color["scale"]["domain"] == [excellent, good, passed, fail]  # the rules' order, only grades present
    assert color["scale"]["range"] == list(charts.GRADE_PALETTE)  # 4 grades: the palette in order, red last
    labels = spec["encoding"]["x"]["scale"]["domain"]  # every band on the axis, empty ones too
    assert len(labels) == 20 and labels[0] == "0–5分" and labels[-1] == "95–100分"
    # 99.5, 100 (the top band holds 100) and 95.0 fall in 95–100; 94.99 in 90–95
    assert by_grade[excellent]["95–100分"] == 3 and by_grade[excellent]["90–95分"] == 1
    assert by_grade[fail]["0–5分"] == 1
    assert by_grade[passed]["60–65分"] == 2  # 61.0 and 64.99
    assert by_grade[good]["80–85分"] == 1
    assert sum(sum(g.values()) for g in by_grade.values()) == len(frame)  # every unit once
    assert all(row["n"] > 0 for row in spec["data"]["values"])  # an empty band draws nothing
    assert spec["title"] == HISTOGRAM["title"].format(n=8, step=5)
    assert spec["encoding"]["y"]["stack"] == "zero"


def test_the_overview_switches_to_the_histogram_past_bars_max() -> None:
    grade = load_rules().grade_names[0]
    few = _ranking([95.0] * charts.BARS_MAX, [grade] * charts.BARS_MAX)
    many = _ranking([95.0] * (charts.BARS_MAX + 1), [grade] * (charts.BARS_MAX + 1))
    bars = charts.score_chart(few)
    assert len(bars["data"]["values"]) == charts.BARS_MAX  # one bar per unit
    assert bars["encoding"]["x"]["sort"] == list(few["name"])  # in rank order
    shown = charts.score_chart(many)
    assert shown["data"]["values"] == [{"band": "95–100分", "grade": grade, "n": charts.BARS_MAX + 1, "order": 0}]
    assert len(shown["encoding"]["x"]["scale"]["domain"]) == 20

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


def test_the_histogram_counts_units_per_band_and_grade() -> None:
    rules = load_rules()
    excellent, good, passed, fail = rules.grade_names
    frame = _ranking([99.5, 100.0, 95.0, 94.99, 0.0, 61.0, 64.99, 80.0],
                     [excellent, excellent, excellent, excellent, fail, passed, passed, good])
    fig = charts.score_histogram(frame, rules)
    by_grade = {t.name: dict(zip(t.x, (int(v) for v in t.y))) for t in fig.data}
    assert list(by_grade) == [excellent, good, passed, fail]  # the rules' order, only grades present
    labels = list(fig.data[0].x)
    assert len(labels) == 20 and labels[0] == "0–5分" and labels[-1] == "95–100分"
    # 99.5, 100 (the top band holds 100) and 95.0 fall in 95–100; 94.99 in 90–95
    assert by_grade[excellent]["95–100分"] == 3 and by_grade[excellent]["90–95分"] == 1
    assert by_grade[fail]["0–5分"] == 1
    assert by_grade[passed]["60–65分"] == 2  # 61.0 and 64.99
    assert by_grade[good]["80–85分"] == 1
    assert sum(sum(g.values()) for g in by_grade.values()) == len(frame)  # every unit once
    assert fig.layout.title.text == HISTOGRAM["title"].format(n=8, step=5)
    assert fig.layout.barmode == "stack"


def test_the_overview_switches_to_the_histogram_past_bars_max() -> None:
    grade = load_rules().grade_names[0]
    few = _ranking([95.0] * charts.BARS_MAX, [grade] * charts.BARS_MAX)
    many = _ranking([95.0] * (charts.BARS_MAX + 1), [grade] * (charts.BARS_MAX + 1))
    assert len(charts.score_chart(few).data[0].x) == charts.BARS_MAX  # one bar per unit
    shown = charts.score_chart(many)
    assert list(shown.data[0].y)[-1] == charts.BARS_MAX + 1 and len(shown.data[0].x) == 20

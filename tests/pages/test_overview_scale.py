"""督导总览 at national scale draws what can be read: one bar per unit up to `charts.BARS_MAX`
units, else the score distribution as a histogram of 5-point bands stacked by grade (3,000 labelled
bars took the browser tens of seconds and could not be read)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd

from appkit import charts
from scoring import load_rules
from ui_text.overview_scale import HISTOGRAM


def _ranking(scores: list[float], grades: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"name": [f"单位{i:04d}" for i in range(len(scores))], "score": scores,
                         "grade": grades})


SVG = "{http://www.w3.org/2000/svg}"


def _drawn(chart: charts.SvgChart) -> list[dict[str, str]]:
    """The bars the SVG draws (its data-* attributes), legend swatches aside."""
    root = ET.fromstring(chart.svg)
    return [{"x": r.get("data-x"), "grade": r.get("data-grade"), "value": r.get("data-value"), "fill": r.get("fill")}
            for r in root.iter(f"{SVG}rect") if r.get("data-x") is not None]


def _texts(chart: charts.SvgChart) -> list[str]:
    return [t.text or "" for t in ET.fromstring(chart.svg).iter(f"{SVG}text")]


def _counts(chart: charts.SvgChart) -> dict[str, dict[str, int]]:
    """{grade: {band: units}} from the histogram's drawn bars, grades in the order bars give them."""
    by_grade: dict[str, dict[str, int]] = {}
    for bar in _drawn(chart):
        by_grade.setdefault(bar["grade"], {})[bar["x"]] = int(bar["value"])
    return by_grade


def test_the_histogram_counts_units_per_band_and_grade() -> None:
    rules = load_rules()
    excellent, good, passed, fail = rules.grade_names
    frame = _ranking([99.5, 100.0, 95.0, 94.99, 0.0, 61.0, 64.99, 80.0],
                     [excellent, excellent, excellent, excellent, fail, passed, passed, good])
    chart = charts.score_histogram(frame, rules)
    by_grade = _counts(chart)
    colors = dict(zip(rules.grade_names, charts.GRADE_PALETTE))  # 4 grades: the palette in order, red last
    assert all(bar["fill"] == colors[bar["grade"]] for bar in _drawn(chart))
    texts = _texts(chart)
    legend = texts[texts.index("等级") + 1:]
    assert legend == [excellent, good, passed, fail]  # the rules' order, only grades present
    labels = [f"{low}–{min(low + 5, 100)}分" for low in range(0, 100, 5)]
    assert [t for t in texts if t.endswith("分") and "–" in t] == labels  # every band on the axis, empty ones too
    # 99.5, 100 (the top band holds 100) and 95.0 fall in 95–100; 94.99 in 90–95
    assert by_grade[excellent]["95–100分"] == 3 and by_grade[excellent]["90–95分"] == 1
    assert by_grade[fail]["0–5分"] == 1
    assert by_grade[passed]["60–65分"] == 2  # 61.0 and 64.99
    assert by_grade[good]["80–85分"] == 1
    assert sum(sum(g.values()) for g in by_grade.values()) == len(frame)  # every unit once
    assert all(int(bar["value"]) > 0 for bar in _drawn(chart))  # an empty band draws nothing
    assert chart.title == HISTOGRAM["title"].format(n=8, step=5) == texts[0]
    assert ET.fromstring(chart.svg).get("aria-label") == chart.title  # the accessible name
    # stacked: in the 95–100 band (3 units) the bar reaches the height of 3 on the axis
    top = [b for b in chart.bars if b.x == "95–100分"]
    assert sum(b.value for b in top) == 3


def test_names_from_files_are_text_in_the_svg() -> None:
    grade = load_rules().grade_names[0]
    name = '<script>alert("x")</script>& **粗体** [链接](http://x) $x$ :smile:'
    chart = charts.score_bars(_ranking([90.0], [grade]).assign(name=[name]))
    assert "<script>" not in chart.svg and "**" not in chart.svg and "[" not in chart.svg and "$" not in chart.svg
    assert _drawn(chart)[0]["x"] == name  # escaped (HTML and Markdown), then read back as the name


def test_the_overview_switches_to_the_histogram_past_bars_max() -> None:
    grade = load_rules().grade_names[0]
    few = _ranking([95.0] * charts.BARS_MAX, [grade] * charts.BARS_MAX)
    many = _ranking([95.0] * (charts.BARS_MAX + 1), [grade] * (charts.BARS_MAX + 1))
    bars = charts.score_chart(few)
    assert [b["x"] for b in _drawn(bars)] == list(few["name"])  # one bar per unit, in rank order
    shown = charts.score_chart(many)
    assert _drawn(shown) == [{"x": "95–100分", "grade": grade, "value": str(charts.BARS_MAX + 1),
                              "fill": charts.GRADE_PALETTE[0]}]
    assert sum(t.endswith("分") and "–" in t for t in _texts(shown)) == 20  # every band on the axis

"""The pages' charts, drawn with one font that renders Chinese and one colour per grade everywhere.

Plotly figures (trend, milestones, heat map) share a template naming 'Noto Sans CJK SC' (Debian's
fonts-noto-cjk) first. The overview's 得分分布 is a Vega-Lite spec drawn by Streamlit's own
`st.vega_lite_chart`: 督导总览 is the first screen, and plotly.js (4.7 MB) spent 0.6–2.4 s of the
browser's main thread starting up before the ranking grid beside it could paint (README
"真实浏览器首屏（第三轮）"); Vega's runtime is a sixth of that. The pages opened later keep Plotly.
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from plotly.colors import qualitative

from appkit.safe_text import escape_figure
from scoring.rules import Rules, load_rules
from ui_text.pages import (
    CHART_DATE_HOVER,
    COLUMNS,
    DETAIL,
    MILESTONE_SHORT,
    MILESTONE_STATUS,
    MILESTONES,
    OVERVIEW,
    TREND,
)
from ui_text.pages import CHART_YEAR_TICKS as DATE_TICKS

FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
GRADE_PALETTE = ("#1a9850", "#66bd63", "#fdae61", "#d73027")  # best band first; the last is the lowest
STATUS_COLORS = {"on_time": "#1a9850", "late": "#fdae61", "missed": "#d73027", "pending": "#9e9e9e"}
MILESTONE_SYMBOLS = ("circle", "diamond", "square", "triangle-up")  # by milestone position in the rules
TEMPLATE = "compliance"
DATE_HOVER = CHART_DATE_HOVER  # 2023年6月30日
# 16 units need 16 distinguishable line colours (Plotly's default cycle has 10)
UNIT_COLORS = qualitative.Dark24[:16]

# plotly_white with the Chinese font on top, merged once (merging "plotly_white+compliance" on
# every figure cost 0.1-0.2 s per chart).
SHOWN_TEMPLATE = "compliance_white"


@functools.cache
def shown_template() -> str:
    """Register the two templates on first use and name the merged one. Building and merging them
    took 0.1 s of the first overview render of every process, which since its chart is Vega-Lite
    draws no Plotly figure; the first page that does pays it instead."""
    pio.templates[TEMPLATE] = go.layout.Template(layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 13},
        title={"font": {"family": FONT_FAMILY}},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        legend={"font": {"family": FONT_FAMILY}},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    ))
    pio.templates[SHOWN_TEMPLATE] = pio.templates.merge_templates("plotly_white", TEMPLATE)
    return SHOWN_TEMPLATE


class SharedFigure(go.Figure):
    """A figure prepared once (`prepared`) and shared read-only by every rerun and session that
    shows it (a cached chart): its plotly dict is computed once, not deep-copied per render."""

    def to_dict(self) -> dict[str, Any]:
        spec: dict[str, Any] | None = self.__dict__.get("_shared_spec")
        if spec is None:
            spec = super().to_dict()
            self.__dict__["_shared_spec"] = spec
        return spec


def prepared(fig: go.Figure | dict[str, Any]) -> SharedFigure | dict[str, Any]:
    """`fig` with the shared template and every file-borne string escaped, ready to cache. A
    Vega-Lite spec (the overview's) is plain data already: Vega draws every string as text."""
    if isinstance(fig, dict):
        return fig
    fig.update_layout(template=shown_template(), font_family=FONT_FAMILY)
    escape_figure(fig)  # names from files are shown as text, never as HTML links (appkit.safe_text)
    fig.__class__ = SharedFigure  # the same object, its to_dict memoised (a copy would re-validate it)
    return fig  # type: ignore[return-value]


def show(fig: go.Figure | dict[str, Any], key: str | None = None) -> None:
    """Render full width: a Vega-Lite spec with Streamlit's chart theme (fonts and colours from the
    spec), a Plotly figure with the shared template (a `SharedFigure` as prepared)."""
    if isinstance(fig, dict):
        # shared read-only: Streamlit copies the spec before it takes the data out
        st.vega_lite_chart(spec=fig, width="stretch", key=key)
        return
    if not isinstance(fig, SharedFigure):
        fig = prepared(fig)
    # Plotly's modebar speaks English (Zoom, Pan, Download plot as a png…) and has no locale
    # switch here: hidden. Streamlit's own chart toolbar (fullscreen) stays.
    st.plotly_chart(fig, width="stretch", key=key, config={"displayModeBar": False, "displaylogo": False})


def year_ticks(fig: go.Figure) -> None:
    """One tick per 1 January labelled 2021年 … (monthly ticks with a year-only format repeated
    '2021年, 2021年, …' on short ranges)."""
    fig.update_xaxes(tickformat=DATE_TICKS, hoverformat=DATE_HOVER, dtick="M12", tick0="2020-01-01",
                     ticklabelmode="instant")


def grade_colors(rules: Rules) -> dict[str, str]:
    """A colour per grade name, best first; the lowest band always gets the palette's last (red)."""
    names = rules.grade_names
    colors = [GRADE_PALETTE[min(i, len(GRADE_PALETTE) - 2)] for i in range(len(names) - 1)] + [GRADE_PALETTE[-1]]
    return dict(zip(names, colors))


VEGA_HEIGHT = 420  # the whole chart (Streamlit fits title, axes and slanted labels inside), as the Plotly one was


def _grade_encoding(rules: Rules, present: set[str]) -> dict[str, Any]:
    """The colour channel: each grade its colour (`grade_colors`), legend in the rules' order."""
    colors = grade_colors(rules)
    names = [name for name in rules.grade_names if name in present]
    return {"field": "grade", "type": "nominal", "title": COLUMNS["grade"], "sort": names,
            "scale": {"domain": names, "range": [colors[name] for name in names]}}


def _vega(title: str, rows: list[dict[str, Any]], **spec: Any) -> dict[str, Any]:
    """A Vega-Lite spec with the Chinese font on every text (title, axes, legend, labels)."""
    return {"title": title, "height": VEGA_HEIGHT, "data": {"values": rows},
            "config": {"font": FONT_FAMILY, "title": {"fontSize": 15}}, **spec}


def score_bars(ranking: pd.DataFrame, rules: Rules | None = None) -> dict[str, Any]:
    """Score per unit in rank order, coloured by grade (bands in the rules' order), each bar labelled
    with its score as the table shows it (99.53); units without a score keep their place on the axis."""
    rules = rules or load_rules()
    unit, score, grade = COLUMNS["name"], COLUMNS["score"], COLUMNS["grade"]
    scored = ranking[ranking["score"].notna()]
    rows = [{"name": n, "score": float(s), "grade": g} for n, s, g in
            zip(scored["name"], scored["score"], scored["grade"])]
    axis_x = {"field": "name", "type": "nominal", "title": unit, "sort": list(ranking["name"]),
              "scale": {"domain": list(ranking["name"])}, "axis": {"labelAngle": -40, "labelOverlap": False, "labelLimit": 240}}
    axis_y = {"field": "score", "type": "quantitative", "title": score, "scale": {"domain": [0, 110]},
              "axis": {"values": [0, 20, 40, 60, 80, 100]}}
    tooltip = [{"field": "grade", "title": grade}, {"field": "name", "title": unit},
               {"field": "score", "title": score, "format": ".2f"}]
    return _vega(OVERVIEW["chart"], rows, encoding={"x": axis_x, "y": axis_y}, layer=[
        {"mark": {"type": "bar"},
         "encoding": {"color": _grade_encoding(rules, set(scored["grade"])), "tooltip": tooltip}},
        {"mark": {"type": "text", "baseline": "bottom", "dy": -3, "fontSize": 11},
         "encoding": {"text": {"field": "score", "type": "quantitative", "format": ".2f"}}},
    ])


BARS_MAX = 60      # up to this many units the overview draws one bar per unit; beyond, a histogram
HISTOGRAM_STEP = 5  # points per bin of the histogram


def score_histogram(ranking: pd.DataFrame, rules: Rules | None = None, step: int = HISTOGRAM_STEP) -> dict[str, Any]:
    """How many units score in each `step`-point band, stacked by grade: the 得分分布 of a large
    set of units (3,000 bars with a label each cannot be read and took the browser tens of seconds
    to draw). Bins are [0, step), [step, 2·step) … with 100 in the last; one row per band and grade
    with units in it, every band on the axis."""
    from ui_text.overview_scale import HISTOGRAM

    rules = rules or load_rules()
    edges = list(range(0, 100, step))
    labels = [HISTOGRAM["bin"].format(low=low, high=min(low + step, 100)) for low in edges]
    scored = ranking[ranking["score"].notna()]
    bins = (scored["score"].clip(0, 100) // step).clip(upper=len(edges) - 1).astype("int64")
    counts = pd.crosstab(bins, scored["grade"])
    order = {name: i for i, name in enumerate(rules.grade_names)}
    rows = [{"band": labels[b], "grade": name, "n": int(counts.at[b, name]), "order": order[name]}
            for b in counts.index for name in rules.grade_names
            if name in counts.columns and counts.at[b, name]]
    tooltip = [{"field": "band", "title": HISTOGRAM["x_axis"]}, {"field": "grade", "title": COLUMNS["grade"]},
               {"field": "n", "title": HISTOGRAM["y_axis"]}]
    return _vega(HISTOGRAM["title"].format(n=len(ranking), step=step), rows, mark={"type": "bar"}, encoding={
        "x": {"field": "band", "type": "ordinal", "title": HISTOGRAM["x_axis"], "sort": labels,
              "scale": {"domain": labels}, "axis": {"labelAngle": -40, "labelOverlap": False}},
        "y": {"field": "n", "type": "quantitative", "title": HISTOGRAM["y_axis"], "stack": "zero",
              "axis": {"tickMinStep": 1, "format": "d"}},
        "color": _grade_encoding(rules, set(scored["grade"])),
        "order": {"field": "order", "type": "quantitative"},  # the best grade at the bottom of a stack
        "tooltip": tooltip,
    })


def score_chart(ranking: pd.DataFrame, rules: Rules | None = None) -> dict[str, Any]:
    """The overview's 得分分布: one bar per unit (`score_bars`) up to BARS_MAX units, else the
    histogram (`score_histogram`)."""
    return score_bars(ranking, rules) if len(ranking) <= BARS_MAX else score_histogram(ranking, rules)


def trend_lines(trend: pd.DataFrame, order: list[str] | None = None) -> go.Figure:
    """Quarterly score per unit, one line each; legend (and colours) in `order` of unit names
    (the bureau's order, as in the unit picker) when given."""
    import plotly.express as px  # 0.3-0.5 s to import: only on the pages that draw with it

    fig = px.line(trend.sort_values(["quarter_end", "code"]), x="quarter_end", y="score", color="name",
                  markers=True, color_discrete_sequence=UNIT_COLORS,
                  category_orders={"name": order} if order else {},
                  labels={"quarter_end": COLUMNS["quarter_end"], "score": COLUMNS["score"],
                          "name": COLUMNS["name"]})
    fig.update_yaxes(range=[0, 105], hoverformat=".2f")
    # Plotly's default date labels are English ("Sep 30, 2025"); spell them the Chinese way
    year_ticks(fig)
    # one unified Chinese hover: the quarter end once, then 单位：得分 per line (not 16 raw
    # 'district=… quarter_end=…' boxes)
    fig.update_traces(hovertemplate=TREND["hover"])
    fig.update_layout(height=480, title=TREND["chart"], hovermode="x unified")
    return fig


def milestone_timeline(points: pd.DataFrame, as_of: dt.date) -> go.Figure:
    """Each unit's two milestones against their deadlines; open markers = not completed by as_of."""
    frame = points.assign(status_label=points["status"].map(MILESTONE_STATUS))
    frame["legend"] = [MILESTONES["legend"].format(milestone=short, status=status)
                       for short, status in zip(frame["key"].map(MILESTONE_SHORT), frame["status_label"])]
    colors = {label: STATUS_COLORS[status] for label, status in zip(frame["legend"], frame["status"])}
    keys = list(dict.fromkeys(frame["key"]))  # the rules' milestone order
    symbol = {k: MILESTONE_SYMBOLS[i % len(MILESTONE_SYMBOLS)] for i, k in enumerate(keys)}
    symbols = {label: symbol[key] for label, key in zip(frame["legend"], frame["key"])}
    order = [MILESTONES["legend"].format(milestone=MILESTONE_SHORT[k], status=MILESTONE_STATUS[s])
             for k in keys for s in STATUS_COLORS]
    import plotly.express as px

    fig = px.scatter(frame, x="date", y="name", color="legend", symbol="legend",
                     color_discrete_map=colors, symbol_map=symbols,
                     category_orders={"name": list(dict.fromkeys(frame["name"])), "legend": order},
                     # the hover says it in words: no NaN days, no as-of date posing as a completion date
                     hover_data={"legend": False, "date": False, "milestone": True, "cell": True,
                                 "status_label": False, "days_late": False, "completed": False},
                     labels={"date": MILESTONES["x_axis"], "name": COLUMNS["name"],
                             "status_label": COLUMNS["status"], "milestone": MILESTONES["milestone"],
                             "days_late": COLUMNS["days_late"], "legend": "", "cell": MILESTONES["cell"]})
    fig.update_traces(marker={"size": 12, "line": {"width": 1, "color": "#333"}})
    # a unit that met neither milestone has both markers on the as-of date: the later milestone's
    # symbol is drawn larger and first, the earlier one smaller on top, so both stay visible
    first_labels = set(frame.loc[frame["key"] == keys[0], "legend"]) if keys else set()
    for trace in fig.data:
        trace.marker.size = 10 if trace.name in first_labels else 17
        if trace.name in first_labels:  # a white rim sets the small marker off the same-coloured diamond
            trace.marker.line = {"width": 1.5, "color": "#fff"}
    fig.data = tuple(sorted(fig.data, key=lambda t: t.marker.size, reverse=True))
    year_ticks(fig)
    for deadline in sorted(frame["deadline"].unique()):
        day = pd.Timestamp(deadline)
        fig.add_vline(x=day.timestamp() * 1000, line_dash="dash", line_color="#555",
                      annotation_text=MILESTONES["deadline"].format(date=day.date().isoformat()),
                      annotation_position="top")
    # units that have not met a milestone are drawn on the as-of date: mark it
    fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line_dash="dot", line_color="#999",
                  annotation_text=MILESTONES["as_of"].format(date=as_of.isoformat()),
                  annotation_position="bottom left")
    fig.update_layout(height=40 * frame["name"].nunique() + 160, title=MILESTONES["chart"],
                      legend={"orientation": "h", "y": -0.12, "title": {"text": ""}})
    fig.update_yaxes(autorange="reversed")
    return fig


def count_step(largest: int) -> int:
    """A whole-number colour-bar step giving at most about five ticks (never 0.5 or a repeated '1')."""
    return max(1, -(-largest // 5))


def disclosure_heatmap(grid: pd.DataFrame) -> go.Figure:
    """Month × first-level item counts (grid from queries.views.disclosure_heatmap)."""
    grid = grid.assign(level1=grid["level1"].fillna(DETAIL["unclassified"]))
    order = list(dict.fromkeys(grid.sort_values("level1_order")["level1"]))
    table = grid.pivot_table(index="level1", columns="month", values="n", aggfunc="sum").reindex(order)
    months = [DETAIL["month"].format(year=int(m[:4]), month=int(m[5:7])) for m in table.columns]
    fig = go.Figure(go.Heatmap(z=table.to_numpy().tolist(), x=months, y=list(table.index),
                               colorscale="Blues", hovertemplate="%{y}<br>%{x}：%{z}<extra></extra>",
                               colorbar={"title": {"text": COLUMNS["count"]}, "tickformat": "d",
                                         "dtick": count_step(int(grid["n"].max()))}))
    fig.update_layout(height=40 * len(order) + 120)
    fig.update_xaxes(type="category", tickangle=-45)
    fig.update_yaxes(autorange="reversed")
    return fig

"""Plotly figures for the pages, drawn with one template whose font renders Chinese.

Plotly draws text in the browser with system fonts, so the template names 'Noto Sans CJK SC'
(Debian's fonts-noto-cjk) first; grades keep one colour everywhere.
"""
from __future__ import annotations

import datetime as dt
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

pio.templates[TEMPLATE] = go.layout.Template(layout=go.Layout(
    font={"family": FONT_FAMILY, "size": 13},
    title={"font": {"family": FONT_FAMILY}},
    hoverlabel={"font": {"family": FONT_FAMILY}},
    legend={"font": {"family": FONT_FAMILY}},
    margin={"l": 10, "r": 10, "t": 40, "b": 10},
))


# plotly_white with the Chinese font on top, merged once (merging "plotly_white+compliance" on
# every figure cost 0.1-0.2 s per chart).
SHOWN_TEMPLATE = "compliance_white"
pio.templates[SHOWN_TEMPLATE] = pio.templates.merge_templates("plotly_white", TEMPLATE)


class SharedFigure(go.Figure):
    """A figure prepared once (`prepared`) and shared read-only by every rerun and session that
    shows it (a cached chart): its plotly dict is computed once, not deep-copied per render."""

    def to_dict(self) -> dict[str, Any]:
        spec: dict[str, Any] | None = self.__dict__.get("_shared_spec")
        if spec is None:
            spec = super().to_dict()
            self.__dict__["_shared_spec"] = spec
        return spec


def prepared(fig: go.Figure) -> SharedFigure:
    """`fig` with the shared template and every file-borne string escaped, ready to cache."""
    fig.update_layout(template=SHOWN_TEMPLATE, font_family=FONT_FAMILY)
    escape_figure(fig)  # names from files are shown as text, never as HTML links (appkit.safe_text)
    fig.__class__ = SharedFigure  # the same object, its to_dict memoised (a copy would re-validate it)
    return fig  # type: ignore[return-value]


def show(fig: go.Figure, key: str | None = None) -> None:
    """Render with the shared template (full width); a `SharedFigure` is shown as prepared."""
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


def score_bars(ranking: pd.DataFrame, rules: Rules | None = None) -> go.Figure:
    """Score per unit in rank order, coloured by grade (bands in the rules' order): one bar trace
    per grade, built from the columns directly (plotly.express took 0.1 s per chart whatever its
    size, paid again by every filter change of the overview)."""
    rules = rules or load_rules()
    colors = grade_colors(rules)
    unit, score, grade = COLUMNS["name"], COLUMNS["score"], COLUMNS["grade"]
    traces = []
    for name in rules.grade_names:
        rows = ranking[ranking["grade"] == name]
        if rows.empty:
            continue
        traces.append(go.Bar(
            x=rows["name"].to_numpy(dtype=object), y=rows["score"].to_numpy(), text=rows["score"].to_numpy(),
            name=name, legendgroup=name, marker={"color": colors[name]}, orientation="v", showlegend=True,
            hovertemplate=f"{grade}={name}<br>{unit}=%{{x}}<br>{score}=%{{text}}<extra></extra>",
            texttemplate="%{text:.2f}", textposition="outside", textfont={"size": 11}))
    fig = go.Figure(traces)
    fig.update_xaxes(title_text=unit, categoryorder="array", categoryarray=list(ranking["name"]),
                     tickangle=-35)
    fig.update_yaxes(title_text=score, range=[0, 110])
    fig.update_layout(height=420, title=OVERVIEW["chart"], barmode="relative", legend_title_text=grade,
                      legend_tracegroupgap=0, margin_t=60)
    return fig


BARS_MAX = 60      # up to this many units the overview draws one bar per unit; beyond, a histogram
HISTOGRAM_STEP = 5  # points per bin of the histogram


def score_histogram(ranking: pd.DataFrame, rules: Rules | None = None, step: int = HISTOGRAM_STEP) -> go.Figure:
    """How many units score in each `step`-point band, stacked by grade: the 得分分布 of a large
    set of units (3,000 bars with a label each cannot be read and took the browser tens of seconds
    to draw). Bins are [0, step), [step, 2·step) … with 100 in the last."""
    from ui_text.overview_scale import HISTOGRAM

    rules = rules or load_rules()
    colors = grade_colors(rules)
    edges = list(range(0, 100, step))
    labels = [HISTOGRAM["bin"].format(low=low, high=min(low + step, 100)) for low in edges]
    bins = (ranking["score"].clip(0, 100) // step).clip(upper=len(edges) - 1).astype("int64")
    counts = pd.crosstab(bins, ranking["grade"]).reindex(index=range(len(edges)), fill_value=0)
    traces = [go.Bar(x=labels, y=counts[name].to_numpy(), name=name, marker={"color": colors[name]},
                     hovertemplate=HISTOGRAM["hover"].format(grade=name))
              for name in rules.grade_names if name in counts.columns]
    fig = go.Figure(traces)
    fig.update_xaxes(title_text=HISTOGRAM["x_axis"], categoryorder="array", categoryarray=labels, tickangle=-35)
    fig.update_yaxes(title_text=HISTOGRAM["y_axis"], rangemode="tozero")
    fig.update_layout(height=420, barmode="stack", legend_title_text=COLUMNS["grade"], margin_t=60,
                      title=HISTOGRAM["title"].format(n=len(ranking), step=step))
    return fig


def score_chart(ranking: pd.DataFrame, rules: Rules | None = None) -> go.Figure:
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

"""The pages' charts, drawn with one font that renders Chinese and one colour per grade everywhere.

Plotly figures (trend, milestones, heat map) share a template naming 'Noto Sans CJK SC' (Debian's
fonts-noto-cjk) first. The overview's 得分分布 is an SVG drawn here on the server and shown with
`st.markdown`: 督导总览 is the first screen, and plotly.js (4.7 MB) spent 0.6–2.4 s of the browser's
main thread starting up before the ranking grid beside it could paint (README "真实浏览器首屏（第三轮）");
Vega-Lite, which replaced it, still cost ~0.35 s of it (issue #17). The pages opened later keep Plotly.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from plotly.colors import qualitative

from appkit.safe_text import escape_figure, svg_text
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
    took 0.1 s of the first overview render of every process, which since its chart is an SVG
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


def prepared(fig: go.Figure | SvgChart) -> SharedFigure | SvgChart:
    """`fig` with the shared template and every file-borne string escaped, ready to cache. The
    overview's SVG is final already (its strings escaped as it was drawn)."""
    if isinstance(fig, SvgChart):
        return fig
    fig.update_layout(template=shown_template(), font_family=FONT_FAMILY)
    escape_figure(fig)  # names from files are shown as text, never as HTML links (appkit.safe_text)
    fig.__class__ = SharedFigure  # the same object, its to_dict memoised (a copy would re-validate it)
    return fig  # type: ignore[return-value]


def show(fig: go.Figure | SvgChart, key: str | None = None) -> None:
    """Render full width: the overview's SVG as Markdown (`key` unused: it has no state), a Plotly
    figure with the shared template (a `SharedFigure` as prepared)."""
    if isinstance(fig, SvgChart):
        st.markdown(fig.svg, unsafe_allow_html=True)  # every string in it escaped (`safe_text.svg_text`)
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


SVG_WIDTH, SVG_HEIGHT = 1000, 420  # the viewBox: the chart scales to the main area's width, as the Plotly one did
_PLOT_LEFT, _PLOT_RIGHT, _PLOT_TOP = 56, 860, 44  # the legend right of the plot


@dataclasses.dataclass(frozen=True)
class Bar:
    """One drawn bar: its x category (a unit name or a score band), grade and value (the score or
    the units in the band)."""
    x: str
    grade: str
    value: float


@dataclasses.dataclass(frozen=True)
class SvgChart:
    """The overview's 得分分布 drawn on the server as one SVG, shown as Markdown (`st.html`'s
    sanitiser drops SVG; Markdown's keeps it): no chart runtime in the browser before the first
    screen is complete. `bars` are what the SVG draws, in drawing order."""
    title: str
    svg: str
    bars: tuple[Bar, ...]


def _nice_ticks(top: float) -> list[int]:
    """Integer ticks 0 … ≥ top, at most 6 intervals of 1, 2 or 5 × 10^k."""
    step = 1
    while top / step > 6:
        for factor in (2, 5 / 2, 2):  # 1 → 2 → 5 → 10 → 20 …
            step = int(step * factor)
            if top / step <= 6:
                break
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _svg(title: str, x_title: str, y_title: str, categories: list[str], bars: list[Bar], ticks: list[int],
         colors: dict[str, str], grade_names: list[str], *, top: float, stacked: bool, labels: bool,
         bottom: int) -> SvgChart:
    """One bar per x category (stacked by grade when `stacked`, drawn in `bars`' order from the axis
    up), y from 0 to `top` with the ticks given, a legend of the grades present (rules' order), Chinese font throughout."""
    plot_bottom = SVG_HEIGHT - bottom
    scale = (plot_bottom - _PLOT_TOP) / (top or 1)
    slot = (_PLOT_RIGHT - _PLOT_LEFT) / max(len(categories), 1)
    width = max(slot * 0.8, 1.0)
    where = {c: i for i, c in enumerate(categories)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" width="100%" '
           f'role="img" aria-label="{svg_text(title)}" font-family="{svg_text(FONT_FAMILY)}" font-size="12" fill="#31333f">',
           f'<text x="{_PLOT_LEFT}" y="22" font-size="15" font-weight="600">{svg_text(title)}</text>']
    for tick in ticks:  # gridlines and y labels
        y = plot_bottom - tick * scale
        out.append(f'<line x1="{_PLOT_LEFT}" x2="{_PLOT_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e6e6e6"/>'
                   f'<text x="{_PLOT_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    middle = (_PLOT_TOP + plot_bottom) / 2
    out.append(f'<text transform="translate(14 {middle:.1f}) rotate(-90)" text-anchor="middle">{svg_text(y_title)}</text>')
    stacks = [0.0] * len(categories)
    for bar in bars:
        i = where[bar.x]
        low = stacks[i] if stacked else 0.0
        stacks[i] = low + bar.value
        x, y, h = _PLOT_LEFT + i * slot + (slot - width) / 2, plot_bottom - (low + bar.value) * scale, bar.value * scale
        shown = f"{bar.value:.2f}" if labels else f"{bar.value:.0f}"
        tip = f"{COLUMNS['grade']}：{bar.grade}\n{x_title}：{bar.x}\n{y_title}：{shown}"
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" fill="{colors[bar.grade]}" '
                   f'data-x="{svg_text(bar.x)}" data-grade="{svg_text(bar.grade)}" data-value="{shown}"><title>{svg_text(tip)}</title></rect>')
        if labels:  # the score as the table shows it (99.53), upright while it fits its bar's slot
            cx = x + width / 2
            turn = "" if slot >= 34 else f' transform="rotate(-90 {cx:.1f} {y - 3:.1f})" text-anchor="start"'
            anchor = ' text-anchor="middle"' if not turn else ""
            out.append(f'<text x="{cx:.1f}" y="{y - 3:.1f}" font-size="11"{anchor}{turn}>{shown}</text>')
    out.append(f'<line x1="{_PLOT_LEFT}" x2="{_PLOT_RIGHT}" y1="{plot_bottom}" y2="{plot_bottom}" stroke="#888"/>')
    for i, category in enumerate(categories):  # x labels slanted 40°, ending under their bar
        cx = _PLOT_LEFT + (i + 0.5) * slot
        out.append(f'<text x="{cx:.1f}" y="{plot_bottom + 12}" text-anchor="end" font-size="11" '
                   f'transform="rotate(-40 {cx:.1f} {plot_bottom + 12})">{svg_text(category)}</text>')
    out.append(f'<text x="{(_PLOT_LEFT + _PLOT_RIGHT) / 2}" y="{SVG_HEIGHT - 6}" text-anchor="middle">{svg_text(x_title)}</text>')
    out.append(f'<text x="{_PLOT_RIGHT + 24}" y="{_PLOT_TOP + 4}" font-weight="600">{svg_text(COLUMNS["grade"])}</text>')
    present = {bar.grade for bar in bars}
    for row, name in enumerate(n for n in grade_names if n in present):
        y = _PLOT_TOP + 16 + row * 20
        out.append(f'<rect x="{_PLOT_RIGHT + 24}" y="{y}" width="12" height="12" fill="{colors[name]}"/>'
                   f'<text x="{_PLOT_RIGHT + 42}" y="{y + 11}">{svg_text(name)}</text>')
    out.append("</svg>")
    return SvgChart(title, "".join(out), tuple(bars))


def score_bars(ranking: pd.DataFrame, rules: Rules | None = None) -> SvgChart:
    """Score per unit in rank order, coloured by grade (bands in the rules' order), each bar labelled
    with its score as the table shows it (99.53); units without a score keep their place on the axis."""
    rules = rules or load_rules()
    scored = ranking[ranking["score"].notna()]
    bars = [Bar(str(n), str(g), float(s)) for n, s, g in zip(scored["name"], scored["score"], scored["grade"])]
    return _svg(OVERVIEW["chart"], COLUMNS["name"], COLUMNS["score"], [str(n) for n in ranking["name"]], bars,
                [0, 20, 40, 60, 80, 100], grade_colors(rules), list(rules.grade_names), top=110, stacked=False, labels=True, bottom=120)


BARS_MAX = 60      # up to this many units the overview draws one bar per unit; beyond, a histogram
HISTOGRAM_STEP = 5  # points per bin of the histogram


def score_histogram(ranking: pd.DataFrame, rules: Rules | None = None, step: int = HISTOGRAM_STEP) -> SvgChart:
    """How many units score in each `step`-point band, stacked by grade: the 得分分布 of a large
    set of units (3,000 bars with a label each cannot be read and took the browser tens of seconds
    to draw). Bins are [0, step), [step, 2·step) … with 100 in the last; one bar per band and grade
    with units in it (the best grade at the bottom of a stack), every band on the axis."""
    from ui_text.overview_scale import HISTOGRAM

    rules = rules or load_rules()
    edges = list(range(0, 100, step))
    labels = [HISTOGRAM["bin"].format(low=low, high=min(low + step, 100)) for low in edges]
    scored = ranking[ranking["score"].notna()]
    bins = (scored["score"].clip(0, 100) // step).clip(upper=len(edges) - 1).astype("int64")
    counts = pd.crosstab(bins, scored["grade"])
    bars = [Bar(labels[b], name, int(counts.at[b, name]))
            for b in counts.index for name in rules.grade_names
            if name in counts.columns and counts.at[b, name]]
    tallest = int(counts.sum(axis=1).max()) if len(counts) else 1
    return _svg(HISTOGRAM["title"].format(n=len(ranking), step=step), HISTOGRAM["x_axis"], HISTOGRAM["y_axis"],
                labels, bars, ticks := _nice_ticks(tallest), grade_colors(rules), list(rules.grade_names),
                top=ticks[-1], stacked=True, labels=False, bottom=80)


def score_chart(ranking: pd.DataFrame, rules: Rules | None = None) -> SvgChart:
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

"""Text from files and portals shown as plain text, never as markdown or HTML (issue #16 item 7).

Catalog and item names, titles and reasons come from district files: `![x](http://…)` in one
would make every viewer's browser fetch an outside URL if written with st.markdown, `[a](…)` a
clickable link, and `<a href>` in a Plotly label a live link. `plain_md` escapes text for
st.markdown / st.caption; `svg_text` escapes text drawn into a server-side SVG; `escape_figure` HTML-escapes every string a Plotly figure shows (axis
categories, bar texts, hover data), which Plotly then displays literally. `appkit.charts.show`
applies it to every chart.
"""
from __future__ import annotations

import html
import re
from typing import Any

import plotly.graph_objects as go

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")
_TRACE_FIELDS = ("x", "y", "text", "hovertext", "customdata", "labels", "ids", "parents", "name", "legendgroup")


def plain_md(text: object) -> str:
    """`text` with every markdown (and HTML) special character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text)).replace("\n", "  \n")


# An SVG drawn on the server and shown with st.markdown (appkit.charts, 督导总览's 得分分布): each
# HTML and Markdown special character (and line breaks) as a numeric reference, since the text
# between the SVG's tags is still read as Markdown by st.markdown.
_SVG_ESCAPED = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!$:|~\n"})


def svg_text(text: object) -> str:
    """Text or attribute value inside a server-drawn SVG: never markup, neither HTML nor Markdown."""
    return str(text).translate(_SVG_ESCAPED)


def _escape(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, (list, tuple)):
        return type(value)(_escape(v) for v in value)
    if hasattr(value, "tolist") and getattr(value, "dtype", None) is not None and value.dtype == object:
        return [_escape(v) for v in value.tolist()]
    return value


def escape_figure(fig: go.Figure) -> go.Figure:
    """Escape, in place, the strings of every trace field and of the axis category orders."""
    for trace in fig.data:
        for name in _TRACE_FIELDS:
            if name in trace and trace[name] is not None:
                trace[name] = _escape(trace[name])
    for axis in ("xaxis", "yaxis"):
        layout_axis = getattr(fig.layout, axis, None)  # plotly Layout has no .get()
        if layout_axis is not None and layout_axis.categoryarray is not None:
            layout_axis.categoryarray = _escape(layout_axis.categoryarray)
    return fig

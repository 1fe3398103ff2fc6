"""How a page draws a table so that nothing in it is cut at 1280–1440 px (issue #11 item 6).

Two ways, one rule: a reader sees every row and every character without scrolling inside the table.
- `grid(...)`: Streamlit's data grid (sortable, selectable) with a pixel width per column measured
  from its longest cell and header, and a height that shows every row. Used when the columns fit
  the main area at 1280 px (`MAIN_PX`).
- `static_table(...)`: a static HTML table (st.table) whose cells wrap (appkit.shell's CSS lets a
  cell use the table's width and break a long URL). Used for long free text (问题说明, 建议整改措施,
  disclosure titles, load messages); `grid` falls back to it when the measured columns do not fit.
Cells are plain text (file text is never rendered as markdown: `appkit.safe_text`), blanks read
`EMPTY_CELL`, dates read as the page's own date format.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from ui_text.common import date_text
from ui_text.pages import CATALOG, EMPTY_CELL

# The main area at 1280 px with the sidebar open: 1280 − 300 (sidebar) − 2 × 20 (LAYOUT_CSS padding).
MAIN_PX = 940
ROW_PX, HEADER_PX = 35, 36          # Streamlit's grid row and header heights (px)
WIDE_PX, NARROW_PX = 14, 7          # a CJK / full-width character and a Latin digit or letter at 14 px
CELL_PAD, HELP_PX, SELECT_PX = 16, 18, 32   # Glide's cell padding (8 px a side), a header's (?) icon, the row-selection column
NOWRAP, NOWRAP_PX = "white-space: nowrap;", 112  # static-table cells up to 8 characters never wrap
DETAIL_FIELD, DETAIL_TEXT = CATALOG["field"], CATALOG["text"]  # 项目 / 内容 of a detail panel
MAX_CONTENT_ROWS = 60               # more rows than this: a fixed height with the grid's own scrollbar


def text_px(text: object) -> int:
    """Approximate rendered width of `text` in the grid's 14 px font."""
    return sum(WIDE_PX if ord(ch) >= 0x2E80 else NARROW_PX for ch in str(text))


def _text(value: object, dates: str) -> str:
    """One cell as text: a date ISO (or '2026年12月2日' when `dates == "text"`), a time of day to the minute."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():  # a count in a column with blanks
        return str(int(value))
    if isinstance(value, dt.datetime):  # pd.Timestamp too
        if value.hour or value.minute:
            return value.strftime("%Y-%m-%d %H:%M")
        value = value.date()
    if isinstance(value, dt.date):
        return date_text(value) if dates == "text" else value.isoformat()
    if dates == "text" and isinstance(value, str) and len(value) == 10 and value[4] == "-" == value[7]:
        try:
            return date_text(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _is_dates(values: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    present = values.dropna()
    return len(present) > 0 and all(isinstance(v, dt.date) for v in present)


def plain_cells(frame: pd.DataFrame, blank: str = EMPTY_CELL, dates: str = "iso",
                formats: Mapping[str, Callable[[Any], str]] | None = None) -> pd.DataFrame:
    """Every cell as the text a reader sees: blanks read `blank`, dates ISO or '2026年12月2日'
    (`dates="text"`), `formats` per column (e.g. a percent)."""
    formats = formats or {}
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        fmt = formats.get(column)
        out[column] = [blank if value is None or (not isinstance(value, str) and pd.isna(value))
                       else fmt(value) if fmt else (_text(value, dates) or blank) for value in frame[column]]
    return out


def column_widths(frame: pd.DataFrame, columns: Sequence[str], headers: Mapping[str, str],
                  helps: Sequence[str] = (), blank: str = EMPTY_CELL) -> dict[str, int]:
    """Pixel width per column: its longest displayed cell or its header, whichever is wider."""
    shown = plain_cells(frame[list(columns)], blank)
    return {c: CELL_PAD + max([text_px(headers.get(c, c)) + (HELP_PX if c in helps else 0),
                               *(text_px(v) for v in shown[c])]) for c in columns}


def fits(widths: Mapping[str, int], selectable: bool = False) -> bool:
    return sum(widths.values()) + (SELECT_PX if selectable else 0) <= MAIN_PX


def content_height(rows: int) -> int:
    """A grid height that shows `rows` rows (at most MAX_CONTENT_ROWS) without inner scrolling."""
    return HEADER_PX + ROW_PX * max(1, min(rows, MAX_CONTENT_ROWS)) + 3


def static_table(frame: pd.DataFrame | Styler, columns: Sequence[str] | None = None,
                 headers: Mapping[str, str] | None = None, *, blank: str = EMPTY_CELL, dates: str = "iso",
                 formats: Mapping[str, Callable[[Any], str]] | None = None) -> pd.DataFrame:
    """The rows as a static table whose cells wrap: every character visible at any width.

    A Styler (red overdue rows) keeps its styles; its cells are made plain text first. Returns the
    frame drawn (Chinese headers, text cells)."""
    style = frame if isinstance(frame, Styler) else None
    data = style.data if style is not None else frame
    assert isinstance(data, pd.DataFrame)
    columns = list(columns or data.columns)
    shown = plain_cells(data[columns], blank, dates, formats).rename(columns=dict(headers or {}))
    # a short cell (a date, a count, a status) stays on one line; long text wraps
    css = shown.map(lambda v: NOWRAP if text_px(v) <= NOWRAP_PX else "")
    if style is not None:
        css = css + _row_css(style, columns).set_axis(shown.columns, axis=1).set_axis(shown.index)
    st.table(shown.style.apply(lambda _: css, axis=None), hide_index=True)
    return shown


def _row_css(style: Styler, columns: Sequence[str]) -> pd.DataFrame:
    """The Styler's computed CSS per cell, restricted to `columns` (a frame of CSS strings)."""
    style._compute()
    data = style.data
    css = pd.DataFrame("", index=data.index, columns=list(data.columns))
    for (i, j), props in style.ctx.items():
        css.iat[i, j] = "".join(f"{k}: {v};" for k, v in props)
    return css[list(columns)]


def grid(frame: pd.DataFrame, columns: Sequence[str], headers: Mapping[str, str], *, key: str,
         column_config: Mapping[str, Any] | None = None, helps: Mapping[str, str] | None = None,
         blank: str = EMPTY_CELL, dates: str = "iso", **kwargs: Any) -> Any:
    """A data grid with every column wide enough for its longest cell and every row shown.

    `column_config` may give a column's type (DateColumn, NumberColumn…); its label and width are
    set here. When the measured columns are wider than the main area at 1280 px the rows are drawn
    as a wrapping `static_table` instead (no selection there: returns None)."""
    columns = list(columns)
    helps = dict(helps or {})
    if dates == "text":  # the page's one date format: date cells as 2026年12月2日 text
        frame = frame.assign(**{c: [None if pd.isna(v) else _text(v, dates) for v in frame[c]]
                                for c in columns if _is_dates(frame[c])})
    widths = column_widths(frame, columns, headers, helps=list(helps), blank=blank)
    selectable = kwargs.get("on_select", "ignore") != "ignore"
    if not fits(widths, selectable) and not selectable:
        static_table(frame, columns, headers, blank=blank, dates=dates)
        return None
    config: dict[str, Any] = {}
    for c in columns:
        base = (column_config or {}).get(c)
        if base is None and pd.api.types.is_datetime64_any_dtype(frame[c]):  # shown as measured
            times = frame[c].dropna()
            base = (st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
                    if (times != times.dt.normalize()).any() else st.column_config.DateColumn(format="YYYY-MM-DD"))
        if base is None:
            config[c] = st.column_config.Column(headers.get(c, c), width=widths[c], help=helps.get(c))
        else:
            config[c] = {**base, "label": headers.get(c, c), "width": widths[c],
                         **({"help": helps[c]} if c in helps else {})}
    return st.dataframe(frame, hide_index=True, key=key, column_order=columns, column_config=config,
                        placeholder=blank, height=content_height(len(frame)), **kwargs)


def grid_with_detail(frame: pd.DataFrame, columns: Sequence[str], headers: Mapping[str, str],
                     detail: Sequence[str], *, key: str, hint: str, heading: str,
                     column_config: Mapping[str, Any] | None = None) -> pd.Series:
    """Many rows with a long text each (tasks, audit entries): a grid of the short `columns` that
    fits 1280 px, and below it the row clicked (the first at first) with its `detail` columns in
    full in a wrapping two-column table. `heading` is formatted with the row's values. Returns the
    row shown."""
    st.caption(hint)
    picked = grid(frame, columns, headers, key=key, column_config=column_config, on_select="rerun",
                  selection_mode="single-row", selection_default={"selection": {"rows": [0]}})
    rows = list(picked.selection.rows) if picked is not None else []
    chosen = frame.iloc[rows[0] if rows and rows[0] < len(frame) else 0]
    st.markdown(f"**{heading.format(**chosen.to_dict())}**")
    static_table(pd.DataFrame({DETAIL_FIELD: [headers.get(c, c) for c in detail],
                               DETAIL_TEXT: [chosen[c] for c in detail]}))
    return chosen

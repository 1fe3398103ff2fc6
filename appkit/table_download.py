"""The project's own table download: the table as shown, Chinese headers and displayed values,
as an .xlsx written by the one workbook writer `reports.xlsx` (the 通报's: values only, formula-like
text kept as text, the same fonts, widths and print setup).

The workbook is built only when the button is clicked (Streamlit's deferred download: `data` is
a callable run on click), never on a page run: at national scale writing the 3,000-row ranking
took 1.2–2 s of every rerun of 督导总览.

Streamlit's toolbar CSV export is switched off (`client.disableDataExport` in
.streamlit/config.toml): it writes the frame's English column ids (rank, district,
catalog_coverage…), raw ratios without the % sign, and text a spreadsheet may run as a formula.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from ui_text.pages import EMPTY_CELL

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: object, kind: str | None, blank: str) -> object:
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        return blank
    if kind == "percent100":  # a frame column already in percent (95.3 = 95.3 %)
        return round(float(value) / 100, 6)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # NumPy scalars
        value = value.item()
    return value if isinstance(value, str | int | float | bool) else str(value)  # the writer takes plain values


def table_workbook(frame: pd.DataFrame, columns: Sequence[str], headers: Mapping[str, str], title: str,
                   as_of: dt.date, kinds: Mapping[str, str] | None = None, blank: str = EMPTY_CELL) -> bytes:
    """`columns` of `frame` under their Chinese `headers`, one sheet titled `title`.

    kinds: column -> "percent" (a 0..1 ratio), "percent100" (already ×100), "score", "integer";
    blank cells read `blank` (e.g. 不参评), never None/NaN.
    """
    # the writer is imported when a workbook is written, not on every page that offers one (it no
    # longer needs openpyxl, whose import cost 0.3-0.5 s of a new process's first render)
    from reports.xlsx import (
        INTEGER,
        PERCENT,
        SCORE,
        banner,
        finish_workbook,
        fit_columns,
        new_workbook,
        setup_page,
        write_table,
    )

    formats_of = {"percent": PERCENT, "score": SCORE, "integer": INTEGER}
    kinds = kinds or {}
    wb = new_workbook()
    ws = wb.create_sheet(title[:31])
    top = banner(ws, title)
    rows = [[_cell(v, kinds.get(c), blank) for c, v in zip(columns, values)]
            for values in frame[list(columns)].itertuples(index=False, name=None)]
    formats = {j: formats_of["percent" if kinds.get(c) == "percent100" else kinds.get(c, "")]
               for j, c in enumerate(columns) if kinds.get(c) in ("percent", "percent100", "score", "integer")}
    write_table(ws, top, [headers[c] for c in columns], rows, formats)
    fit_columns(ws, first_row=top, max_width=40)
    setup_page(ws, top)
    return finish_workbook(wb, as_of, title)


def download_table(frame: pd.DataFrame, columns: Sequence[str], headers: Mapping[str, str], *, title: str,
                   label: str, file_name: str, as_of: dt.date, key: str,
                   kinds: Mapping[str, str] | None = None, blank: str = EMPTY_CELL) -> None:
    """A 下载 button for the table as shown (see `table_workbook`), written when clicked."""
    def build() -> bytes:
        return table_workbook(frame, columns, headers, title, as_of, kinds, blank)

    st.download_button(label, data=build, file_name=file_name, mime=XLSX, key=key, icon=":material/download:",
                       on_click="ignore")

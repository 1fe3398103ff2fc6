"""趋势: quarterly score per unit since 2020-09-30, and the biggest risers and fallers over the
last four quarters."""
from __future__ import annotations

import streamlit as st

from appkit import charts
from appkit.scope import trend
from appkit.shell import bureau_page
from appkit.tables import trend_changes
from appkit.widgets import unit_names
from ui_text.common import date_text
from ui_text.pages import COLUMNS, PLACEHOLDERS, TREND

db, user, as_of, _ = bureau_page("trend", TREND["caption"], show_since=False)
frame = trend(db, as_of)
if frame.empty:
    st.info(TREND["empty"])
    st.stop()

names = unit_names(db)
codes = st.multiselect(TREND["units"], list(names), default=list(names), format_func=names.get,
                       placeholder=PLACEHOLDERS["units"],
                       key="trend_units")
if not codes:
    st.info(TREND["no_units"])
else:
    charts.show(charts.trend_lines(frame[frame["code"].isin(codes)], order=list(names.values())),
                key="trend_lines")

changes, start, end = trend_changes(frame)
if start is not None:
    st.caption(TREND["window"].format(start=date_text(start.date()), end=date_text(end.date())))  # as the period says
    config = {"name": COLUMNS["name"],
              **{k: st.column_config.NumberColumn(COLUMNS[k], format="%.2f") for k in ("first_score", "last_score")},
              "change": st.column_config.NumberColumn(COLUMNS["change"], format="%+.2f")}
    order = ["name", "first_score", "last_score", "change"]
    left, right = st.columns(2)
    # only units whose score rose are risers, only those whose score fell are fallers
    risers = changes[changes["change"] > 0].head(5)
    fallers = changes[changes["change"] < 0].iloc[::-1].head(5)
    for column, title, rows, key, empty in ((left, TREND["risers"], risers, "risers", TREND["no_risers"]),
                                            (right, TREND["fallers"], fallers, "fallers", TREND["no_fallers"])):
        column.subheader(title)
        if rows.empty:
            column.info(empty)
        else:
            column.dataframe(rows, hide_index=True, column_order=order, column_config=config, key=key)

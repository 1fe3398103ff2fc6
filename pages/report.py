"""评估通报: evaluate all units as of a date and download the circulated results as Excel.

Choose the as-of date, the window start, the units and whether each unit gets its own sheet;
preview the ranking; download the workbook from `reports.excel.build_report_workbook`.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from appkit import self_check_tables as sc_tables
from appkit.cache import evaluation
from appkit.db import Db
from appkit.shell import enter_page
from appkit.widgets import period, sample_banner, unit_names
from queries import self_check as sc
from reports.excel import build_report_workbook, report_context
from scoring import load_rules
from ui_text import self_check as T
from ui_text.common import date_text
from ui_text.pages import PLACEHOLDERS


# Building the workbook takes a moment with per-unit sheets; reruns reuse it.
@st.cache_data(show_spinner=False, max_entries=16)
def _workbook(path: str, version: str, as_of: dt.date, since: dt.date, codes: tuple[str, ...],
              per_district: bool) -> bytes:
    db = Db(path, version)
    subset = sc.select_units(evaluation(db, as_of, since), list(codes))
    return build_report_workbook(subset, report_context(db.cursor(), rules=load_rules(), per_district_sheets=per_district))


db, user = enter_page(bureau_only=True)
st.title(T.REPORT_TITLE)
st.caption(T.REPORT_CAPTION)
sample_banner(db)
as_of, since = period()
names = unit_names(db)
codes = st.multiselect(T.REPORT_UNITS, list(names), default=list(names), format_func=names.get,
                       placeholder=PLACEHOLDERS["units"],
                       key="report_units")
per_district = st.checkbox(T.REPORT_PER_DISTRICT, value=False, key="report_per_district")
if not codes:
    st.info(T.REPORT_NO_UNITS)
    st.stop()

st.subheader(T.REPORT_PREVIEW)
st.dataframe(sc_tables.ranking_preview(sc.select_units(evaluation(db, as_of, since), codes)), hide_index=True,
             height="content", key="report_ranking",
             column_config={T.RANKING_COLUMNS["score"]: st.column_config.NumberColumn(format="%.2f")})
st.download_button(T.REPORT_DOWNLOAD.format(as_of=date_text(as_of)),
                   data=_workbook(db.path, db.version, as_of, since, tuple(codes), per_district),
                   file_name=T.REPORT_FILE_NAME.format(as_of=as_of.isoformat()),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   type="primary", key="download_report")

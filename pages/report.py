"""评估通报: download the circulated package of an evaluation round — the Excel workbook and the Word
notice, both built from what the round stored — with the round's name and date on every button and
file name. Without any round, the live evaluation of the date shown can be downloaded (marked 未存档).
"""
from __future__ import annotations

import streamlit as st

from appkit import self_check_tables as sc_tables
from appkit.scope import (
    download_button,
    evaluation,
    live_workbook,
    round_notice,
    round_results,
    round_workbook,
    rounds,
    selected_round,
)
from appkit.shell import enter_page
from appkit.tables import units_of
from appkit.widgets import period, sample_banner, unit_names
from ui_text import self_check as T
from ui_text.access import REPORT_ROUND, ROUND_STATUS, SIDEBAR
from ui_text.common import date_text
from ui_text.pages import PLACEHOLDERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

db, user = enter_page(bureau_only=True)
st.title(T.REPORT_TITLE)
st.caption(T.REPORT_CAPTION)
sample_banner(db)
found = rounds(db)
names = unit_names(db)
if not found:
    st.info(REPORT_ROUND["no_rounds"])
    as_of, since = period()
    codes = st.multiselect(T.REPORT_UNITS, list(names), default=list(names), format_func=names.get,
                           placeholder=PLACEHOLDERS["units"], key="report_units")
    per_district = st.checkbox(T.REPORT_PER_DISTRICT, value=False, key="report_per_district")
    if not codes:
        st.info(T.REPORT_NO_UNITS)
        st.stop()
    st.subheader(T.REPORT_PREVIEW)
    st.dataframe(sc_tables.ranking_preview(units_of(evaluation(db, as_of, since), codes)), hide_index=True,
                 height="content", key="report_ranking",
                 column_config={T.RANKING_COLUMNS["score"]: st.column_config.NumberColumn(format="%.2f")})
    download_button(T.REPORT_DOWNLOAD.format(as_of=date_text(as_of)),
                    live_workbook(db, as_of, since, codes, per_district),
                    T.REPORT_FILE_NAME.format(as_of=as_of.isoformat()), mime=XLSX, type="primary",
                    key="download_report")
    st.stop()

by_id = {r.id: r for r in found}
current = selected_round(db)
r = by_id[st.selectbox(REPORT_ROUND["pick"], list(by_id), key="report_round",
                       index=list(by_id).index(current.id) if current else 0,
                       format_func=lambda i: SIDEBAR["round_option"].format(
                           name=by_id[i].name, as_of=by_id[i].as_of, status=ROUND_STATUS[by_id[i].status]))]
ev = round_results(db, r)  # typed, read back once per round and shared
codes = st.multiselect(T.REPORT_UNITS, list(names), default=list(names), format_func=names.get,
                       placeholder=PLACEHOLDERS["units"], key="report_units")
per_district = st.checkbox(T.REPORT_PER_DISTRICT, value=False, key="report_per_district")
if not codes:
    st.info(T.REPORT_NO_UNITS)
    st.stop()
st.subheader(T.REPORT_PREVIEW)
st.dataframe(sc_tables.ranking_preview(units_of(ev, codes)), hide_index=True, height="content",
             key="report_ranking",
             column_config={T.RANKING_COLUMNS["score"]: st.column_config.NumberColumn(format="%.2f")})
label = {"name": r.name, "as_of": date_text(r.as_of)}
files = {"name": r.name, "as_of": r.as_of.isoformat()}
cols = st.columns(2)
with cols[0]:
    download_button(REPORT_ROUND["excel"].format(**label), round_workbook(db, r, codes, per_district),
                    REPORT_ROUND["excel_file"].format(**files), mime=XLSX, type="primary",
                    key="download_report", target=str(r.id))
with cols[1]:
    download_button(REPORT_ROUND["word"].format(**label), round_notice(db, r), REPORT_ROUND["word_file"].format(**files),
                    mime=DOCX, key="download_notice", target=str(r.id))

"""人工核查 (bureau): record a finding (unit, indicator or bonus item, value, date it applies from,
note, evidence URL or file) and review the findings in force on a date and every finding recorded.
Thin: reads and the write go through appkit.scope (scoring.findings validates and stores);
texts are ui_text.manual."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from appkit.grids import grid, static_table
from appkit.scope import findings_history, findings_in_force, record_finding
from appkit.shell import enter_page
from appkit.uploads import localise_uploader
from appkit.widgets import today, unit_names
from scoring import load_rules
from scoring.findings import FindingError, evidence_text  # the refusal type and plain formatting
from ui_text import manual as T
from ui_text.common import date_text
from ui_text.pages import COLUMNS

db, user = enter_page(bureau_only=True)
rules = load_rules()
st.title(T.PAGE_TITLE)
localise_uploader()  # the evidence upload's button and size note in Chinese
st.caption(T.PAGE["intro"])
units = unit_names(db)
ids = rules.manual.indicator_ids + rules.manual.bonus_ids
labels = {**T.MANUAL_LABELS, **T.BONUS_LABELS}


def label(iid: str) -> str:
    return labels.get(iid, iid)


st.subheader(T.PAGE["record"])
left, right = st.columns(2)
code = left.selectbox(T.PAGE["district"], list(units), format_func=units.get, key="finding_unit")
indicator = right.selectbox(T.PAGE["indicator"], ids, format_func=label, key="finding_indicator")
bonus = indicator in rules.manual.bonus_ids
if not bonus and rules.manual.indicator(indicator).scale == "yes_no":
    value = left.radio(T.PAGE["value"], [T.YES, T.NO], horizontal=True, key="finding_yes_no")
else:
    top = (rules.manual.bonus(indicator) if bonus else rules.manual.indicator(indicator)).max_points
    points = left.number_input(T.PAGE["value_points"].format(max=f"{top:g}"), min_value=0.0, max_value=float(top),
                               step=0.5, key="finding_points")
    value = f"{points:g}"
on = right.date_input(T.PAGE["on"], value=today(), key="finding_on")
note = st.text_input(T.PAGE["note"], key="finding_note")
url = st.text_input(T.PAGE["evidence_url"], key="finding_url")
upload = st.file_uploader(T.PAGE["evidence_file"], key="finding_file")
if st.button(T.PAGE["submit"], type="primary", key="finding_submit"):
    try:
        fid = record_finding(db, code, indicator, value, on, note=note, evidence_url=url.strip() or None,
                             upload=(upload.name, upload.getvalue()) if upload is not None else None)
    except FindingError as exc:
        st.error(str(exc))
    else:
        st.success(T.PAGE["saved"].format(id=fid))

as_of = today()
st.subheader(T.PAGE["overview"].format(as_of=date_text(as_of)))
cells = {units[c]: {label(i): T.UNCHECKED for i in ids} for c in units}
for f in findings_in_force(db, as_of).to_dict("records"):
    if f["code"] in units and f["indicator"] in ids:
        cells[units[f["code"]]][label(f["indicator"])] = f["value_text"]
in_force = pd.DataFrame.from_dict(cells, orient="index").rename_axis("name").reset_index()
grid(in_force, list(in_force.columns), COLUMNS, key="findings_grid")  # all 16 units, every indicator

st.subheader(T.PAGE["history"])
history = findings_history(db)
if history.empty:
    st.info(T.PAGE["none"])
else:
    shown = history.assign(indicator=history["indicator"].map(label), value=history["value_text"],
                           evidence=[evidence_text(r) or "" for r in history.to_dict("records")])
    static_table(shown, list(T.FINDING_COLUMNS), T.FINDING_COLUMNS)  # notes and evidence in full

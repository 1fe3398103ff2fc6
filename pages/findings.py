"""人工核查 (bureau): record a finding (unit, indicator or bonus item, value, date it applies from,
note, evidence URL or file) and review the findings in force on a date and every finding recorded.
Thin: validation, storage and evidence keeping are scoring.findings; texts are ui_text.manual."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from appkit.db import after_write
from appkit.shell import enter_page
from appkit.widgets import today, unit_names
from scoring import findings, load_rules
from ui_text import manual as T

db, user = enter_page(bureau_only=True)
rules = load_rules()
st.title(T.PAGE_TITLE)
st.caption(T.PAGE["intro"])
units = unit_names(db)
ids = findings.indicator_ids(rules)

st.subheader(T.PAGE["record"])
left, right = st.columns(2)
code = left.selectbox(T.PAGE["district"], list(units), format_func=units.get, key="finding_unit")
indicator = right.selectbox(T.PAGE["indicator"], ids, format_func=findings.label, key="finding_indicator")
scale = "points" if indicator in rules.manual.bonus_ids else rules.manual.indicator(indicator).scale
if scale == "yes_no":
    value = left.radio(T.PAGE["value"], [T.YES, T.NO], horizontal=True, key="finding_yes_no")
else:
    top = (rules.manual.bonus(indicator) if indicator in rules.manual.bonus_ids
           else rules.manual.indicator(indicator)).max_points
    value = f"{left.number_input(T.PAGE['value_points'].format(max=f'{top:g}'), min_value=0.0, max_value=float(top), step=0.5, key='finding_points'):g}"
on = right.date_input(T.PAGE["on"], value=today(), key="finding_on")
note = st.text_input(T.PAGE["note"], key="finding_note")
url = st.text_input(T.PAGE["evidence_url"], key="finding_url")
upload = st.file_uploader(T.PAGE["evidence_file"], key="finding_file")
if st.button(T.PAGE["submit"], type="primary", key="finding_submit"):
    try:
        file = sha = None
        evidence_url = url.strip() or None
        if evidence_url and not evidence_url.lower().startswith(("http://", "https://")):
            raise findings.FindingError(T.FINDING_ERRORS["evidence_bad_url"].format(value=evidence_url))
        findings.parse_value(rules, indicator, value)  # refuse before keeping any file
        if upload is not None:
            file, sha = findings.keep_evidence(upload.getvalue(), upload.name)
        fid = findings.record(db.cursor(), rules, code, indicator, value, on,
                              recorded_by=user.get("username") or T.PAGE["actor"], note=note, evidence_url=evidence_url, evidence_file=file, evidence_sha256=sha)
    except findings.FindingError as exc:
        st.error(str(exc))
    else:
        after_write()
        st.success(T.PAGE["saved"].format(id=fid))

as_of = today()
st.subheader(T.PAGE["overview"].format(as_of=as_of.isoformat()))
in_force = findings.in_force(db.cursor(), as_of)
grid = {units[c]: {findings.label(i): T.UNCHECKED for i in ids} for c in units}
for f in in_force.to_dict("records"):
    if f["code"] in units and f["indicator"] in ids:
        grid[units[f["code"]]][findings.label(f["indicator"])] = f["value_text"]
st.dataframe(pd.DataFrame.from_dict(grid, orient="index"), key="findings_grid")

st.subheader(T.PAGE["history"])
history = findings.list_findings(db.cursor())
if history.empty:
    st.info(T.PAGE["none"])
else:
    shown = history.assign(indicator=history["indicator"].map(findings.label),
                           value=history["value_text"],
                           evidence=[findings.evidence_text(r) for r in history.to_dict("records")])
    st.dataframe(shown[list(T.FINDING_COLUMNS)].rename(columns=T.FINDING_COLUMNS), hide_index=True,
                 key="findings_history")

"""区县自查: one unit's score and rank, the 43-item checklist, late and pending disclosures,
the fix planner, the gap-list download and the unmet milestones.

A district user sees only their own unit; a bureau user picks any. Everything shown comes from
`queries.self_check` (shown through `appkit.self_check_tables`) over the cached evaluation of all units (so the rank is among all 16).
"""
from __future__ import annotations

import streamlit as st

from appkit import self_check_tables as sc_tables
from appkit.grids import grid, static_table
from appkit.manual_tables import show_manual
from appkit.safe_text import plain_md
from appkit.scope import download_button, live_district_result, self_check, view, what_if
from appkit.shell import enter_page
from appkit.tables import percent_text
from appkit.widgets import period, sample_banner, unit_names
from queries import self_check as sc
from reports.excel import build_gap_workbook
from ui_text import self_check as T
from ui_text.common import date_text
from ui_text.excel import HEADERS
from ui_text.pages import COMPONENT_LABELS

# The columns in reading order (the tables wrap, so every column is on screen at 1280 px).
OVERDUE_ORDER = [T.OVERDUE_COLUMNS[k] for k in ("title", "workdays_late", "item", "formed_on", "deadline",
                                                "published_on")]
PENDING_ORDER = [T.PENDING_COLUMNS[k] for k in ("title", "status", "workdays_left", "deadline", "item",
                                                "formed_on")]
GAP_ORDER = [HEADERS[k] for k in ("category", "item", "detail", "remedy", "title", "missing_elements",
                                  "workdays_late", "deadline", "rule")]


db, user = enter_page()
st.title(T.TITLE)
st.caption(T.CAPTION)
sample_banner(db)
names = unit_names(db)
if user.get("role") == "district":
    code = user["district_code"]
    st.subheader(names.get(code, code))
else:
    if "self_check_unit" not in st.session_state and st.session_state.get("unit") in names:
        st.session_state["self_check_unit"] = st.session_state["unit"]  # the unit last opened in 区县详情
    code = st.selectbox(T.PICK_UNIT, list(names), format_func=names.get, key="self_check_unit")
as_of, since = period()
check = self_check(db, as_of, since, code)  # refused outside the scope
d = check.district
unit_result = live_district_result(db, as_of, since, code)  # the same unit, typed and shared (appkit.cache)

cols = st.columns(3)
cols[0].metric(T.METRIC_SCORE, f"{unit_result.score:.2f}")
cols[1].metric(T.METRIC_GRADE, unit_result.grade)
cols[2].metric(T.METRIC_RANK_OF.format(total=check.total_units), T.RANK_VALUE.format(rank=unit_result.rank))
if unit_result.calendar_estimated:
    st.info(T.CALENDAR_ESTIMATED)
summary = sc.checklist_summary(check.items)
if summary["in_catalog"] == 0 and summary["disclosed"] == 0:
    st.warning(T.NO_DATA)

st.subheader(T.SECTION_COMPONENTS)
st.table(sc_tables.component_table(d, check.weights, percent_text).set_index(T.COMPONENT_COLUMNS["label"]))
show_manual(unit_result, "self_check", db)  # the unit's own findings and evidence, vetoes and bonus (DESIGN §12)

st.subheader(T.SECTION_CHECKLIST)
st.caption(T.CHECKLIST_SUMMARY.format(**summary))
only_problems = st.toggle(T.ONLY_PROBLEMS, key="self_check_only_problems")
checklist = sc_tables.checklist_table(check.items, only_problems)
grid(checklist, list(checklist.columns), {}, key="checklist", dates="text")

st.subheader(T.SECTION_OVERDUE)
overdue = sc_tables.overdue_table(d)
if overdue.empty:
    st.info(T.NO_OVERDUE)
else:
    static_table(overdue, OVERDUE_ORDER, dates="text")  # titles are long: a wrapping table shows them in full

st.subheader(T.SECTION_PENDING)
pending = sc.pending_frame(d)
if pending.empty:
    st.info(T.NO_PENDING)
else:
    st.caption(T.PENDING_SUMMARY.format(total=len(pending), overdue=int(pending["overdue"].sum())))
    static_table(sc_tables.pending_styled(pending), PENDING_ORDER, dates="text")

st.subheader(T.SECTION_PLANNER)
if not check.fixes:
    st.info(T.NO_FIXES)
else:
    st.caption(T.PLANNER_NOTE)
    fixes = sc_tables.fix_table(check.fixes)
    grid(fixes, list(fixes.columns), {}, key="fixes")
    n = st.number_input(T.PLANNER_TOP_N, min_value=1, max_value=len(check.fixes),
                        value=min(3, len(check.fixes)), step=1, key="self_check_top_n")
    result = what_if(db, as_of, since, code, int(n))
    st.success(sc_tables.what_if_sentence(result, int(n), d))

st.subheader(T.SECTION_GAPS)
groups = sc_tables.gap_groups(d)
if not groups:
    st.info(T.NO_GAPS)
for heading, rows in groups:
    # one wrapping table per category: 问题说明 in full at 1280 px, 建议整改措施 said once above it
    st.markdown(heading)  # category and indicator labels are ours; the remedy text is ui_text's
    static_table(rows, [c for c in GAP_ORDER if c in rows.columns], dates="text")
download_button(
    T.DOWNLOAD_GAPS.format(as_of=date_text(as_of)), data=build_gap_workbook(unit_result, sc.gap_context(check, is_sample=view(db, "is_sample"))),
    file_name=T.GAP_FILE_NAME.format(district=unit_result.name, as_of=as_of.isoformat()),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="download_gaps", target=code)

st.subheader(T.SECTION_MILESTONES)
for key, lines in check.milestones.items():
    st.markdown(T.MILESTONE_LINE.format(label=COMPONENT_LABELS[key], status=plain_md(lines[0])))
    for line in lines[1:]:
        st.markdown(T.MILESTONE_REASON.format(reason=plain_md(line)))  # item names from files: plain text

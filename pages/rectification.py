"""整改跟踪: the rectification tasks of circulated rounds, overdue first, and what to do about them.

Bureau: every unit's tasks with filters (unit, status, category, deadline), self-reports to
confirm or reject, disputes to decide, an on-demand system check, and 复评对比 of two rounds with
its workbook. District: its own unit's tasks only (the scope comes from the signed-in account,
never from the URL), with forms to report a fix or dispute a deduction. Everything goes through
`appkit.rectification` (reads cut to the signed-in scope, writes through `appkit.db.write`).
"""
from __future__ import annotations

import streamlit as st

from appkit import rectification as rect
from appkit.grids import grid_with_detail
from appkit.scope import download_button
from appkit.shell import enter_page
from appkit.widgets import today, unit_names
from ui_text import rectification as T

db, user = enter_page()
scope = rect.unit()
P = T.PAGE
st.title(P["title"])
st.caption(P["caption"])
names = unit_names(db)
if scope is not None:
    st.subheader(names.get(scope, scope))

with st.container(border=True):
    st.markdown(f"**{P['waiting']}**")
    lines = rect.waiting_lines(db)
    for line in lines or [P["nothing_waiting"]]:
        st.write(line)

tasks = rect.tasks(db)
if not tasks:
    st.info(P["no_rounds"])
frame = rect.tasks_frame(tasks)

cols = st.columns(4)
if scope is None:
    units = cols[0].multiselect(P["unit"], list(names.values()), key="rect_units", placeholder=P["all"])
    if units:
        frame = frame[frame["name"].isin(units)]
statuses = cols[1].multiselect(P["status"], list(T.TASK_STATUS.values()), key="rect_status", placeholder=P["all"])
categories = cols[2].multiselect(P["category"], list(T.CATEGORY_LABELS.values()), key="rect_category",
                                 placeholder=P["all"])
before = cols[3].date_input(P["deadline_before"], value=None, key="rect_deadline")
if statuses:
    frame = frame[frame["status"].isin(statuses)]
if categories:
    frame = frame[frame["category"].isin(categories)]
if before is not None:
    frame = frame[frame["deadline"] <= before.isoformat()]

st.subheader(P["tasks"])
if frame.empty and tasks:
    st.info(P["no_tasks"])
elif not frame.empty:
    # up to a thousand tasks: a grid of the short columns; the clicked task's 问题 and 证明 in full below
    shown = [c for c in ("id", "name", "category", "deadline", "status", "fixed_on")
             if scope is None or c != "name"]
    grid_with_detail(frame.reset_index(drop=True), shown, T.TASK_COLUMNS, ["item", "title", "detail", "evidence"],
                     key="rect_tasks", hint=P["task_hint"], heading=P["task_detail"])

if scope is not None and tasks:
    st.subheader(P["act"])
    actionable = {t["id"]: t for t in tasks if t["status"] in ("open", "overdue")}
    disputable = {t["id"]: t for t in tasks if t["closed_by"] != "dispute"}
    choice = st.selectbox(P["pick_task"], list(disputable), key="rect_task", index=None,
                          format_func=lambda i: T.TASK_LABEL.format(id=i, detail=disputable[i]["detail"]),
                          placeholder=P["pick_task"])
    if choice is not None:
        rect.task_evidence_download(db, disputable[choice], key="rect_task_evidence")  # its kept file, if any
        report_tab, dispute_tab = st.tabs([P["report_heading"], P["dispute_heading"]])
        with report_tab:
            if choice in actionable:
                note = st.text_area(P["report_note"], key="rect_report_note")
                url = st.text_input(P["report_url"], key="rect_report_url")
                upload = st.file_uploader(P["report_file"], key="rect_report_file")
                if st.button(P["report_submit"], key="rect_report_submit", type="primary"):
                    try:
                        rect.report_fix(db, user, choice, note, url or None,
                                        (upload.name, upload.getvalue()) if upload else None)
                        st.success(P["done_reported"])
                    except rect.Errors as error:
                        st.error(str(error))
            else:
                st.info(T.ERRORS["not_reportable"].format(id=choice,
                                                          status=T.TASK_STATUS[disputable[choice]["status"]]))
        with dispute_tab:
            reason = st.text_area(P["dispute_reason"], key="rect_dispute_reason")
            durl = st.text_input(P["dispute_url"], key="rect_dispute_url")
            if st.button(P["dispute_submit"], key="rect_dispute_submit"):
                try:
                    new_id = rect.file_dispute(db, user, disputable[choice]["round_id"], choice, reason, durl or None)
                    st.success(P["done_filed"].format(id=new_id))
                except rect.Errors as error:
                    st.error(str(error))

found = rect.dispute_list(db)
st.subheader(P["disputes"])
if not found:
    st.caption(P["no_disputes"])
else:
    st.dataframe(rect.disputes_frame(found), hide_index=True, key="rect_disputes",
                 column_config=rect.column_config(T.DISPUTE_COLUMNS))

if scope is None:
    pending = {p["id"]: p for p in found if p["status"] == "pending"}
    if pending:
        st.subheader(P["decide_heading"])
        pick = st.selectbox(P["pick_dispute"], list(pending), key="rect_pick_dispute",
                            format_func=lambda i: T.PICK_LABEL.format(**pending[i]))
        why = st.text_input(P["decision_reason"], key="rect_decision_reason")
        a, b = st.columns(2)
        for col, accept, label in ((a, True, "accept"), (b, False, "reject")):
            if col.button(P[label], key=f"rect_{label}"):
                try:
                    revision = rect.decide_dispute(db, user, pick, accept, why)
                    st.success(P["done_accepted"].format(id=pick, revision=revision) if accept
                               else P["done_rejected"].format(id=pick))
                except rect.Errors as error:
                    st.error(str(error))
    reported = {t["id"]: t for t in tasks if t["status"] == "reported"}
    if reported:
        st.subheader(P["review_heading"])
        pick = st.selectbox(P["pick_report"], list(reported), key="rect_pick_report",
                            format_func=lambda i: T.PICK_LABEL.format(**reported[i]))
        st.text(((reported[pick]["report"] or {}).get("evidence") or {}).get("text", ""))  # district text: plain
        rect.task_evidence_download(db, reported[pick], key="rect_report_evidence")
        note = st.text_input(P["review_note"], key="rect_review_note")
        a, b = st.columns(2)
        for col, confirm, label in ((a, True, "confirm"), (b, False, "reject_report")):
            if col.button(P[label], key=f"rect_{label}"):
                rect.review_report(db, user, pick, confirm, note)
                st.success(P["done_confirmed" if confirm else "done_report_rejected"].format(id=pick))
    if tasks and st.button(P["verify"], key="rect_verify"):
        r = rect.verify_now(db, user)
        st.success(P["verified"].format(fixed=r.fixed + r.fixed_late, overdue=r.overdue, reopened=r.reopened))

    st.subheader(P["compare"])
    labels = rect.round_choices(db)
    if len(labels) < 2:
        st.caption(P["compare_need_two"])
    else:
        ids = list(labels)
        c1, c2 = st.columns(2)
        first = c1.selectbox(P["compare_a"], ids, index=1, format_func=labels.get, key="rect_compare_a")
        second = c2.selectbox(P["compare_b"], ids, index=0, format_func=labels.get, key="rect_compare_b")
        table, workbook = rect.comparison(db, first, second)
        st.dataframe(table, hide_index=True, key="rect_compare",
                     column_config=rect.column_config(T.COMPARE_HEADERS))
        download_button(P["compare_download"], workbook, T.COMPARE_FILE.format(a=first, b=second, day=today()),
                        key="rect_compare_download")

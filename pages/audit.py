"""审计日志 (admin only): the append-only audit trail, newest first, filterable by action and user."""
from __future__ import annotations

import streamlit as st

from accounts import audit as audit_log
from appkit.scope import audit_entries
from appkit.shell import enter_page
from ui_text.access import AUDIT_ACTIONS, AUDIT_COLUMNS, AUDIT_PAGE, PAGE_TITLES

db, user = enter_page(roles=("admin",))
st.title(PAGE_TITLES["audit"])
st.caption(AUDIT_PAGE["caption"])
action = st.selectbox(AUDIT_PAGE["action"], [None, *audit_log.ACTIONS], key="audit_action",
                      format_func=lambda a: AUDIT_PAGE["all"] if a is None else AUDIT_ACTIONS[a])
entries = audit_entries(db, action).drop(columns="store")
if entries.empty:
    st.info(AUDIT_PAGE["none"])
    st.stop()
entries["action"] = entries["action"].map(AUDIT_ACTIONS)
st.dataframe(entries.rename(columns=AUDIT_COLUMNS), hide_index=True, key="audit_table",
             column_config={AUDIT_COLUMNS["detail"]: st.column_config.TextColumn(width="large")})

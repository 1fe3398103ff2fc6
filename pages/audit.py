"""审计日志 (admin only): the append-only audit trail, newest first, filterable by action and user."""
from __future__ import annotations

import streamlit as st

from accounts import audit as audit_log
from appkit.grids import grid_with_detail
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
# the entry clicked (the newest at first) is read in full below the grid
entries.insert(0, "seq", range(1, len(entries) + 1))  # 序号 as listed, newest first
grid_with_detail(entries, ["seq", "at_time", "actor", "action", "target"], AUDIT_COLUMNS,
                 ["target", "detail"], key="audit_table", hint=AUDIT_PAGE["hint"], heading=AUDIT_PAGE["detail"])
